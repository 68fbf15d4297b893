"""Internal audits and management reviews: the list (the LSP's management-system home), recording one, its page
with its findings, adding a finding (which becomes a corrective action) and concluding it."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certportal import kept_pages
from certportal.accounts.models import Role
from certportal.net import client_ip
from certportal.pagination import CappedPaginator
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_form
from quality.kept_pages import REVIEWS

from .. import selectors, services
from ..forms import ConcludeForm, FindingForm, ReviewForm
from ..models import SystemReview
from ..review_inputs import INPUTS, portal_figures

PAGE_SIZE = 25


@role_required(*selectors.READERS)
def home(request):
    def draw() -> dict:
        page = CappedPaginator(selectors.reviews(), PAGE_SIZE).get_page(request.GET.get("page"))
        return {"page": page, "reviews": page.object_list}

    return kept_pages.page(request, "quality/system/home.html", REVIEWS, kept_pages.WHOLE, draw)


@role_required(Role.LSP_ADMIN)
def review_create(request):
    form = ReviewForm(request.POST or None, figures=None if request.POST else portal_figures(timezone.localdate()))
    return run_form(request, form, lambda d: services.review_record(actor=request.user, ip=client_ip(request), **d),
                    success=_("Recorded. Add its findings: each becomes a corrective action."),
                    redirect_to=lambda r: r, template="core/form_page.html",
                    context={"title": _("Record an internal audit or a management review")})


@role_required(*selectors.READERS)
def review_detail(request, pk: int):
    review = get_object_or_404(SystemReview.objects.select_related("recorded_by", "auditor"), pk=pk)
    findings = review.findings.select_related("action__owner", "action__closed_by").order_by("number")
    admin = request.user.has_role(Role.LSP_ADMIN)
    events = list(review.audited_events.select_related("scheme").order_by("starts_at"))
    return render(request, "quality/system/review_detail.html", {
        "review": review, "findings": findings, "actions": allowed_actions(review, request.user),
        # read again on every visit: an act taken in an audited event since the audit is flagged
        "audited_events": events, "taking_part": selectors.involvement(review.auditor, events),
        "inputs": [(label, review.inputs.get(code, "")) for code, label in INPUTS] if review.inputs else [],
        "may_add_finding": admin and review.status == SystemReview.Status.RECORDED,
        "conclude_form": ConcludeForm()})


@role_required(Role.LSP_ADMIN)
def finding_add(request, pk: int):
    review = get_object_or_404(SystemReview, pk=pk)
    form = FindingForm(request.POST or None, review=review)
    return run_form(request, form, lambda d: services.finding_record(review, actor=request.user,
                                                                     ip=client_ip(request), **d),
                    success=_("The finding is recorded and its corrective action sent to its owner."),
                    redirect_to=review, template="core/form_page.html",
                    context={"title": _("A finding of %(review)s") % {"review": review}})


@role_required(Role.LSP_ADMIN)
@require_POST
def review_conclude(request, pk: int):
    review = get_object_or_404(SystemReview, pk=pk)
    return run_action(request, lambda d: services.review_conclude(review, actor=request.user, ip=client_ip(request),
                                                                  conclusions=d["conclusions"]),
                      form=ConcludeForm(request.POST), success=_("The conclusions are recorded."), redirect_to=review)
