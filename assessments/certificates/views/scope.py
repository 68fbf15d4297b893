"""Scope reduction (the LSP admin's decision page) and misuse reports (the public form beside the verification
page; the LSP admin's list, report page, result and evidence files)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from assessments.certificates.models import Certificate
from assessments.certificates.scope_forms import MisuseHandleForm, MisuseReportForm, ReductionForm
from assessments.certificates.scope_models import MisuseEvidence, MisuseReport
from assessments.certificates.selectors import certificates_visible_to
from assessments.certificates.services import misuse, reduction
from assessments.certificates.views.public import _limited
from assessments.events.selectors import get_or_403
from certportal.accounts.models import Role
from certportal.errors import PortalError
from certportal.net import client_ip
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_form


@role_required(Role.LSP_ADMIN)
def certificate_reduce(request, pk):
    """GET: the decision form (or why the certificate cannot be reduced); POST: reduce and go to the replacement."""
    cert = get_or_403(certificates_visible_to(request.user), pk=pk)
    action = allowed_actions(cert, request.user, only=("reduced",))["reduced"]
    form = ReductionForm(request.POST or None, units=reduction.certificate_units(cert))

    def call(data):
        return reduction.reduction_decide(
            cert, actor=request.user, kept_codes=data["kept"], ground=data["ground"],
            ground_reference=data["ground_reference"], reason=data["reason"], decree_number=data["decree_number"],
            decided_on=data["decided_on"], members=data["members"], ip=client_ip(request))

    return run_form(request, form, call, template="assessments/certificate_reduce.html",
                    success=lambda r: _("The scope of %(old)s is reduced; certificate %(new)s replaces it and the "
                                        "holder is told.") % {"old": cert.number, "new": r.replacement.number},
                    redirect_to=lambda r: reverse("assessments:certificate", args=[r.replacement_id]),
                    context=lambda: {"cert": cert, "action": action})


@login_not_required
@never_cache
def misuse_new(request, code):
    """The public form "report misuse" of the certificate whose verification code is in the address (opened under
    the look-ups' own per-minute limit, so the form is no way round it to try codes)."""
    limited = _limited(request)
    if limited:
        return limited
    cert = get_object_or_404(Certificate, verification_code=(code or "").strip().upper()[:64])
    form = MisuseReportForm(request.POST or None, request.FILES or None)
    here = reverse("assessments:misuse-new", kwargs={"code": cert.verification_code})
    if request.method == "POST" and form.is_valid() and form.cleaned_data.get("website"):
        messages.success(request, _("Thank you. Your report has been received."))
        return redirect(here)  # a bot filled the honeypot: pretend, record nothing

    def file(data):
        if misuse.report_rate_limited(client_ip(request)):
            raise PortalError(_("Too many reports were sent from your connection in the last hour. Please try "
                                "again later."))
        return misuse.misuse_report_file(cert, what=data["what"], where=data["where"],
                                         reporter_name=data["reporter_name"],
                                         reporter_contact=data["reporter_contact"], uploads=data["evidence"],
                                         ip=client_ip(request))

    return run_form(request, form, file, template="assessments/misuse_new.html",
                    success=lambda r: _("Thank you. Your report has been received; the LSP reviews every report. Its "
                                        "number is %(number)s.") % {"number": r.number},
                    redirect_to=misuse.tracking_url, context=lambda: {"cert": cert, "rules": misuse.USE_RULES})


@login_not_required
@never_cache
def misuse_track(request, token):
    """The reporter's page of their report (the thank-you page, and where they follow it): its number and status,
    found by the signed token in the address only."""
    report = misuse.report_by_token(token)
    if report is None:
        raise Http404
    return render(request, "assessments/misuse_track.html", {"report": report})


@role_required(Role.LSP_ADMIN)
def misuse_reports(request):
    """Open reports first, then the handled ones (newest first in each)."""
    status, number = request.GET.get("status", ""), request.GET.get("number", "").strip()[:40]
    qs = MisuseReport.objects.select_related("certificate").order_by("-created_at", "-id")
    if status in MisuseReport.Status.values:
        qs = qs.filter(status=status)
    if number:  # the number a reporter gives (PS-2026-00012)
        qs = qs.filter(pk=MisuseReport.pk_of_number(number) or 0)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "assessments/misuse_reports.html", {
        "page": page, "status": status, "number": number, "statuses": MisuseReport.Status.choices})


def _report(request, pk) -> MisuseReport:
    return get_or_403(MisuseReport.objects.select_related("certificate"), pk=pk)


@role_required(Role.LSP_ADMIN)
def misuse_report(request, pk):
    report = _report(request, pk)
    from certportal.audit.services import history_for

    return render(request, "assessments/misuse_report.html", {
        "report": report, "files": report.files.all(), "actions": allowed_actions(report, request.user),
        "form": MisuseHandleForm(), "history": history_for(report)})


@require_POST
@role_required(Role.LSP_ADMIN)
def misuse_handle(request, pk):
    report = _report(request, pk)
    action = request.POST.get("action", "")
    if action not in allowed_actions(report, request.user):
        raise Http404
    here = reverse("assessments:misuse-report", kwargs={"pk": report.pk})
    return run_action(request, lambda d: misuse.misuse_handle(report, action, actor=request.user, reason=d["reason"],
                                                             until=d.get("until"), ip=client_ip(request)),
                      form=MisuseHandleForm(request.POST), redirect_to=here,
                      success=lambda r: _("The report is closed: %(result)s.") % {"result": r.get_status_display()})


@role_required(Role.LSP_ADMIN)
def misuse_file(request, pk):
    """Evidence of a misuse report: for the LSP admin only, never at a guessable URL."""
    doc = get_or_403(MisuseEvidence.objects.all(), pk=pk)
    return doc.response()
