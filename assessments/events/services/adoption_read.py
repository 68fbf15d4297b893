"""Reading the LSP's registers of assessors and test sites (XLSX or CSV) into rows of text, and what the checks of
both share: the cells (formulas, length), e-mail addresses, dates, yes/no, and the accounts the rows name.

A file is refused whole (:class:`AdoptionRefused`, in the reader's language) as the certificate register and the
cohort import refuse one (:func:`certportal.workbooks.read_table`): too large, neither an XLSX nor a UTF-8 CSV, a
workbook that unpacks to too much or declares a DTD or entities, a control character, a first row without the
required columns. The columns are found by their names, in the LSP's words (Indonesian) or in English, case and
punctuation ignored.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.errors import AssessmentError
from certportal import dates
from certportal.accounts.models import User, UserRole
from certportal.audit.services import audit_record
from certportal.workbooks import WorkbookRefused, cell_problems, read_table, table_date

MAX_ROWS = 5_000
KEY_CHARS = re.compile(r"^[0-9A-Za-z][0-9A-Za-z ./_-]*$")
YES = {"", "ya", "y", "yes", "aktif", "active", "1", "true", "benar"}
NO = {"tidak", "t", "no", "n", "tidak aktif", "nonaktif", "non aktif", "inactive", "0", "false", "salah"}


class AdoptionRefused(AssessmentError):
    """The whole file is refused (nothing in it is read further); the message says why."""


# key → (label, the names a register may give the column)
ASSESSOR_COLUMNS = {
    "met": (gettext_lazy("MET number"), ("no reg met", "no. reg. met", "nomor registrasi met", "no registrasi met",
                                         "nomor met", "no met", "met", "met number", "registration number")),
    "name": (gettext_lazy("Name"), ("nama", "nama asesor", "nama lengkap", "name")),
    "nip": (gettext_lazy("NIP"), ("nip", "nip asesor")),
    "email": (gettext_lazy("E-mail"), ("email", "e-mail", "surel", "alamat email", "alamat surel")),
    "valid_from": (gettext_lazy("Licence valid from"), ("berlaku dari", "berlaku mulai", "tanggal terbit",
                                                        "valid from")),
    "valid_until": (gettext_lazy("Licence valid until"), ("berlaku sampai", "berlaku hingga", "masa berlaku",
                                                          "valid until")),
    "schemes": (gettext_lazy("Scheme codes"), ("kode skema", "skema", "ruang lingkup", "scheme codes", "schemes")),
    "active": (gettext_lazy("Active"), ("aktif", "status", "active")),
}
ASSESSOR_REQUIRED = ("met", "name", "email", "valid_until", "schemes")

SITE_COLUMNS = {
    "code": (gettext_lazy("Registration number of the test site"), (
        "no reg tuk", "no. reg. tuk", "nomor registrasi tuk", "no registrasi tuk", "kode tuk", "nomor tuk",
        "registration number", "code")),
    "name": (gettext_lazy("Name"), ("nama tuk", "nama", "name")),
    "kind": (gettext_lazy("Type of test site"), ("jenis tuk", "jenis", "tipe tuk", "type")),
    "address": (gettext_lazy("Address"), ("alamat", "alamat tuk", "address")),
    "head_email": (gettext_lazy("E-mail of the head of the test site"), (
        "email kepala tuk", "e-mail kepala tuk", "surel kepala tuk", "kepala tuk email", "head email")),
    "head_name": (gettext_lazy("Name of the head of the test site"), ("nama kepala tuk", "kepala tuk",
                                                                      "head name")),
    "verified_on": (gettext_lazy("Verified on"), ("tanggal verifikasi", "diverifikasi", "tgl verifikasi",
                                                  "verified on")),
    "valid_until": (gettext_lazy("Verification valid until"), ("berlaku sampai", "verifikasi berlaku sampai",
                                                               "masa berlaku", "valid until")),
    "active": (gettext_lazy("Active"), ("aktif", "status", "active")),
}
SITE_REQUIRED = ("code", "name", "kind")


def read_rows(data: bytes, name: str, columns: dict, required, text_keys=()) -> list[dict]:
    try:
        return read_table(data, name, columns, required, text_keys=text_keys, max_rows=MAX_ROWS)
    except WorkbookRefused as exc:
        raise AdoptionRefused(str(exc)) from None


def recheck(rows: list[dict], derived, check, *, today: datetime.date, progress=None) -> tuple[list[dict], dict]:
    """The rows as read from the file (without what a check added), checked again against the portal as it is now
    (the worker's pass before it writes, with ``progress``; and inside the import's transaction); a row faulty now
    refuses the whole file."""
    rows = [{k: v for k, v in row.items() if k not in derived} for row in rows]
    counts = check(rows, today=today, progress=progress)
    if counts["faulty"]:
        raise AssessmentError(_("%(count)d rows of the file have problems now; nothing was imported. Read the file "
                                "again.") % {"count": counts["faulty"]})
    return rows, counts


def first_problems(row: dict, columns: dict) -> list[str]:
    """The cells' problems: a formula, a value too long, a NIP stored as a number."""
    problems = cell_problems(row, columns)
    if row.get("nip_as_number"):
        problems.append(_("The NIP was stored as a number, which keeps only 15 digits; format the NIP column as "
                          "text and type it again."))
    return problems


