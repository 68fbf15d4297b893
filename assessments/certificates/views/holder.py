"""The holder's certificate page (report a change, re-certify), the LSP admin's review of holder reports, and the
employers' API tokens (issued and revoked by the LSP admin)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.certificates.credentials import views as credentials
from assessments.certificates.forms import ApiTokenForm, HolderReportForm, ReasonForm, SurveillanceForm
from assessments.certificates.models import (
    CERTIFICATE_STATES,
    STATE_COLOURS,
    ApiToken,
    Certificate,
    HolderReport,
    SurveillanceFile,
    SurveillanceReport,
)
from assessments.certificates.services import holder, renewal, surveillance
from assessments.certificates.services.misuse import USE_RULES
from assessments.certificates.services.reduction import reduction_of
from assessments.events.selectors import get_or_403
from certportal.accounts.models import Role
from certportal.dates import day
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_service


def _my_certificates(user):
    return Certificate.objects.held_by(user).select_related("application__applicant", "holder", "scheme")


@role_required(Role.APPLICANT)
def holder_certificate(request, pk):
    """The holder's own certificate: its state and validity, a change to report, re-certification."""
    cert = get_or_403(_my_certificates(request.user), pk=pk)
    here = reverse("assessments:holder-certificate", kwargs={"pk": cert.pk})
    if request.method == "POST" and request.POST.get("action") == "surveillance":
        uploads = request.FILES.getlist("files")
        return run_action(request, lambda d: surveillance.surveillance_submit(
            cert, user=request.user, statement=d["statement"], uploads=uploads),
            form=SurveillanceForm(request.POST), redirect_to=here + "#surveillance",
            success=_("Your surveillance evidence is sent to the LSP."))
    if request.method == "POST":
        return run_action(request, lambda d: holder.holder_report_submit(cert, user=request.user, text=d["text"]),
                          form=HolderReportForm(request.POST), redirect_to=here,
                          success=_("Your report is sent to the LSP, which will review it."))
    state = cert.state()
    return render(request, "assessments/holder_certificate.html", {
        "cert": cert, "state": state, "state_label": CERTIFICATE_STATES[state], "colour": STATE_COLOURS[state],
        "reports": cert.holder_reports.all(), "form": HolderReportForm(),
        "recertify_refusal": renewal.recertify_refusal(cert, request.user, timezone.localdate()),
        "renewed_by": cert.renewed_by.first(), "renewal": cert.renewals.select_related("application").first(),
        "surveillance_dates": surveillance.surveillance_dates(cert), "surveillance_due": surveillance.next_due(cert),
        "surveillance_reports": cert.surveillance_reports.prefetch_related("files"),
        "surveillance_form": SurveillanceForm(), "use_rules": USE_RULES, "reduction": reduction_of(cert),
        "may_report": cert.status not in (Certificate.Status.WITHDRAWN, Certificate.Status.REDUCED),
        **credentials.holder_context(cert, request)})


@require_POST
@role_required(Role.APPLICANT)
def recertify(request, pk):
    """Start (or continue) the re-certification application, pre-filled from the certificate's application."""
    cert = get_or_403(_my_certificates(request.user), pk=pk)
    started: dict = {}

    def start() -> None:
        started["app"] = renewal.recertification_start(cert, user=request.user)

    if run_service(request, start, success=_("Your re-certification application is ready: check what was carried "
                                             "over from your previous application, complete it and submit it.")):
        return redirect("applicants:step-data", pk=started["app"].pk)
    return redirect("assessments:holder-certificate", pk=cert.pk)


@role_required(Role.LSP_ADMIN)
def holder_reports(request):
    """Reports waiting for a review first, then the reviewed ones."""
    reports = (HolderReport.objects.select_related("certificate", "reporter")
               .order_by("-status", "created_at")[:200])  # "submitted" sorts after "reviewed": descending first
    return render(request, "assessments/holder_reports.html", {"reports": reports})


