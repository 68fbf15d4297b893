"""Reading an uploaded workbook (XLSX) at a bounded cost whatever its XML, and taking nothing from it the database
refuses (issue 42).

An XLSX is a ZIP of XML parts. XML may declare entities that expand to gigabytes (a 5 KB file of nested entities
cost 4.3 s and 170 MB before openpyxl refused it) or name an outside DTD. No spreadsheet program writes a DTD, so
before openpyxl opens anything, :func:`check_parts` reads every part (in chunks, at most :data:`MAX_PART` bytes each,
the ZIP's declared sizes bounding what it unpacks) and refuses the file when one declares a ``<!DOCTYPE`` or an
``<!ENTITY``, or is XML in UTF-16 (which would hide those words from a byte scan): nothing is expanded, the parser is
never called. The callers check the upload's size and the ZIP's unpacked total first.

:func:`xlsx_rows` then gives the first sheet's rows as values (a formula as its text, never evaluated), row by row,
and refuses a cell holding a control character or a lone surrogate (OOXML's ``_x0000_`` escape gives one): a clear
:class:`WorkbookRefused` in the reader's language, which each importer shows as its own error.

:func:`read_table` reads a table whose first row names its columns (an XLSX through :func:`xlsx_rows`, or a CSV in
UTF-8 without control characters) into rows of text: the LSP's registers (certificates, assessors, test sites) and
any other import of named columns. A formula is never calculated: its text is kept for the row checks to report.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile

from django.utils.translation import gettext as _

from certportal.inputguard import CONTROL_IN_VALUE

MAX_PART = 20 * 1024 * 1024
CHUNK = 64 * 1024
MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
UTF16_STARTS = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")


class WorkbookRefused(ValueError):
    """Why the workbook is refused, in the reader's language."""


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_part: int) -> None:
    if info.file_size > max_part:
        raise WorkbookRefused(_("A part of the workbook unpacks to more than %(max)d MB.") % {
            "max": max_part // 1024 // 1024})
    with archive.open(info) as part:
        tail, first = b"", True
        while chunk := part.read(CHUNK):
            if first and chunk.startswith(UTF16_STARTS):
                raise WorkbookRefused(_("The workbook's XML is not in UTF-8; save it again from the spreadsheet "
                                        "program as an Excel workbook (.xlsx)."))
            window, first = tail + chunk, False
            if any(marker in window for marker in MARKERS):
                raise WorkbookRefused(_("The workbook declares XML entities or a DTD, which no spreadsheet "
                                        "program writes; it was refused unread."))
            tail = window[-(max(map(len, MARKERS)) - 1):]


def check_parts(data: bytes, *, max_part: int = MAX_PART) -> None:
    """Refuse (:class:`WorkbookRefused`) a workbook with a part that declares a DTD or an entity, is UTF-16 XML or
    unpacks to more than ``max_part`` (:data:`MAX_PART`; the province's roster, 50,000 rows, is allowed more).
    Reads each part once, in chunks; parses nothing."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not info.is_dir():
                _check_part(archive, info, max_part)


def _checked(row: tuple, number: int) -> tuple:
    for value in row:
        if isinstance(value, str) and CONTROL_IN_VALUE.search(value):
            raise WorkbookRefused(_("Row %(row)d holds a control character (such as NUL) or a broken character; "
                                    "type the value again.") % {"row": number})
    return row


def xlsx_rows(data: bytes, *, max_part: int = MAX_PART):
    """The first sheet's rows of an uploaded workbook, as values (a formula as its text, never evaluated), read
    row by row, after :func:`check_parts`. The caller checks size and what the ZIP unpacks to first (see
    ``assessments.certificates.services.bnsp``)."""
    from openpyxl import load_workbook

    check_parts(data, max_part=max_part)
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            yield _checked(row, number)
    finally:
        workbook.close()


# --- a table of named columns (XLSX or CSV), the imports of the LSP's registers --------------------------------------

TABLE_MAX_ROWS = 50_000
TABLE_MAX_UNPACKED = 100 * 1024 * 1024
CELL_MAX = 300


def norm(text: str) -> str:
    """A column's name as compared: case, spaces and punctuation ignored."""
    return " ".join(re.sub(r"[^\w]+", " ", str(text).casefold()).split())


def cell(value) -> str:
    """A cell as text: a whole number without ".0", a date as YYYY-MM-DD, a formula as its text."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = getattr(value, "text", None)  # an array formula carries its formula as text
    return (text if isinstance(text, str) else str(value)).strip()[:CELL_MAX + 1]


def columns_of(header, columns: dict, required) -> dict[str, int]:
    """Where each column of ``columns`` ({key: (label, names)}) is, by its name or its key; or
    :class:`WorkbookRefused` naming the ``required`` ones missing."""
    known: dict[str, str] = {}
    for key, (_label, aliases) in columns.items():
        known.update({norm(a): key for a in aliases})
        known[norm(key)] = key
    found: dict[str, int] = {}
    for index, value in enumerate(list(header)[:40]):
        key = known.get(norm(cell(value)))
        if key and key not in found:
            found[key] = index
    missing = [str(columns[k][0]) for k in required if k not in found]
    if missing:
        raise WorkbookRefused(_("The first row must name the file's columns; missing: %(names)s.") % {
            "names": ", ".join(missing)})
    return found


def read_table(data: bytes, name: str, columns: dict, required, *, text_keys=(), max_rows: int = TABLE_MAX_ROWS,
               max_bytes: int | None = None) -> list[dict]:
    """The rows of an uploaded XLSX or CSV below its header, each ``{"line": n, key: text, ...}`` (a column found
    by any of its names; ``<key>_as_number`` for a ``text_keys`` column typed into a number cell, which keeps 15
    digits only); or :class:`WorkbookRefused`: too large, neither a workbook nor a UTF-8 CSV, a workbook that
    unpacks to too much or declares entities, a control character, no header, no rows, too many rows."""
    from certportal.files import max_upload_bytes

    name, limit = str(name)[:100], max_bytes or max_upload_bytes()
    if len(data) > limit:
        raise WorkbookRefused(_("The file is %(size).1f MB; the limit is %(limit).0f MB.") % {
            "size": len(data) / 1024 / 1024, "limit": limit / 1024 / 1024})
    try:
        lines = _table_xlsx(data) if data.startswith(b"PK\x03\x04") else _table_csv(data, name)
        return _table_rows(lines, columns, required, text_keys, max_rows)
    except WorkbookRefused:
        raise
    except Exception:  # noqa: BLE001 - whatever cannot be read as a workbook is not a workbook we accept
        raise WorkbookRefused(_("“%(name)s” could not be read as an Excel workbook (.xlsx) or a CSV file.") % {
            "name": name}) from None


def _table_xlsx(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(i.file_size for i in archive.infolist()) > TABLE_MAX_UNPACKED:
            raise WorkbookRefused(_("The workbook unpacks to more than %(max)s MB.") % {
                "max": TABLE_MAX_UNPACKED // 1024 // 1024})
    return xlsx_rows(data)


def _table_csv(data: bytes, name: str):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkbookRefused(_("“%(name)s” is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8; save it "
                                "again from the spreadsheet program.") % {"name": name}) from None
    if CONTROL_IN_VALUE.search(text):
        raise WorkbookRefused(_("The file holds a control character (such as NUL) or a broken character; save it "
                                "again from the spreadsheet program."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return iter(csv.reader(io.StringIO(text), delimiter=delimiter))


def _table_rows(lines, columns: dict, required, text_keys, max_rows: int) -> list[dict]:
    rows: list[dict] = []
    try:
        found = columns_of(next(lines, None) or (), columns, required)
        for number, line in enumerate(lines, start=2):
            raw = {key: (line[i] if i < len(line) else None) for key, i in found.items()}
            cells: dict = {key: cell(value) for key, value in raw.items()}
            if not any(cells.values()):
                continue
            if len(rows) >= max_rows:
                raise WorkbookRefused(_("The file has more than %(max)d rows; import it in parts.") % {
                    "max": max_rows})
            cells["line"] = number
            for key in text_keys:
                cells[f"{key}_as_number"] = isinstance(raw.get(key), (int, float)) and len(cells.get(key, "")) >= 16
            rows.append(cells)
    finally:
        close = getattr(lines, "close", None)
        if close:
            close()
    if not rows:
        raise WorkbookRefused(_("The file has no rows below its header row."))
    return rows


def table_date(text: str) -> datetime.date | None:
    """A date cell: YYYY-MM-DD (as a workbook's date cell reads), DD/MM/YYYY, DD-MM-YYYY or DD.MM.YYYY (as typed
    in Indonesia); None when it is none of these."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None


def cell_problems(row: dict, columns: dict, *, longest: int = 200, long_keys=()) -> list[str]:
    """A row's cells that are formulas (never calculated: the row is reported) or longer than ``longest``
    characters (``long_keys`` may hold up to :data:`CELL_MAX`), in the reader's language."""
    from certportal.exports import neutralise

    problems = []
    for key, (label, _names) in columns.items():
        text = row.get(key, "")
        if text and neutralise(text) != text:
            problems.append(_("The %(column)s cell is a formula (“%(text)s”); type the value itself.") % {
                "column": label, "text": text[:40]})
        elif len(text) > (CELL_MAX if key in long_keys else longest):
            problems.append(_("The %(column)s cell is longer than %(max)d characters.") % {
                "column": label, "max": CELL_MAX if key in long_keys else longest})
    return problems
