"""Reading the LSP's certificate register (XLSX or CSV) into rows of text, before any row is checked.

The file is refused as a whole, with the reason in the reader's language (:class:`RegisterRefused`), when it is
too large, neither a workbook nor a CSV, a workbook that unpacks to too much or declares XML entities
(:mod:`certportal.workbooks`, as the agencies' cohort import), a CSV that is not UTF-8 text or holds a control
character, or when its first row does not name the columns. A formula is never calculated: its text is kept and the
row checks (:mod:`.register`) say it is a formula.

The columns are found by their names, in the register's own words (Indonesian, as the LSP's spreadsheets and
BNSP's forms write them) or in English, case, spaces and punctuation ignored (:data:`HEADERS`).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.errors import AssessmentError
from certportal.inputguard import CONTROL_IN_VALUE
from certportal.workbooks import WorkbookRefused

MAX_ROWS = 50_000
MAX_UNPACKED = 100 * 1024 * 1024
CELL_MAX = 300


class RegisterRefused(AssessmentError):
    """The whole file is refused (nothing in it is read further); the message says why."""


# key → (label in the template, the names a register may give the column, normalised)
COLUMNS = {
    "number": (gettext_lazy("Certificate number"), ("nomor sertifikat", "no sertifikat", "no. sertifikat",
                                                    "certificate number", "nomor")),
    "name": (gettext_lazy("Holder's name"), ("nama", "nama pemegang", "nama asesi", "nama lengkap",
                                             "holder name", "holder", "name")),
    "nip": (gettext_lazy("NIP"), ("nip", "nip pemegang")),
    "scheme": (gettext_lazy("Scheme code"), ("kode skema", "skema", "skema sertifikasi", "scheme code", "scheme")),
    "version": (gettext_lazy("Scheme version"), ("versi skema", "versi", "scheme version", "version")),
    "units": (gettext_lazy("Units"), ("unit kompetensi", "kode unit", "unit", "units")),
    "issued_on": (gettext_lazy("Issue date"), ("tanggal terbit", "tanggal sertifikat", "tgl terbit",
                                               "issue date", "issued on")),
    "expires_on": (gettext_lazy("Valid until"), ("berlaku sampai", "masa berlaku", "tanggal kedaluwarsa",
                                                 "valid until", "expiry date")),
    "status": (gettext_lazy("Status"), ("status", "status sertifikat")),
    "blanko": (gettext_lazy("Blanko number"), ("nomor blanko", "no blanko", "no. blanko", "blanko number")),
    "registration": (gettext_lazy("BNSP registration number"), ("nomor registrasi bnsp", "no registrasi",
                                                                "no. registrasi", "nomor registrasi",
                                                                "bnsp registration number")),
}
REQUIRED = ("number", "name", "nip", "scheme", "issued_on")


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", str(text).casefold()).split())


def _known_headers() -> dict[str, str]:
    names: dict[str, str] = {}
    for key, (_label, aliases) in COLUMNS.items():
        names.update({norm(a): key for a in aliases})
        names[norm(key)] = key
    return names


def columns_of(header) -> dict[str, int]:
    """Where each column is (by its name), or :class:`RegisterRefused` naming the required ones missing."""
    known, found = _known_headers(), {}
    for index, value in enumerate(list(header)[:40]):
        key = known.get(norm(cell(value)))
        if key and key not in found:
            found[key] = index
    missing = [str(COLUMNS[k][0]) for k in REQUIRED if k not in found]
    if missing:
        raise RegisterRefused(_("The first row must name the register's columns; missing: %(names)s.") % {
            "names": ", ".join(missing)})
    return found


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


def read_register(data: bytes, name: str) -> list[dict]:
    """The rows of the file below its header, each ``{"line": n, key: text, ..., "raw_nip_number": bool}``;
    or :class:`RegisterRefused`."""
    from certportal.files import max_upload_bytes

    name = str(name)[:100]
    if len(data) > max_upload_bytes():
        raise RegisterRefused(_("The file is %(size).1f MB; the limit is %(limit).0f MB.") % {
            "size": len(data) / 1024 / 1024, "limit": max_upload_bytes() / 1024 / 1024})
    try:
        lines = _xlsx_lines(data) if data.startswith(b"PK\x03\x04") else _csv_lines(data, name)
        return _rows(lines)
    except RegisterRefused:
        raise
    except WorkbookRefused as exc:
        raise RegisterRefused(str(exc)) from None
    except Exception:  # noqa: BLE001 - whatever cannot be read as a workbook is not a workbook we accept
        raise RegisterRefused(_("“%(name)s” could not be read as an Excel workbook (.xlsx) or a CSV file.") % {
            "name": name}) from None


def _xlsx_lines(data: bytes):
    from certportal.workbooks import xlsx_rows

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
            raise RegisterRefused(_("The workbook unpacks to more than %(max)s MB.") % {
                "max": MAX_UNPACKED // 1024 // 1024})
    return xlsx_rows(data)


def _csv_lines(data: bytes, name: str):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RegisterRefused(_("“%(name)s” is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8; save it "
                                "again from the spreadsheet program.") % {"name": name}) from None
    if CONTROL_IN_VALUE.search(text):
        raise RegisterRefused(_("The file holds a control character (such as NUL) or a broken character; save it "
                                "again from the spreadsheet program."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return iter(csv.reader(io.StringIO(text), delimiter=delimiter))


def _rows(lines) -> list[dict]:
    rows: list[dict] = []
    try:
        columns = columns_of(next(lines, None) or ())
        for number, line in enumerate(lines, start=2):
            raw = {key: (line[i] if i < len(line) else None) for key, i in columns.items()}
            cells = {key: cell(value) for key, value in raw.items()}
            if not any(cells.values()):
                continue
            if len(rows) >= MAX_ROWS:
                raise RegisterRefused(_("The file has more than %(max)d certificates; import it in parts.") % {
                    "max": MAX_ROWS})
            cells["line"] = number
            # a NIP typed into a number cell keeps 15 digits only
            cells["nip_as_number"] = isinstance(raw.get("nip"), (int, float)) and len(cells.get("nip", "")) >= 16
            rows.append(cells)
    finally:
        close = getattr(lines, "close", None)
        if close:
            close()
    if not rows:
        raise RegisterRefused(_("The file has no certificates below its header row."))
    return rows