@require_POST
@role_required(Role.LSP_ADMIN)
def holder_report_review(request, pk):
    report = get_or_403(HolderReport.objects.all(), pk=pk)
    return run_action(request, lambda d: holder.holder_report_review(report, actor=request.user, reason=d["reason"]),
                      form=ReasonForm(request.POST), success=_("The review is recorded."),
                      redirect_to=reverse("assessments:certificate", kwargs={"pk": report.certificate_id}))


def report_actions(cert, user) -> list:
    """The certificate page's holder reports, each with the review button ``allowed_actions`` offers."""
    reports = list(cert.holder_reports.all())
    for r in reports:
        r.review_action = allowed_actions(r, user)["reviewed"]
    return reports


@role_required(Role.LSP_ADMIN)
def api_tokens(request):
    """Issue a token (shown once) and list the others with their state."""
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("assessments:api-tokens")
        issued: dict = {}

        def issue() -> None:
            issued["token"], issued["raw"] = holder.api_token_issue(name=form.cleaned_data["name"],
                                                                     actor=request.user)

        if run_service(request, issue, success=_("The token is issued. Copy it now: it is not shown again.")):
            # shown on this response only (never stored, never in a redirect's URL)
            return render(request, "assessments/api_tokens.html", {**_tokens_context(), "new": issued})
        return redirect("assessments:api-tokens")
    return render(request, "assessments/api_tokens.html", _tokens_context())


def _tokens_context() -> dict:
    return {"tokens": ApiToken.objects.all()[:200], "form": ApiTokenForm(), "now": timezone.now(),
            "token_days": settings.ASSESSMENT_API_TOKEN_DAYS, "misses_per_day": settings.ASSESSMENT_API_MISSES_PER_DAY}


@require_POST
@role_required(Role.LSP_ADMIN)
def api_token_revoke(request, pk):
    token = get_or_403(ApiToken.objects.all(), pk=pk)
    return run_action(request, lambda d: holder.api_token_revoke(token, actor=request.user),
                      success=_("The token is revoked: calls with it are refused from now on."),
                      redirect_to="assessments:api-tokens")


@require_POST
@role_required(Role.LSP_ADMIN)
def api_token_renew(request, pk):
    token = get_or_403(ApiToken.objects.all(), pk=pk)
    return run_action(request, lambda d: holder.api_token_renew(token, actor=request.user),
                      success=lambda t: _("The token is renewed until %(day)s and answers again.") % {
                          "day": day(timezone.localdate(t.expires_at))},
                      redirect_to="assessments:api-tokens")


@role_required(Role.LSP_ADMIN)
def surveillance_queue(request):
    """Evidence to review, and certificates whose evidence is missing past the grace period (to suspend or not)."""
    return render(request, "assessments/surveillance.html", {
        "overdue": surveillance.surveillance_overdue(timezone.localdate()),
        "to_review": SurveillanceReport.objects.filter(status=SurveillanceReport.Status.SUBMITTED)
        .select_related("certificate").order_by("due_on")[:200],
        "grace": settings.ASSESSMENT_SURVEILLANCE_GRACE_DAYS})


@require_POST
@role_required(Role.LSP_ADMIN)
def surveillance_review(request, pk):
    report = get_or_403(SurveillanceReport.objects.all(), pk=pk)
    return run_action(request, lambda d: surveillance.surveillance_review(report, actor=request.user,
                                                                          reason=d["reason"]),
                      form=ReasonForm(request.POST), success=_("The review is recorded."),
                      redirect_to=reverse("assessments:certificate", kwargs={"pk": report.certificate_id}))


@role_required(Role.LSP_ADMIN, Role.APPLICANT)
def surveillance_file(request, pk):
    """A surveillance document: for the LSP admin and the holder only (never at a guessable URL)."""
    files = SurveillanceFile.objects.select_related("report__certificate__application")
    if not request.user.has_role(Role.LSP_ADMIN):
        files = files.filter(report__certificate__in=Certificate.objects.held_by(request.user))
    doc = get_or_403(files, pk=pk)
    return doc.response()


def surveillance_actions(cert, user) -> list:
    reports = list(cert.surveillance_reports.prefetch_related("files"))
    for r in reports:
        r.review_action = allowed_actions(r, user)["reviewed"]
    return reports
