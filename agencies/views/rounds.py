"""The LSP administrator's funded rounds: create, edit, set the places per agency, open and close.
The supervisor reads them."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certportal import kept_pages
from certportal.accounts.models import Role
from certportal.net import client_ip
from certportal.pagination import CappedPaginator
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_form

from .. import services
from ..forms import QuotaForm, ReasonForm, RoundForm
from ..kept_pages import ROUNDS
from ..models import FundedRound
from ..selectors import quota_table

READERS = (Role.LSP_ADMIN, Role.SUPERVISOR)
PAGE_SIZE = 25


@role_required(*READERS)
def round_list(request):
    """The latest fiscal year first, 25 rounds a page, each with its schemes: kept per reader until a round or a
    scheme changes (``agencies.kept_pages``)."""
    def draw() -> dict:
        page = CappedPaginator(FundedRound.objects.prefetch_related("schemes").order_by("-fiscal_year", "name", "pk"),
                               PAGE_SIZE).get_page(request.GET.get("page"))
        return {"page": page, "rounds": page.object_list}

    return kept_pages.page(request, "agencies/round_list.html", ROUNDS, kept_pages.WHOLE, draw)


@role_required(*READERS)
def round_detail(request, pk: int):
    funded_round = get_object_or_404(FundedRound.objects.prefetch_related("schemes"), pk=pk)
    return render(request, "agencies/round_detail.html", {
        "round": funded_round, "quotas": quota_table(funded_round),
        "actions": allowed_actions(funded_round, request.user), "reason_form": ReasonForm(),
        "cohorts": funded_round.cohorts.select_related("agency", "scheme", "created_by")})


@role_required(Role.LSP_ADMIN)
def round_edit(request, pk: int | None = None):
    funded_round = get_object_or_404(FundedRound, pk=pk) if pk else None
    form = RoundForm(request.POST or None, instance=funded_round)
    return run_form(request, form, lambda d: services.round_save(actor=request.user, funded_round=funded_round, **d),
                    success=_("Round saved."), redirect_to=lambda r: r, template="core/form_page.html",
                    context={"title": _("Edit the round") if funded_round else _("New funded round")})


@role_required(Role.LSP_ADMIN)
def round_quotas(request, pk: int):
    funded_round = get_object_or_404(FundedRound, pk=pk)
    form = QuotaForm(request.POST or None, funded_round=funded_round)
    return run_form(request, form, lambda d: services.round_set_quotas(
        funded_round, actor=request.user, places=form.places()),
        success=_("Funded places saved."), redirect_to=funded_round, template="core/form_page.html",
        context={"title": _("Funded places per agency: %(round)s") % {"round": funded_round}})


def _take(request, pk: int, action: str, success: str, *, reason: bool = False):
    funded_round = get_object_or_404(FundedRound, pk=pk)
    return run_action(request, lambda d: services.round_take(
        funded_round, action, actor=request.user, reason=d.get("reason", ""), ip=client_ip(request)),
        form=ReasonForm(request.POST) if reason else None, success=success, redirect_to=funded_round)


@role_required(Role.LSP_ADMIN)
@require_POST
def round_open(request, pk: int):
    return _take(request, pk, "opened", _("The round is open: agencies may propose their staff."))


@role_required(Role.LSP_ADMIN)
@require_POST
def round_close(request, pk: int):
    return _take(request, pk, "closed", _("The round is closed to new proposals."))


@role_required(Role.LSP_ADMIN)
@require_POST
def round_reopen(request, pk: int):
    return _take(request, pk, "reopened", _("The round is open again."), reason=True)
