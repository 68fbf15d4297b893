"""The LSP's certificate register: checking each row of an uploaded register and importing the certificates.

A certificate issued on paper before the portal comes in as a :class:`Certificate` with ``source="imported"``: no
participant and no application (there was no dossier in the portal), its holder's name and NIP as printed, its
holder's account when a profile in the portal has that NIP (``holder``), its scheme version (``scheme``), the units
and the register's line in its printed data (``snapshot``). It is verified, reminded before expiry, surveilled and
re-certified like a certificate issued in the portal; the paper original stays the record (the portal prints no
PDF of it).

:func:`check_rows` gives every row its problems in the reader's language (the number, the holder, the scheme and its
units, the dates, the status, BNSP's numbers, a number twice in the file or already used by the portal);
:func:`import_rows` imports a checked file in one transaction (a file with one faulty row imports nothing), leaves
numbers already imported as they are (a file imported twice imports each certificate once; a holder who has
registered since is linked), and moves the portal's numbering past the register's highest number of each year.
"""

from __future__ import annotations

import datetime
import re
import string

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from applicants.models import ApplicantProfile
from applicants.nip import nip_problems
from assessments.certificates.models import Certificate, CertificateSequence
from assessments.certificates.services.issue import skkni_snapshot
from assessments.certificates.services.renewal import add_years
from assessments.certificates.services.verification import new_verification_code
from certportal import dates
from certportal.audit.services import audit_records
from certportal.lsp.services import profile_snapshot
from certportal.workbooks import cell_problems
from certportal.workbooks import table_date as parse_date
from schemes.models import Scheme

from .register_read import COLUMNS

NUMBER_CHARS = re.compile(r"^[0-9A-Za-z][0-9A-Za-z ./_-]*$")
STATUSES = {  # the register's words for a status → the certificate's (expiry is read from the date)
    "": "issued", "berlaku": "issued", "aktif": "issued", "terbit": "issued", "valid": "issued",
    "issued": "issued", "active": "issued", "kedaluwarsa": "issued", "kadaluarsa": "issued", "expired": "issued",
    "habis masa berlaku": "issued", "dibekukan": "suspended", "suspended": "suspended", "beku": "suspended",
    "dicabut": "withdrawn", "withdrawn": "withdrawn", "ditarik": "withdrawn",
}
IMPORTED = "assessments.certificate.imported"
LINKED = "assessments.certificate.holder_linked"
DERIVED = ("problems", "account", "action", "state", "issued", "expires", "unit_list", "scheme_id", "scheme_name",
           "scheme_version", "skkni", "validity_years", "qualification")


def number_pattern() -> re.Pattern:
    """The portal's certificate number format as a pattern: ``{seq}`` and ``{year}`` captured."""
    parts = []
    for literal, field, _spec, _conv in string.Formatter().parse(settings.ASSESSMENT_CERTIFICATE_NUMBER_FORMAT):
        parts.append(re.escape(literal))
        if field:
            parts.append({"seq": r"(?P<seq>\d+)", "year": r"(?P<year>\d{4})"}.get(field, r"\d{1,2}"))
    return re.compile("^" + "".join(parts) + "$", re.IGNORECASE)


def sequence_of(number: str) -> tuple[int, int] | None:
    """(year, sequence) of a number written in the portal's format, else None."""
    found = number_pattern().match(number)
    return (int(found["year"]), int(found["seq"])) if found else None


def _schemes(rows: list[dict]) -> dict[tuple[str, str], Scheme | None]:
    codes = {r.get("scheme", "") for r in rows}
    found: dict[tuple[str, str], Scheme | None] = {}
    by_code: dict[str, list[Scheme]] = {}
    for scheme in Scheme.objects.filter(code__in=codes).prefetch_related("scheme_units__unit").select_related(
            "decree", "qualification"):
        by_code.setdefault(scheme.code, []).append(scheme)
    for row in rows:
        key = (row.get("scheme", ""), row.get("version", ""))
        versions = by_code.get(key[0], [])
        if key[1]:
            found[key] = next((s for s in versions if str(s.version) == key[1].lstrip("vV")), None)
        else:
            found[key] = next((s for s in versions if s.is_current), versions[0] if versions else None)
    return found


