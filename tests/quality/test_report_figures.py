"""Issue 30 item 5: the periodic report's figures, computed in SQL, against records whose figures the test knows,
and against the lists they summarise (the complaint report page, the spreadsheet's own lists)."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from assessments.certificates.models import Certificate
from assessments.events.models import Appeal, Participant, UnitResult
from certportal.exportjobs.models import ExportJob
from complaints import queries
from complaints.models import Complaint
from quality.reports import figures, paperwork, services, sheets
from quality.reports.models import PeriodicReport
from tests.quality.report_data import END, EXPECTED, START, build_quarter

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter(on_23_november):
    return build_quarter()


def test_every_figure_of_the_quarter_is_the_one_the_records_give(quarter):
    f = figures.compute(START, END)
    for key, value in EXPECTED.items():
        assert f[key] == value, key
    assert [(r["code"], r["events"], r["assessees"], r["present"], r["k"], r["bk"]) for r in f["schemes"]] == [
        (quarter["a"].code, 1, 3, 2, 1, 1), (quarter["b"].code, 1, 2, 2, 1, 0)]
    units_a = [link.unit.code for link in quarter["a"].scheme_units.order_by("position")]
    units_b = [link.unit.code for link in quarter["b"].scheme_units.order_by("position")]
    assert sorted((r["scheme"], r["unit_code"], r["k"], r["bk"]) for r in f["units"]) == sorted([
        (quarter["a"].code, units_a[0], 2, 0), (quarter["a"].code, units_a[1], 1, 1),
        (quarter["a"].code, units_a[2], 1, 1),
        (quarter["b"].code, units_b[0], 1, 1), (quarter["b"].code, units_b[1], 1, 0)])


def test_the_figures_take_a_few_grouped_queries(quarter, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        figures.compute(START, END)


def test_the_complaint_figure_is_the_complaint_reports_count(quarter, karin, login):
    f = figures.compute(START, END)
    assert f["complaints"]["received"] == queries.report_count(START, END)
    with translation.override("en"):
        page = login(karin).get("/pengaduan/laporan/?date_from=2026-07-01&date_to=2026-09-30",
                                HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{f['complaints']['received']} received from" in page or \
        f"{f['complaints']['received']} diterima" in page


SHEETS = ("summary", "per_scheme", "per_unit", "schemes", "outside_scope", "assessors", "test_sites", "events", "assessees",
          "unit_results", "certificates", "moves", "appeals", "complaints")
SUMMARY = ("period", "schemes", "outside_scope", "assessors", "test_sites", "events_held", "assessees", "present", "k", "bk",
           "issued", "renewed", "suspended", "withdrawn", "reduced", "appeals", "dismissed", "upheld", "appeals_open",
           "appeal_days", "complaints", "suggestions", "answered", "closed", "complaints_open", "answer_days")


def _xlsx(report, user, login, capture) -> dict[str, list[tuple]]:
    """The report's spreadsheet as its reader downloads it: each sheet's rows under its header, by name."""
    client = login(user)
    with capture(execute=True):
        response = client.post(f"/mutu/laporan-bnsp/{report.pk}/berkas/xlsx/")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/ekspor/{job.public_id}/"
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    download = client.get(f"/ekspor/{job.public_id}/unduh/")
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert len(book.worksheets) == len(SHEETS)
    found = {}
    for key, ws in zip(SHEETS, book.worksheets, strict=True):
        header, *rows = ws.iter_rows(values_only=True)
        found[key] = [tuple(row) + (None,) * (len(header) - len(row)) for row in rows]  # empty last cells
    return found


def _count(rows, column: int, value) -> int:
    return sum(1 for row in rows if row[column] == value)


def _mean_days(rows, start: int, end: int) -> float | None:
    spans = [(row[end] - row[start]).total_seconds() / 86400 for row in rows if row[end] is not None]
    return round(sum(spans) / len(spans), 1) if spans else None


def _per_scheme_from_lists(book) -> list[tuple]:
    schemes = sorted({row[1] for row in book["assessees"]})
    yes, k, bk = str(_("Yes")), sheets.labels(Participant, "decision")["K"], sheets.labels(Participant, "decision")["BK"]
    return [(code, len({row[0] for row in book["assessees"] if row[1] == code}),
             sum(1 for row in book["assessees"] if row[1] == code),
             sum(1 for row in book["assessees"] if row[1] == code and row[3] == yes),
             sum(1 for row in book["assessees"] if row[1] == code and row[4] == k),
             sum(1 for row in book["assessees"] if row[1] == code and row[4] == bk)) for code in schemes]


def _per_unit_from_lists(book) -> list[tuple]:
    k, bk = sheets.labels(UnitResult, "result")["K"], sheets.labels(UnitResult, "result")["BK"]
    units = sorted({(row[0], row[1]) for row in book["unit_results"]})
    return [(scheme, unit, sum(1 for r in book["unit_results"] if r[:2] == (scheme, unit) and r[4] == k),
             sum(1 for r in book["unit_results"] if r[:2] == (scheme, unit) and r[4] == bk)) for scheme, unit in units]


def _figures_from_lists(book) -> dict:
    """Every figure of the summary, counted (or averaged) from the spreadsheet's own lists."""
    yes, decision = str(_("Yes")), sheets.labels(Participant, "decision")
    moved = {(row[1], row[3]) for row in book["moves"]}
    state, status, outcome = (sheets.labels(Certificate, "status"), sheets.labels(Appeal, "status"),
                              sheets.labels(Appeal, "outcome"))
    kind, complaint = sheets.labels(Complaint, "kind"), sheets.labels(Complaint, "status")
    a, c = book["appeals"], book["complaints"]
    return {
        "schemes": len(book["schemes"]), "outside_scope": len(book["outside_scope"]),
        "assessors": len(book["assessors"]), "test_sites": len(book["test_sites"]),
        "events_held": len(book["events"]), "assessees": len(book["assessees"]),
        "present": _count(book["assessees"], 3, yes), "k": _count(book["assessees"], 4, decision["K"]),
        "bk": _count(book["assessees"], 4, decision["BK"]), "issued": len(book["certificates"]),
        "renewed": sum(1 for row in book["certificates"] if row[4]),
        **{key: sum(1 for _c, to in moved if to == state[key]) for key in ("suspended", "withdrawn", "reduced")},
        "appeals": len(a), "dismissed": _count(a, 2, outcome["dismissed"]), "upheld": _count(a, 2, outcome["reassess"]),
        "appeals_open": _count(a, 1, status["filed"]), "appeal_days": _mean_days(a, 0, 3),
        "complaints": len(c), "suggestions": _count(c, 2, kind["suggestion"]),
        "answered": sum(1 for row in c if row[4] is not None), "closed": _count(c, 3, complaint["closed"]),
        "complaints_open": len(c) - _count(c, 3, complaint["closed"]), "answer_days": _mean_days(c, 1, 4),
    }


