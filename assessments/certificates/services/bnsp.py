"""Registering certificates with BNSP: the request for a decision batch (XLSX out), the numbers BNSP returns
(XLSX in, or typed per row), checked and reviewed before they are recorded.

Certificates are issued in BNSP's name: the LSP sends BNSP the holders of a decision batch (the decisions taken
for one event, or within a date range) with their NIK, and BNSP answers with a registration number and a blanko
(blank certificate form) number per certificate. The request's headers are BNSP's words (Indonesian) whatever
the admin's language, so the returned file reads back the same. The decision number and date are the decree's
(Surat Keputusan) when the decision was taken in a pleno; otherwise the number of the result letter (Surat
Keterangan Hasil Uji Kompetensi) that records the decision and the day it was recorded.

Recording goes through the certificate's machine (``bnsp_registered``: the status is kept, one audit row per
certificate with the numbers), so a number is checked the same way whether it came from a file or was typed.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import asdict, dataclass, field

from django.db import IntegrityError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import ApplicantProfile
from assessments.certificates.models import Certificate, ResultLetter
from assessments.errors import AssessmentError
from certportal.exports import FORMULA_TRIGGERS, Sheet
from certportal.workbooks import WorkbookRefused
from certportal.workflow import transition

SHEET_TITLE = "Permohonan Registrasi BNSP"
COL_CERTIFICATE, COL_REGISTRATION, COL_BLANKO = "Nomor Sertifikat LSP", "Nomor Registrasi BNSP", "Nomor Blanko"
HEADER = ["No", "Nama Lengkap", "NIK", "Tempat Lahir", "Tanggal Lahir", "Kode Skema", "Skema Sertifikasi",
          "Unit Kompetensi (kode)", "Tanggal Keputusan", "Nomor Keputusan", "Asesor", "TUK", COL_CERTIFICATE,
          COL_REGISTRATION, COL_BLANKO]
# The headers a returned file may use for the three columns read back (BNSP's, or English).
READ_HEADERS = {
    "certificate": {COL_CERTIFICATE.lower(), "nomor sertifikat", "no sertifikat", "certificate number"},
    "registration": {COL_REGISTRATION.lower(), "nomor registrasi", "no registrasi", "registration number"},
    "blanko": {COL_BLANKO.lower(), "no blanko", "blanko number"},
}
NUMBER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./\- ]*$")
NUMBER_LABEL = re.compile(r"^no(\.\s*|\s+)(?=[A-Za-z0-9])", re.IGNORECASE)  # "No. 0123456": the label, typed along
MAX_NUMBER = 60  # the columns' length
MAX_ROWS = 2000  # far more than one decision batch; more is not a BNSP answer
MAX_UNPACKED = 20 * 1024 * 1024  # an XLSX is a ZIP: refuse one that unpacks to more than this (a ZIP bomb)


# --- the batch and the request --------------------------------------------------------------------------------

def batch_certificates(*, event=None, date_from: datetime.date | None = None,
                       date_to: datetime.date | None = None):
    """The certificates of a decision batch: decided for ``event``, or decided within the dates (WIB days): the
    day of the pleno when the decision was taken in one (the decree's date, as the request prints it), else the day
    the decision was recorded.

    Withdrawn certificates (and so replaced ones) and reduced ones are not registered; their replacement is."""
    qs = Certificate.objects.exclude(status__in=(Certificate.Status.WITHDRAWN, Certificate.Status.REDUCED)).select_related(
        "participant__event__test_site", "participant__assessor__user", "participant__pleno",
        "application__applicant")
    if event is not None:
        qs = qs.filter(participant__event=event)
    else:
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        qs = qs.filter(Q(participant__pleno__isnull=False, participant__pleno__held_on__gte=date_from,
                         participant__pleno__held_on__lte=date_to)
                       | Q(participant__pleno__isnull=True, participant__decided_at__gte=start,
                           participant__decided_at__lt=end))
    return qs.order_by("participant__decided_at", "sequence")


def _profile(cert: Certificate, profiles: dict) -> dict:
    data = dict(cert.application.profile_data or {})
    profile = profiles.get(cert.application.applicant_id)
    if profile is not None:  # the NIK may have been entered after the application was frozen
        data = {**profile.snapshot(), **{k: v for k, v in data.items() if v}}
        data["nik"] = profile.nik or data.get("nik", "")
    return data


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def request_row(index: int, cert: Certificate, *, profiles: dict, letters: dict) -> list:
    p, data = cert.participant, _profile(cert, profiles)
    assessor = f"{p.assessor.user.full_name} ({p.assessor.registration_number})" if p.assessor_id else ""
    return [index, cert.holder_name, data.get("nik", ""), data.get("birth_place", ""), _date(data.get("birth_date")),
            cert.scheme_code, cert.scheme_name, "; ".join(u["code"] for u in cert.snapshot.get("units", [])),
            *_decision(p, letters), assessor,
            cert.snapshot.get("test_site", ""), cert.number, cert.bnsp_registration_number or "",
            cert.blanko_number or ""]


def _decision(p, letters: dict) -> tuple:
    """The decision's date and number: the pleno's day and decree number when it was taken in a pleno, else the
    day it was recorded and the result letter's number."""
    if p.pleno_id:
        return p.pleno.held_on, p.pleno.decree_number
    return timezone.localtime(p.decided_at).date() if p.decided_at else None, letters.get(p.pk, "")


def request_sheet(certs) -> Sheet:
    """The request as one sheet; :func:`certportal.exports.xlsx_response` writes it formula-safe. Profiles and
    decision numbers are read once for the batch (a batch is one event's or a few days' decisions)."""
    certs = list(certs)
    profiles = {p.user_id: p for p in ApplicantProfile.objects.filter(
        user_id__in=[c.application.applicant_id for c in certs])}
    # the decision number: the issued result letter that records the decision
    letters = dict(ResultLetter.objects.filter(participant_id__in=[c.participant_id for c in certs],
                                               status=ResultLetter.Status.ISSUED)
                   .values_list("participant_id", "number"))
    return Sheet(SHEET_TITLE, HEADER, (request_row(i, c, profiles=profiles, letters=letters)
                                       for i, c in enumerate(certs, start=1)))


# --- checking numbers -----------------------------------------------------------------------------------------

def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def bare_number(value: str) -> str:
    """A BNSP number without a "No." typed before it: the certificate prints "No. Blanko:" itself."""
    return NUMBER_LABEL.sub("", value or "")


def number_problem(value: str, label: str) -> str | None:
    if value.startswith(FORMULA_TRIGGERS) or value.startswith("'="):
        return _("The %(what)s “%(value)s” is a formula, not a number; type the number itself.") % {
            "what": label, "value": value[:40]}
    if len(value) > MAX_NUMBER:
        return _("The %(what)s is %(length)s characters long; at most %(max)s.") % {
            "what": label, "length": len(value), "max": MAX_NUMBER}
    if not NUMBER_RE.match(value):
        return _("The %(what)s “%(value)s” may hold only letters, digits, spaces and . / -") % {
            "what": label, "value": value[:40]}
    return None


def numbers_problem(cert: Certificate, registration: str | None, blanko: str | None) -> str | None:
    """Why ``cert`` cannot get these numbers (format, or another certificate has one), or None."""
    if not registration or not blanko:
        return _("Give both the BNSP registration number and the blanko number.")
    for value, label, column in ((registration, _("registration number"), "bnsp_registration_number"),
                                 (blanko, _("blanko number"), "blanko_number")):
        problem = number_problem(value, label)
        if problem:
            return problem
        other = Certificate.objects.filter(**{column: value}).exclude(pk=cert.pk).first()
        if other is not None:
            return _("The %(what)s %(value)s is already recorded for certificate %(number)s.") % {
                "what": label, "value": value, "number": other.number}
    return None


@dataclass
class Row:
    """One line of an import (or one typed row) as the review page shows it."""

    line: int
    certificate: str
    registration: str
    blanko: str
    certificate_id: int | None = None
    holder: str = ""
    problems: list[str] = field(default_factory=list)
    unchanged: bool = False
    replaces: str = ""  # the numbers recorded before, when they change

    @property
    def ready(self) -> bool:
        return not self.problems and not self.unchanged


def check_rows(rows: list[Row]) -> list[Row]:
    """Every problem of every row: unknown or withdrawn certificate, a number twice in the file or already
    recorded for another certificate, formulas, bad characters. A row without numbers is left out."""
    rows = [r for r in rows if r.certificate or r.registration or r.blanko]
    seen = {"certificate": {}, "registration": {}, "blanko": {}}
    by_number = {c.number: c for c in Certificate.objects.filter(number__in=[r.certificate for r in rows])}
    for row in rows:
        for key in seen:
            value = getattr(row, key)
            if value and value in seen[key]:
                row.problems.append(_("“%(value)s” appears twice in this file (lines %(first)s and %(line)s).") % {
                    "value": value[:40], "first": seen[key][value], "line": row.line})
            elif value:
                seen[key][value] = row.line
        _check_row(row, by_number.get(row.certificate))
    return rows


def _check_row(row: Row, cert: Certificate | None) -> None:
    if not row.certificate:
        row.problems.append(_("The certificate number is missing."))
        return
    if cert is None:
        row.problems.append(_("No certificate has the number “%(value)s”.") % {"value": row.certificate[:80]})
        return
    row.certificate_id, row.holder = cert.pk, cert.holder_name
    if cert.status == Certificate.Status.WITHDRAWN:
        row.problems.append(_("Certificate %(number)s is withdrawn: it is not registered.") % {"number": cert.number})
        return
    problem = numbers_problem(cert, row.registration, row.blanko)
    if problem:
        row.problems.append(problem)
    elif (cert.bnsp_registration_number, cert.blanko_number) == (row.registration, row.blanko):
        row.unchanged = True
    elif cert.bnsp_registration_number:
        row.replaces = f"{cert.bnsp_registration_number} / {cert.blanko_number}"


# --- reading the returned file --------------------------------------------------------------------------------

def read_xlsx(upload) -> list[Row]:
    """The rows of BNSP's returned workbook (the request with the two number columns filled in).

    Checked before the workbook is read: the size limit, that it is a ZIP (XLSX) at all, and what it unpacks to."""
    from certportal.files import max_upload_bytes

    if upload.size > max_upload_bytes():
        raise AssessmentError(_("The file is %(size).1f MB; the limit is %(limit).0f MB.") % {
            "size": upload.size / 1024 / 1024, "limit": max_upload_bytes() / 1024 / 1024})
    data = upload.read()
    if not data.startswith(b"PK\x03\x04"):
        raise AssessmentError(_("“%(name)s” is not an Excel workbook (.xlsx); its content was checked, not its "
                                "name.") % {"name": upload.name})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
        if unpacked > MAX_UNPACKED:
            raise AssessmentError(_("The workbook unpacks to more than %(max)s MB; that is no BNSP answer.") % {
                "max": MAX_UNPACKED // 1024 // 1024})
        return _rows(data)
    except AssessmentError:
        raise
    except WorkbookRefused as exc:
        raise AssessmentError(str(exc)) from None
    except Exception:  # noqa: BLE001 - whatever cannot be read as a workbook is not a workbook we accept
        raise AssessmentError(_("“%(name)s” could not be read as an Excel workbook (.xlsx).") % {
            "name": upload.name}) from None


def _rows(data: bytes) -> list[Row]:
    from certportal.workbooks import xlsx_rows

    lines = xlsx_rows(data)
    header = [_clean(v).lower() for v in next(lines, ())]
    columns = {key: next((i for i, h in enumerate(header) if h in names), None) for key, names in READ_HEADERS.items()}
    if None in columns.values():
        raise AssessmentError(_("The first row must name the columns “%(a)s”, “%(b)s” and “%(c)s” (as in the "
                                "exported request).") % {"a": COL_CERTIFICATE, "b": COL_REGISTRATION,
                                                         "c": COL_BLANKO})
    rows = []
    for number, line in enumerate(lines, start=2):
        if number - 1 > MAX_ROWS:
            raise AssessmentError(_("The workbook has more than %(max)s rows; import one decision batch at a "
                                    "time.") % {"max": MAX_ROWS})
        cells = {k: _clean(line[i]) if i < len(line) else "" for k, i in columns.items()}
        rows.append(Row(number, cells["certificate"], bare_number(cells["registration"]), bare_number(cells["blanko"])))
    lines.close()
    return rows


def typed_rows(certs, data) -> list[Row]:
    """The numbers typed on the batch page (fields ``reg-<id>`` and ``blanko-<id>``), one row per certificate."""
    rows = []
    for line, cert in enumerate(certs, start=1):
        registration = bare_number(_clean(data.get(f"reg-{cert.pk}", ""))[:200])
        blanko = bare_number(_clean(data.get(f"blanko-{cert.pk}", ""))[:200])
        if registration or blanko:
            rows.append(Row(line, cert.number, registration, blanko))
    return rows


def rows_to_session(rows: list[Row]) -> list[dict]:
    return [asdict(r) for r in rows]


def rows_from_session(raw: list[dict]) -> list[Row]:
    return [Row(**{**r, "problems": []}) for r in raw]


# --- recording ------------------------------------------------------------------------------------------------

def numbers_record(cert: Certificate, *, actor, registration: str, blanko: str, source: str = "") -> Certificate:
    """Record BNSP's two numbers on ``cert`` (one transition, audited with the numbers and where they came from)."""
    registration, blanko = bare_number(registration), bare_number(blanko)
    note = f"{registration} / {blanko}" + (f" ({source})" if source else "")
    try:
        return transition(cert, "bnsp_registered", user=actor, reason=note, bnsp_registration_number=registration,
                          blanko_number=blanko)
    except IntegrityError:  # another admin recorded the same number a moment ago
        raise AssessmentError(_("One of these numbers was just recorded for another certificate.")) from None


def rows_apply(rows: list[Row], *, actor, source: str) -> tuple[int, list[str]]:
    """Check the rows again (time has passed since the review) and record every ready one; the rest are
    reported, never half-written."""
    done, refused = 0, []
    for row in check_rows(rows):
        if not row.ready:
            if row.problems:
                refused.append(f"{row.certificate or '—'}: {' '.join(row.problems)}")
            continue
        try:
            numbers_record(Certificate.objects.get(pk=row.certificate_id), actor=actor,
                           registration=row.registration, blanko=row.blanko, source=source)
            done += 1
        except AssessmentError as exc:
            refused.append(f"{row.certificate}: {exc.message}")
    return done, refused
