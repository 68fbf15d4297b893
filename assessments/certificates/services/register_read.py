"""Reading the LSP's certificate register (XLSX or CSV) into rows of text, before any row is checked.

The file is read by :func:`certportal.workbooks.read_table` and refused as a whole, with the reason in the reader's
language (:class:`RegisterRefused`), when it is too large, neither a workbook nor a CSV, a workbook that unpacks to
too much or declares XML entities (as the agencies' cohort import), a CSV that is not UTF-8 text or holds a control
character, or when its first row does not name the columns. A formula is never calculated: its text is kept and the
row checks (:mod:`.register`) say it is a formula.

The columns are found by their names, in the register's own words (Indonesian, as the LSP's spreadsheets and
BNSP's forms write them) or in English, case, spaces and punctuation ignored (:data:`HEADERS`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from assessments.errors import AssessmentError
from certportal.workbooks import WorkbookRefused, read_table


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


def read_register(data: bytes, name: str) -> list[dict]:
    """The rows of the file below its header, each ``{"line": n, key: text, ..., "nip_as_number": bool}``;
    or :class:`RegisterRefused`."""
    try:
        return read_table(data, name, COLUMNS, REQUIRED, text_keys=("nip",))
    except WorkbookRefused as exc:
        raise RegisterRefused(str(exc)) from None
