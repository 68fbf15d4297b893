"""Reports: complaints per period (page, CSV, XLSX) and the satisfaction index (page, chart, PDF, CSV, import)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from certportal import exports, figures
from certportal.accounts.models import Role
from certportal.exportjobs import services as exportjobs
from certportal.pdf import render_pdf
from certportal.permissions import role_required

from .. import queries, services, skm
from ..forms import PaperImportForm, PeriodForm
from ..models import FIGURES

STAFF = (Role.COMPLAINT_OFFICER, Role.SUPERVISOR)


def _period(request) -> tuple[PeriodForm, datetime.date, datetime.date]:
    return _period_of(request.GET)


def _period_of(query) -> tuple[PeriodForm, datetime.date, datetime.date]:
    today = timezone.localdate()
    default = {"date_from": today.replace(month=1, day=1), "date_to": today}
    form = PeriodForm(query or None, initial=default)
    if query and form.is_valid():
        return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    if not query:
        form = PeriodForm(default)
        form.is_valid()
    return form, default["date_from"], default["date_to"]


def report_headers() -> list[str]:
    return [_("Tracking number"), _("Received"), _("Kind"), _("Channel"), _("Service"), _("Component"),
            _("Route"), _("Status"), _("Answered"), _("Days to answer"), _("Answer due (limit)")]


@role_required(*STAFF)
def complaint_report(request):
    form, start, end = _period(request)
    # the figures and the 100 oldest open complaints, drawn once per kept report (the same for every reader):
    # drawing the rows cost more than counting them
    today = timezone.localdate()
    figures_html = figures.kept(FIGURES, ("report-html", start, end, today), lambda: render_to_string(
        "complaints/_report_figures.html", {"start": start, "end": end, "data": queries.report(start, end, today)}))
    return render(request, "complaints/reports.html", {
        "form": form, "start": start, "end": end, "figures": mark_safe(figures_html),  # noqa: S308 - escaped
        "query": request.GET.urlencode(),
    })


REPORT_EXPORT = "complaints.report"


def _in_background(request, fmt: str, start, end):
    """More complaints in the period than ``EXPORT_BACKGROUND_ROWS``: an export job (its page follows it)."""
    if not exportjobs.needs_background(queries.report_count(start, end)):
        return None
    job = exportjobs.export_start(user=request.user, source=REPORT_EXPORT, params=exportjobs.params_of(request.GET),
                                  fmt=fmt, filename=f"pengaduan-{start}-{end}.{fmt}", title=_("Complaints"))
    return redirect(job)


def _summary_sheets(start, end) -> list:
    data = queries.report(start, end)
    return [exports.Sheet(title, [title, _("Count")], data["by"][key])
            for key, title in (("channel", _("Channel")), ("component", _("Component")), ("route", _("Route")),
                               ("status", _("Status")))]


@role_required(*STAFF)
def complaint_report_csv(request):
    _form, start, end = _period(request)
    if job := _in_background(request, "csv", start, end):
        return job
    return exports.csv_response(f"pengaduan-{start}-{end}.csv", queries.report_rows(start, end), report_headers())


@role_required(*STAFF)
def complaint_report_xlsx(request):
    _form, start, end = _period(request)
    if job := _in_background(request, "xlsx", start, end):
        return job
    sheets = [exports.Sheet(_("Complaints"), report_headers(), queries.report_rows(start, end)),
              *_summary_sheets(start, end)]
    return exports.xlsx_response(f"pengaduan-{start}-{end}.xlsx", sheets)


def report_export_table(user, params: dict) -> exportjobs.Table:
    """The complaint report for a background export: the same period, the requester's rights (apps.py)."""
    if not user.has_role(*STAFF):
        raise PermissionDenied(_("Only complaint staff export the complaint report."))
    _form, start, end = _period_of(exportjobs.query_of(params))
    return exportjobs.Table(_("Complaints"), report_headers(), queries.report_rows(start, end),
                            queries.report_count(start, end), _summary_sheets(start, end))


# --- satisfaction index --------------------------------------------------------------------------


def _skm_params(request) -> dict:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    quarter = request.GET.get("quarter", "")
    quarter = int(quarter) if quarter in {"1", "2", "3", "4"} else None
    scheme = request.GET.get("scheme")
    scheme = scheme if scheme not in (None, "__all__") else None
    start, end = skm.period_bounds(year, quarter)
    # the same for every reader (comments carry no respondent): kept a minute, forgotten by any new answer
    result, quarters, schemes, comments = figures.kept(FIGURES, ("skm", start, end, year, scheme), lambda: (
        queries.skm_index(start, end, scheme), queries.skm_quarters(year, scheme),
        queries.skm_by_scheme(start, end), queries.skm_comments(start, end, scheme)))
    return {
        "year": year, "quarter": quarter, "scheme": scheme, "start": start, "end": end, "result": result,
        "elements": result.elements(), "quarters": quarters, "schemes": schemes, "comments": comments,
        "grades": skm.GRADES, "years": range(today.year - 4, today.year + 1),
        "period_label": (_("Q%(q)d %(year)d") % {"q": quarter, "year": year}) if quarter else str(year),
    }


@role_required(*STAFF)
def skm_page(request):
    ctx = _skm_params(request)
    ctx["chart"] = {
        "labels": [f"{e['code']} {e['element']}" for e in ctx["elements"]],
        "means": [float(e["mean"]) for e in ctx["elements"]],
        "weakest": [e["weakest"] for e in ctx["elements"]],
        "label": _("Mean score (1–4)"),
    }
    ctx["query"] = request.GET.urlencode()
    return render(request, "complaints/skm.html", ctx)


@role_required(*STAFF)
def skm_pdf(request):
    ctx = _skm_params(request)
    ctx["generated"] = timezone.localtime()
    ctx["PORTAL_AGENCY"] = settings.PORTAL_AGENCY
    pdf = render_pdf("complaints/pdf/skm.html", ctx, language=request.LANGUAGE_CODE)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ikm-{ctx["period_label"].replace(" ", "-")}.pdf"'
    return response


@role_required(*STAFF)
def skm_csv(request):
    ctx = _skm_params(request)
    filename = f"ikm-{ctx['period_label'].replace(' ', '-')}.csv"
    return exports.csv_response(filename, _skm_rows(ctx))


def _skm_rows(ctx: dict):
    result = ctx["result"]
    yield [_("Period"), ctx["period_label"], ctx["start"], ctx["end"]]
    yield [_("Respondents"), result.respondents]
    yield [pgettext("survey", "Element"), _("Mean"), _("Weakest")]
    for e in ctx["elements"]:
        yield [f"{e['code']} {e['element']}", e["mean"], _("yes") if e["weakest"] else None]
    yield [_("Index"), result.index]
    yield [_("Grade"), result.grade, result.quality]
    yield []
    yield [_("Scheme"), _("Respondents"), _("Index"), _("Grade")]
    for code, r in ctx["schemes"]:
        yield [code or _("(no scheme)"), r.respondents, r.index, r.grade]


@role_required(Role.COMPLAINT_OFFICER)
def skm_import(request):
    form = PaperImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        count, errors = services.survey_import_paper(text=form.cleaned_data["file"], actor=request.user,
                                                     file_name=request.FILES["file"].name)
        if not errors:
            messages.success(request, _("%(n)d paper answers imported.") % {"n": count})
            return redirect("complaints:skm")
    return render(request, "complaints/skm_import.html", {"form": form, "errors": errors})
