"""The report's two files, written by the export job (``certportal.exportjobs.documents``), never in the request:
the letter to BNSP for signature (PDF, WeasyPrint) and the spreadsheet (XLSX, through ``certportal.exports``) whose
first sheet holds the frozen figures, the next two the figures per scheme and per unit, and the others
(:mod:`quality.reports.sheets`) list, row by row, the records each figure counts."""

from __future__ import annotations

from django.utils.translation import gettext as _

from certportal import exportjobs, exports
from certportal.accounts.models import Role
from certportal.exportjobs import documents
from certportal.exportjobs.models import ExportJob
from certportal.lsp.services import letterhead
from certportal.pdf import render_pdf

from . import sheets
from .models import PeriodicReport

PDF, XLSX = "quality.report_pdf", "quality.report_xlsx"
READERS = (Role.LSP_ADMIN, Role.SUPERVISOR)


def document_start(report: PeriodicReport, fmt: str, *, user) -> ExportJob:
    source = PDF if fmt == "pdf" else XLSX
    return documents.document_start(
        user=user, source=source, params={"report": report.pk},
        filename=f"laporan-bnsp-{report.kind}-{report.year}-{report.part}.{fmt}", title=str(report))


def _allowed(user, params: dict) -> bool:
    return bool(user.is_active and user.has_role(*READERS)
                and PeriodicReport.objects.filter(pk=params.get("report")).exists())


def _write_pdf(user, params: dict, out, progress) -> None:
    progress(0, 1)
    report = PeriodicReport.objects.get(pk=params["report"])
    out.write(render_pdf("quality/reports/pdf/letter.html",
                         {"report": report, "f": report.figures, "lsp": letterhead()}, language="id"))
    progress(1, 1)


def summary_rows(report: PeriodicReport) -> list[list]:
    f = report.figures
    c, a, k = f["certificates"], f["appeals"], f["complaints"]
    return [
        [_("Period"), f"{f['start']} – {f['end']}"],
        [_("Schemes in force"), f["in_force"]["schemes"]],
        [_("Schemes published outside the licensed scope"), f["in_force"].get("schemes_outside_scope", "—")],
        [_("Assessors in force"), f["in_force"]["assessors"]],
        [_("Test sites (TUK) in force"), f["in_force"]["test_sites"]], [_("Events held"), f["events_held"]],
        [_("Assessees"), f["assessees"]["assessees"]], [_("Present"), f["assessees"]["present"]],
        [_("Competent (K)"), f["assessees"]["k"]], [_("Not yet competent (BK)"), f["assessees"]["bk"]],
        [_("Certificates issued"), c["issued"]], [_("of which renewals"), c["renewed"]],
        [_("Certificates suspended"), c["suspended"]], [_("Certificates withdrawn"), c["withdrawn"]],
        [_("Certificates reduced in scope"), c["reduced"]],
        [_("Appeals filed"), a["filed"]], [_("Appeals dismissed"), a["dismissed"]],
        [_("Appeals upheld"), a["upheld"]], [_("Appeals still open"), a["open"]],
        [_("Mean days to decide an appeal"), a["mean_days"]],
        [_("Complaints and suggestions received"), k["received"]], [_("of which suggestions"), k["suggestions"]],
        [_("Answered"), k["answered"]], [_("Closed"), k["closed"]], [_("Still open"), k["open"]],
        [_("Mean days to answer"), k["mean_days"]],
    ]


def _write_xlsx(user, params: dict, out, progress) -> None:
    progress(0, 1)
    report = PeriodicReport.objects.get(pk=params["report"])
    f = report.figures
    book = [
        exports.Sheet(_("Summary"), [_("Figure"), _("Value")], summary_rows(report)),
        exports.Sheet(_("Per scheme"), [_("Scheme"), _("Name"), _("Events"), _("Assessees"), _("Present"), "K", "BK"],
                      [[r["code"], r["name"], r["events"], r["assessees"], r["present"], r["k"], r["bk"]]
                       for r in f["schemes"]]),
        exports.Sheet(_("Per unit"), [_("Scheme"), _("Unit"), _("Title"), "K", "BK"],
                      [[r["scheme"], r["unit_code"], r["title"], r["k"], r["bk"]] for r in f["units"]]),
        *sheets.list_sheets(report.starts_on, report.ends_on),
    ]
    exports.write_xlsx(out, book)
    progress(1, 1)


def register() -> None:
    exportjobs.register_document(PDF, write=_write_pdf, allowed=_allowed, fmt="pdf")
    exportjobs.register_document(XLSX, write=_write_xlsx, allowed=_allowed, fmt="xlsx")
