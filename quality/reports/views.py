"""The periodic reports to BNSP: the LSP admin makes, recomputes and records them sent; the supervisor reads them.
Both may have the letter (PDF) and the spreadsheet (XLSX) written by the export job."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certportal.net import client_ip
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_form

from . import paperwork, services
from .forms import ReportForm, SendForm
from .models import PeriodicReport
from .workflow import ADMIN, READERS


@role_required(*READERS)
def report_list(request):
    reports = PeriodicReport.objects.select_related("created_by").all()
    return render(request, "quality/reports/list.html", {"reports": reports, "form": ReportForm()})


@role_required(*ADMIN)
def report_create(request):
    form = ReportForm(request.POST or None)
    return run_form(request, form, lambda d: services.report_create(actor=request.user, ip=client_ip(request), **d),
                    success=_("The report is made: check its figures, then have the letter signed."),
                    redirect_to=lambda r: r, template="quality/reports/create.html",
                    context={"title": _("New periodic report"), "submit_label": _("Make the report")})


@role_required(*READERS)
def report_detail(request, pk: int):
    report = get_object_or_404(PeriodicReport, pk=pk)
    return render(request, "quality/reports/detail.html", {
        "report": report, "f": report.figures, "summary": paperwork.summary_rows(report),
        "actions": allowed_actions(report, request.user), "send_form": SendForm()})


@role_required(*ADMIN)
@require_POST
def report_recompute(request, pk: int):
    report = get_object_or_404(PeriodicReport, pk=pk)
    return run_action(request, lambda _d: services.report_recompute(report, actor=request.user, ip=client_ip(request)),
                      success=_("The figures are computed again."), redirect_to=report)


@role_required(*ADMIN)
@require_POST
def report_send(request, pk: int):
    report = get_object_or_404(PeriodicReport, pk=pk)
    return run_action(request, lambda d: services.report_send(report, actor=request.user, reference=d["reference"],
                                                              ip=client_ip(request)),
                      form=SendForm(request.POST), success=_("The report is recorded as sent to BNSP."),
                      redirect_to=report)


@role_required(*READERS)
@require_POST
def report_document(request, pk: int, fmt: str):
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    report = get_object_or_404(PeriodicReport, pk=pk)
    return redirect(paperwork.document_start(report, fmt, user=request.user))