def _taken(rows: list[dict]) -> dict[str, dict]:
    """What the portal already holds of the file's numbers: {field: {value: (source, holder_id, pk)}}."""
    taken: dict[str, dict] = {"number": {}, "blanko": {}, "registration": {}}
    for field, key in (("number", "number"), ("blanko_number", "blanko"),
                       ("bnsp_registration_number", "registration")):
        values = {r.get(key, "") for r in rows} - {""}
        for i in range(0, len(values), 2000):
            chunk = list(values)[i:i + 2000]
            for cert in Certificate.objects.filter(**{f"{field}__in": chunk}).only(
                    "pk", "number", "source", "holder", field):
                taken[key][getattr(cert, field)] = (cert.source, cert.holder_id, cert.pk, cert.number)
    return taken


def _accounts(rows: list[dict]) -> dict[str, int]:
    nips = list({r.get("nip", "") for r in rows} - {""})
    accounts: dict[str, int] = {}
    for i in range(0, len(nips), 2000):
        accounts.update(ApplicantProfile.objects.filter(nip__in=nips[i:i + 2000]).values_list("nip", "user_id"))
    return accounts


def check_rows(rows: list[dict], *, today: datetime.date, progress=None) -> dict:
    """Every row's problems (``row["problems"]``) and what importing it would do (``row["action"]``: new,
    unchanged, link; ``None`` when faulty); returns the counts."""
    schemes, taken, accounts = _schemes(rows), _taken(rows), _accounts(rows)
    seen: dict[str, dict[str, int]] = {"number": {}, "blanko": {}, "registration": {}}
    counts = {"rows": len(rows), "new": 0, "unchanged": 0, "linked": 0, "faulty": 0}
    for index, row in enumerate(rows, start=1):
        row["problems"] = _cell_problems(row)
        if not row["problems"]:
            scheme = schemes.get((row.get("scheme", ""), row.get("version", "")))
            row["problems"] = _row_problems(row, scheme, today) + _number_problems(row, taken, seen)
        row["account"] = accounts.get(row.get("nip", ""))
        row["action"] = None if row["problems"] else _action(row, taken)
        counts["faulty" if row["problems"] else {"new": "new", "unchanged": "unchanged",
                                                  "link": "linked"}[row["action"]]] += 1
        if progress and index % 1000 == 0:
            progress(index, len(rows))
    return counts


def _action(row: dict, taken: dict) -> str:
    earlier = taken["number"].get(row["number"])
    if earlier is None:
        return "new"
    return "link" if earlier[1] is None and row["account"] else "unchanged"


def _cell_problems(row: dict) -> list[str]:
    problems = cell_problems(row, COLUMNS, long_keys=("units",))
    if row.get("nip_as_number"):
        problems.append(_("The NIP was stored as a number, which keeps only 15 digits; format the NIP column as "
                          "text and type it again."))
    return problems


def _row_problems(row: dict, scheme: Scheme | None, today: datetime.date) -> list[str]:
    problems = []
    number = row.get("number", "")
    if not number:
        problems.append(_("The certificate number is missing."))
    elif len(number) > 80 or not NUMBER_CHARS.match(number) or not any(c.isdigit() for c in number):
        problems.append(_("“%(value)s” is not a certificate number (letters, digits, spaces and . / - _ only, "
                          "with at least one digit).") % {"value": number[:80]})
    if not row.get("name"):
        problems.append(_("The holder's name is missing."))
    problems += [_("NIP %(nip)s: %(problem)s") % {"nip": row.get("nip") or "—", "problem": p}
                 for p in nip_problems(row.get("nip", ""), today=today, person=row.get("name") or None)]
    if scheme is None:
        problems.append(_("No scheme has the code “%(code)s”%(version)s.") % {
            "code": row.get("scheme", "")[:80] or "—",
            "version": _(" in version %(v)s") % {"v": row["version"]} if row.get("version") else ""})
    else:
        row.update(scheme_id=scheme.pk, scheme=scheme.code, scheme_name=scheme.name, scheme_version=scheme.version,
                   skkni=skkni_snapshot(scheme), validity_years=scheme.validity_years,
                   qualification=str(scheme.qualification) if scheme.qualification_id else "")
        problems += _unit_problems(row, scheme)
    problems += _date_problems(row, scheme, today)
    status = STATUSES.get(" ".join(row.get("status", "").casefold().split()))
    if status is None:
        problems.append(_("“%(value)s” is not a status of the register (valid, suspended or withdrawn).") % {
            "value": row["status"][:40]})
    row["state"] = status or ""
    return problems