def key_problems(value: str, label) -> list[str]:
    if not value:
        return [_("The %(column)s is missing.") % {"column": label}]
    if len(value) > 60 or not KEY_CHARS.match(value):
        return [_("“%(value)s” is not a %(column)s (letters, digits, spaces and . / - _ only, at most 60).") % {
            "value": value[:60], "column": label}]
    return []


def email_problems(email: str) -> list[str]:
    try:
        validate_email(email)
    except ValidationError:
        return [_("“%(value)s” is not an e-mail address.") % {"value": email[:80] or "—"}]
    return []


def flag(row: dict, problems: list[str]) -> bool:
    """The Active column: yes (empty included) or no; anything else is a problem."""
    text = " ".join(row.get("active", "").casefold().split())
    if text in YES:
        return True
    if text not in NO:
        problems.append(_("“%(value)s” is neither yes (ya, aktif) nor no (tidak, nonaktif).") % {"value": text[:40]})
    return False


def date_of(row: dict, key: str, problems: list[str], *, required: bool) -> datetime.date | None:
    text = row.get(key, "")
    if not text and not required:
        return None
    day = table_date(text)
    if day is None:
        problems.append(_("“%(value)s” is not a date (write it as 2027-03-31 or 31/03/2027).") % {
            "value": text[:40] or "—"})
    return day


def order_problems(start: datetime.date | None, end: datetime.date | None) -> list[str]:
    if start and end and end <= start:
        return [_("Valid until %(until)s, not after %(start)s.") % {"until": dates.day(end),
                                                                     "start": dates.day(start)}]
    return []


def accounts_by_email(rows: list[dict], key: str = "email") -> dict[str, User]:
    """The accounts of the rows' addresses, by the address in lower case."""
    emails = list({r.get(key, "").casefold() for r in rows} - {""})
    return {u.email.casefold(): u for u in User.objects.annotate(lower=Lower("email")).filter(lower__in=emails)}


def ensure_role(user: User, role: str, *, actor, note: str) -> None:
    """Give an existing account ``role`` (audited as the staff page's change of roles)."""
    if user.role_links.filter(role=role).exists():
        return
    before = ",".join(sorted(user.role_links.values_list("role", flat=True)))
    UserRole.objects.create(user=user, role=role)
    after = ",".join(sorted(user.role_links.values_list("role", flat=True)))
    audit_record(actor=actor, obj=user, action="roles changed", from_state=before, to_state=after, note=note)
    user.__dict__.pop("roles", None)


def new_staff(*, actor, email: str, name: str, role: str) -> User:
    """A staff account without a password: the person chooses one through the e-mailed one-time link."""
    from certportal.accounts.services import staff_create

    return staff_create(actor=actor, email=email, full_name=name, phone="", roles=[role], language="id")

