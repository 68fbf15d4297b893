"""Issue 30 item 5: the periodic report's figures, computed in SQL, against records whose figures the test knows,
and against the lists they summarise (the complaint report page, the spreadsheet's own lists)."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from certportal.exportjobs.models import ExportJob
from complaints import queries
from quality.reports import figures, services
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


def test_the_spreadsheet_lists_exactly_what_its_figures_count(quarter, lina, login,
                                                               django_capture_on_commit_callbacks):
    report = services.report_create(actor=lina, kind="quarter", year=2026, part=3, letter_number="001/LSP/XI/2026")
    client = login(lina)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/mutu/laporan-bnsp/{report.pk}/berkas/xlsx/")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/ekspor/{job.public_id}/"
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    download = client.get(f"/ekspor/{job.public_id}/unduh/")
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    sheets = {ws.title: list(ws.iter_rows(values_only=True))[1:] for ws in book.worksheets}
    names = [ws.title for ws in book.worksheets]
    c, a, k = EXPECTED["certificates"], EXPECTED["appeals"], EXPECTED["complaints"]
    assert len(sheets[names[3]]) == c["issued"]  # certificates issued, one row each
    moves = [row[3] for row in sheets[names[4]]]
    assert sorted(set(moves)) == ["reduced", "suspended", "withdrawn"]
    assert len(sheets[names[5]]) == a["filed"] and len(sheets[names[6]]) == k["received"]
    summary = dict(sheets[names[0]])
    assert list(summary.values())[1:6] == [2, 2, 2, 2, 5]


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