def _unit_problems(row: dict, scheme: Scheme) -> list[str]:
    units = {su.unit.code: su.unit.title for su in scheme.scheme_units.all()}
    codes = [c.strip() for c in re.split(r"[;\n,]+", row.get("units", "")) if c.strip()]
    unknown = [c for c in codes if c not in units]
    if unknown:
        return [_("Not units of %(scheme)s: %(codes)s.") % {"scheme": f"{scheme.code} v{scheme.version}",
                                                            "codes": ", ".join(unknown)[:200]}]
    row["unit_list"] = [{"code": c, "title": units[c]} for c in (codes or list(units))]
    return []


def _date_problems(row: dict, scheme: Scheme | None, today: datetime.date) -> list[str]:
    issued, problems = parse_date(row.get("issued_on", "")), []
    if issued is None:
        return [_("“%(value)s” is not an issue date (write it as 2024-03-31 or 31/03/2024).") % {
            "value": row.get("issued_on", "")[:40] or "—"}]
    if issued > today:
        problems.append(_("The issue date %(date)s is in the future.") % {"date": dates.day(issued)})
    expires = parse_date(row["expires_on"]) if row.get("expires_on") else (
        add_years(issued, scheme.validity_years) if scheme else None)
    if row.get("expires_on") and expires is None:
        problems.append(_("“%(value)s” is not a date of validity (write it as 2027-03-31 or 31/03/2027).") % {
            "value": row["expires_on"][:40]})
    elif expires is not None and expires <= issued:
        problems.append(_("The certificate is valid until %(until)s, not after its issue date %(issued)s.") % {
            "until": dates.day(expires), "issued": dates.day(issued)})
    numbered = sequence_of(row.get("number", ""))
    if numbered and numbered[0] != issued.year:
        problems.append(_("The number carries the year %(year)s but the certificate was issued in %(issued)s.") % {
            "year": numbered[0], "issued": issued.year})
    row["issued"], row["expires"] = issued.isoformat(), expires.isoformat() if expires else ""
    return problems


def _number_problems(row: dict, taken: dict, seen: dict) -> list[str]:
    problems = []
    for key, label in (("number", _("certificate number")), ("blanko", _("blanko number")),
                       ("registration", _("BNSP registration number"))):
        value = row.get(key, "")
        if not value:
            continue
        if value in seen[key]:
            problems.append(_("The %(what)s “%(value)s” is also on line %(line)d of the file.") % {
                "what": label, "value": value[:60], "line": seen[key][value]})
        seen[key].setdefault(value, row["line"])
        earlier = taken[key].get(value)
        if earlier is None:
            continue
        if key == "number" and earlier[0] == Certificate.Source.PORTAL:
            problems.append(_("The portal has issued certificate %(number)s itself; it is not in the register.") % {
                "number": value[:80]})
        elif key != "number" and earlier[3] != row.get("number"):
            problems.append(_("The %(what)s “%(value)s” belongs to certificate %(number)s.") % {
                "what": label, "value": value[:60], "number": earlier[3]})
    return problems


