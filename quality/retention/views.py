"""The yearly disposal lists: the LSP admin prepares, approves or cancels; the supervisor reads."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certportal.net import client_ip
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action

from . import rules, services
from .forms import ReasonForm
from .models import DisposalList, DisposalStatus, drop_reason_label
from .workflow import ADMIN, READERS


@role_required(*READERS)
def disposal_list(request):
    return render(request, "quality/retention/list.html", {
        "lists": DisposalList.objects.all(), "periods": rules.periods()})


@role_required(*ADMIN)
@require_POST
def disposal_propose(request):
    return run_action(request, lambda _d: services.disposal_propose(actor=request.user, ip=client_ip(request)),
                      success=_("The disposal list is prepared: check it, then approve it."),
                      redirect_to=lambda d: d or "quality:disposal-list")


@role_required(*READERS)
def disposal_detail(request, pk: int):
    disposal = get_object_or_404(DisposalList.objects.select_related("approved_by"), pk=pk)
    # who would be left out if it were approved (or the job ran) now, and why: the rule that listed them, again
    waiting = disposal.status in (DisposalStatus.PROPOSED, DisposalStatus.APPROVED)
    leaving = rules.left_out(disposal) if waiting else {}
    items = list(disposal.items.all())
    for item in items:
        item.leaving = drop_reason_label(leaving[item.pk]) if item.pk in leaving else ""
    return render(request, "quality/retention/detail.html", {
        "disposal": disposal, "items": items, "actions": allowed_actions(disposal, request.user),
        "leaving": [i for i in items if i.leaving],
        "periods": rules.periods_shown(disposal.periods), "reason_form": ReasonForm()})


@role_required(*ADMIN)
@require_POST
def disposal_approve(request, pk: int):
    disposal = get_object_or_404(DisposalList, pk=pk)
    return run_action(request, lambda _d: services.disposal_approve(disposal, actor=request.user,
                                                                    ip=client_ip(request)),
                      success=_("Approved: the anonymisation runs in the background."), redirect_to=disposal)


@role_required(*ADMIN)
@require_POST
def disposal_cancel(request, pk: int):
    disposal = get_object_or_404(DisposalList, pk=pk)
    return run_action(request, lambda d: services.disposal_cancel(disposal, actor=request.user, reason=d["reason"],
                                                                  ip=client_ip(request)),
                      form=ReasonForm(request.POST), success=_("The disposal list is cancelled."),
                      redirect_to=disposal)