def test_every_figure_of_the_spreadsheet_is_its_lists_count(quarter, lina, login,
                                                            django_capture_on_commit_callbacks):
    report = services.report_create(actor=lina, kind="quarter", year=2026, part=3, letter_number="001/LSP/XI/2026")
    book = _xlsx(report, lina, login, django_capture_on_commit_callbacks)
    with translation.override("id"):
        assert [row[0] for row in book["summary"]] == [str(row[0]) for row in paperwork.summary_rows(report)]
        summary = dict(zip(SUMMARY, (row[1] for row in book["summary"]), strict=True))
        counted = _figures_from_lists(book)
        per_scheme, per_unit = _per_scheme_from_lists(book), _per_unit_from_lists(book)
    for key, value in counted.items():
        assert summary[key] == value, key
    assert [(r[0], *r[2:]) for r in book["per_scheme"]] == per_scheme
    assert [(r[0], r[1], r[3], r[4]) for r in book["per_unit"]] == per_unit
    # and the lists are not empty: every figure of the known quarter has its records
    assert counted["events_held"] == EXPECTED["events_held"] and counted["bk"] == EXPECTED["assessees"]["bk"]
    assert all(counted[key] for key in ("schemes", "assessors", "test_sites", "renewed", "suspended", "withdrawn",
                                        "reduced", "dismissed", "upheld", "appeals_open", "suggestions", "closed"))
    assert len(book["unit_results"]) == sum(r[3] + r[4] for r in book["per_unit"])


def test_a_recomputed_draft_follows_the_records_and_a_sent_report_stays_frozen(quarter, lina):
    report = services.report_create(actor=lina, kind="quarter", year=2026, part=3, letter_number="001/LSP/XI/2026")
    quarter["c3"].issued_on = START
    quarter["c3"].save()
    report = services.report_recompute(report, actor=lina)
    assert report.figures["certificates"]["issued"] == EXPECTED["certificates"]["issued"] + 1
    report = services.report_send(report, actor=lina, reference="Tanda terima BNSP 77/2026")
    assert report.status == PeriodicReport._meta.get_field("status").choices[1][0]
    with pytest.raises(services.ReportError):
        services.report_recompute(report, actor=lina)