def _certificate(row: dict, *, actor, source: dict, lsp: dict) -> Certificate:
    issued = datetime.date.fromisoformat(row["issued"])
    expires = datetime.date.fromisoformat(row["expires"])
    year, seq = sequence_of(row["number"]) or (issued.year, 0)
    holder = {"name": row["name"], "nip": row["nip"], "unit": "", "position": ""}
    suspended = row["state"] == Certificate.Status.SUSPENDED
    return Certificate(
        source=Certificate.Source.IMPORTED, holder_id=row.get("account"), scheme_id=row["scheme_id"],
        number=row["number"], year=year, sequence=seq, verification_code=new_verification_code(),
        issued_on=issued, expires_on=expires, status=row["state"],
        status_reason=_("As recorded in the LSP's register.") if row["state"] != "issued" else "",
        suspended_until=expires if suspended else None, holder_name=row["name"], holder_nip=row["nip"],
        scheme_code=row["scheme"], scheme_name=row.get("scheme_name", ""), issued_by=actor,
        blanko_number=row.get("blanko") or None, bnsp_registration_number=row.get("registration") or None,
        snapshot={"holder": holder, "units": row["unit_list"], "lsp": lsp, "first_issued_on": row["issued"],
                  "skkni_decree": row.get("skkni"), "qualification": row.get("qualification", ""),
                  "validity_years": row.get("validity_years"),
                  "register": {**source, "line": row["line"], "scheme_version": row.get("scheme_version")}})


def clean(rows: list[dict]) -> list[dict]:
    """The rows as read from the file, without what a check added (to check them again)."""
    return [{k: v for k, v in row.items() if k not in DERIVED} for row in rows]


def recheck(rows: list[dict], *, today: datetime.date, progress=None) -> tuple[list[dict], dict]:
    """The rows as read from the file, checked again against the portal as it is now (the worker's pass before
    it writes, with ``progress``; and once more inside the import's transaction); a row faulty now refuses the
    whole file."""
    from assessments.errors import AssessmentError

    rows = clean(rows)
    counts = check_rows(rows, today=today, progress=progress)
    if counts["faulty"]:
        raise AssessmentError(_("%(count)d rows of the file have problems now; nothing was imported. Read "
                                "the file again.") % {"count": counts["faulty"]})
    return rows, counts


def _lock_sequences(years: set[int]) -> dict[int, CertificateSequence]:
    for year in years:
        CertificateSequence.objects.get_or_create(kind="certificate", year=year)
    return {s.year: s for s in CertificateSequence.objects.select_for_update().filter(kind="certificate",
                                                                                      year__in=years)}


def import_rows(rows: list[dict], *, actor, source: dict, today: datetime.date) -> dict:
    """Import the checked register in one transaction: every row, or none when one is faulty now (the portal
    may have issued or imported a number since the file was read). Returns the counts."""
    with transaction.atomic():
        numbered = {n for r in rows if (n := sequence_of(r.get("number", "")))}
        sequences = _lock_sequences({year for year, _seq in numbered})  # the portal's issuing waits meanwhile
        rows, counts = recheck(rows, today=today)
        lsp = profile_snapshot()
        new = [_certificate(r, actor=actor, source=source, lsp=lsp) for r in rows if r["action"] == "new"]
        Certificate.objects.bulk_create(new, batch_size=1000)
        audit_records(actor=actor, objs=new, action=IMPORTED, to_state=Certificate.Status.ISSUED,
                      notes=lambda c: f"{source['file']}, {c.snapshot['register']['line']}")
        _link(rows, actor=actor, source=source)
        for year, seq in numbered:
            sequence = sequences[year]
            if seq > sequence.last:
                sequence.last = seq
        CertificateSequence.objects.bulk_update(sequences.values(), ["last"])
    return counts


def _link(rows: list[dict], *, actor, source: dict) -> None:
    """Certificates imported before whose holder has an account now: linked to it (audited)."""
    linked = []
    for row in rows:
        if row["action"] == "link":
            cert = Certificate.objects.get(number=row["number"], holder__isnull=True)
            cert.holder_id = row["account"]
            linked.append(cert)
    Certificate.objects.bulk_update(linked, ["holder"], batch_size=1000)
    audit_records(actor=actor, objs=linked, action=LINKED, notes=lambda c: source["file"])
