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
"""

from __future__ import annotations

import io
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
