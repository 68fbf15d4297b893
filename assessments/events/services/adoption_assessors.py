"""The LSP's register of assessors: checking each row and importing them, by MET number.

A row is an assessor: the MET number (BNSP's registration, the key: a second import updates the assessor of the same
number), the name, NIP and e-mail, the licence's first and last day, the schemes in scope (their codes, separated
by ``;``) and whether the assessor is active. An assessor whose e-mail has no account gets a staff account with the
assessor role and no password (the one-time link to choose one is e-mailed, as for a staff account created by
hand); an account that exists is given the role. A licence may have ended: the register is history, and the
assessor list shows it as expired.

:func:`check_rows` gives every row its problems in the reader's language and what importing it would do (new,
changed with each change, unchanged); :func:`import_rows` writes a checked file in one transaction (a file with one
faulty row writes nothing), each creation and each change audited with the file and its line, an open event the
change leaves the assessor unqualified for audited as when the LSP admin accepts such a change by hand.
"""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.utils.translation import gettext as _

from applicants.nip import nip_problems
from assessments.events.models import Assessor
from certportal.accounts.models import Role
from certportal.audit.services import audit_record
from schemes.models import Scheme

from . import adoption_read as common
from .assessors import _audit_assessor_change, _newly_at_risk

COLUMNS, REQUIRED = common.ASSESSOR_COLUMNS, common.ASSESSOR_REQUIRED
DERIVED = ("problems", "action", "changes", "account", "from", "until", "codes", "is_active")
FIELDS = ("nip", "licence_valid_from", "licence_valid_until", "schemes", "is_active")


def read(data: bytes, name: str) -> list[dict]:
    return common.read_rows(data, name, COLUMNS, REQUIRED, text_keys=("nip",))


def _codes(text: str) -> list[str]:
    return sorted({" ".join(c.split()) for c in re.split(r"[;\n]+", text) if c.strip()})


def _context(rows: list[dict]) -> dict:
    codes = {c for r in rows for c in _codes(r.get("schemes", ""))}
    mets = {r.get("met", "") for r in rows} - {""}
    return {"schemes": set(Scheme.objects.filter(code__in=codes).values_list("code", flat=True)),
            "assessors": {a.registration_number: a for a in Assessor.objects.filter(
                registration_number__in=mets).select_related("user").prefetch_related("schemes")},
            "accounts": common.accounts_by_email(rows), "seen": {"met": {}, "email": {}}}


def check_rows(rows: list[dict], *, today: datetime.date, progress=None) -> dict:
    """Every row's problems (``row["problems"]``) and what importing it would do (``row["action"]``: new, changed,
    unchanged; ``None`` when faulty; ``row["changes"]``: [field, before, after]); returns the counts."""
    context = _context(rows)
    counts = {"rows": len(rows), "new": 0, "changed": 0, "unchanged": 0, "faulty": 0, "accounts": 0}
    for index, row in enumerate(rows, start=1):
        row["problems"] = common.first_problems(row, COLUMNS)
        if not row["problems"]:
            row["problems"] = _row_problems(row, context, today)
        row["action"] = None if row["problems"] else _action(row, context)
        counts[row["action"] or "faulty"] += 1
        counts["accounts"] += int(row["action"] == "new" and not row["account"])
        if progress and index % 500 == 0:
            progress(index, len(rows))
    return counts


def _row_problems(row: dict, context: dict, today: datetime.date) -> list[str]:
    problems = common.key_problems(row.get("met", ""), _("MET number"))
    if not row.get("name"):
        problems.append(_("The name is missing."))
    if row.get("nip"):
        problems += [_("NIP %(nip)s: %(problem)s") % {"nip": row["nip"], "problem": p}
                     for p in nip_problems(row["nip"], today=today, person=row.get("name") or None)]
    problems += common.email_problems(row.get("email", ""))
    start = common.date_of(row, "valid_from", problems, required=False)
    end = common.date_of(row, "valid_until", problems, required=True)
    problems += common.order_problems(start, end)
    row["from"], row["until"] = start.isoformat() if start else "", end.isoformat() if end else ""
    row["codes"] = _codes(row.get("schemes", ""))
    unknown = [c for c in row["codes"] if c not in context["schemes"]]
    if unknown:
        problems.append(_("No scheme has the code %(codes)s.") % {"codes": ", ".join(f"“{c}”" for c in unknown)})
    elif not row["codes"]:
        problems.append(_("The scheme codes are missing (several are separated by ;)."))
    row["is_active"] = common.flag(row, problems)
    return problems + _clashes(row, context)


def _clashes(row: dict, context: dict) -> list[str]:
    """The same assessor twice in the file, or a MET number and an e-mail that name two different people."""
    problems, seen = [], context["seen"]
    met, email = row.get("met", ""), row.get("email", "").casefold()
    for key, value, label in (("met", met, _("MET number")), ("email", email, _("e-mail"))):
        if value in seen[key]:
            problems.append(_("The %(what)s “%(value)s” is also on line %(line)d of the file.") % {
                "what": label, "value": value[:60], "line": seen[key][value]})
        seen[key].setdefault(value, row["line"])
    account = context["accounts"].get(email)
    row["account"] = account.pk if account else None
    known = context["assessors"].get(met)
    if known is not None and known.user_id != row["account"]:
        problems.append(_("MET number %(met)s is the assessor %(name)s (%(email)s); an assessor's account does not "
                          "change.") % {"met": met, "name": known.user.full_name, "email": known.user.email})
    elif known is None and account is not None and hasattr(account, "assessor"):
        problems.append(_("The account %(email)s is already the assessor with MET number %(met)s.") % {
            "email": account.email, "met": account.assessor.registration_number})
    return problems


def _facts(assessor: Assessor) -> dict:
    return {"nip": assessor.nip, "licence_valid_from": assessor.licence_valid_from,
            "licence_valid_until": assessor.licence_valid_until,
            "schemes": sorted({s.code for s in assessor.schemes.all()}), "is_active": assessor.is_active}


def _wanted(row: dict) -> dict:
    return {"nip": row.get("nip", ""),
            "licence_valid_from": datetime.date.fromisoformat(row["from"]) if row["from"] else None,
            "licence_valid_until": datetime.date.fromisoformat(row["until"]), "schemes": row["codes"],
            "is_active": row["is_active"]}


def _action(row: dict, context: dict) -> str:
    known = context["assessors"].get(row["met"])
    if known is None:
        row["changes"] = []
        return "new"
    old, new = _facts(known), _wanted(row)
    row["changes"] = [[field, _shown(old[field]), _shown(new[field])] for field in FIELDS if old[field] != new[field]]
    return "changed" if row["changes"] else "unchanged"


def _shown(value) -> str:
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value or "")


def import_rows(rows: list[dict], *, actor, source: dict, today: datetime.date) -> dict:
    """Write the checked register in one transaction: every row, or none when one is faulty now."""
    with transaction.atomic():
        list(Assessor.objects.select_for_update().filter(registration_number__in=[r.get("met") for r in rows]))
        rows, counts = common.recheck(rows, DERIVED, check_rows, today=today)
        schemes = _current_schemes({c for r in rows for c in r["codes"]})
        for row in rows:
            note = f"{source['file']}, {row['line']}"
            if row["action"] == "new":
                _create(row, actor=actor, note=note, schemes=schemes)
            elif row["action"] == "changed":
                _update(row, actor=actor, note=note, schemes=schemes)
    return counts


def _current_schemes(codes: set[str]) -> dict[str, Scheme]:
    found: dict[str, Scheme] = {}
    for scheme in Scheme.objects.filter(code__in=codes).order_by("is_current", "version"):
        found[scheme.code] = scheme  # the current version last, so it stays
    return found


def _create(row: dict, *, actor, note: str, schemes: dict) -> Assessor:
    wanted = _wanted(row)
    if row["account"]:
        user = common.User.objects.get(pk=row["account"])
        common.ensure_role(user, Role.ASSESSOR, actor=actor, note=note)
    else:
        user = common.new_staff(actor=actor, email=row["email"], name=row["name"], role=Role.ASSESSOR)
    assessor = Assessor.objects.create(user=user, registration_number=row["met"], nip=wanted["nip"],
                                       licence_valid_from=wanted["licence_valid_from"],
                                       licence_valid_until=wanted["licence_valid_until"],
                                       is_active=wanted["is_active"])
    assessor.schemes.set([schemes[c] for c in wanted["schemes"]])
    audit_record(actor=actor, obj=assessor, action="assessor imported", to_state="active" if assessor.is_active
                 else "inactive", note=f"{assessor.registration_number} until {assessor.licence_valid_until}; {note}")
    return assessor


def _update(row: dict, *, actor, note: str, schemes: dict) -> None:
    assessor = Assessor.objects.select_related("user").get(registration_number=row["met"])
    old, new = _facts(assessor), _wanted(row)
    affected = _newly_at_risk(assessor, licence_valid_until=new["licence_valid_until"],
                              scheme_codes=set(new["schemes"]), is_active=new["is_active"])
    for field in ("nip", "licence_valid_from", "licence_valid_until", "is_active"):
        setattr(assessor, field, new[field])
    assessor.save(update_fields=["nip", "licence_valid_from", "licence_valid_until", "is_active"])
    if new["schemes"] != old["schemes"]:
        assessor.schemes.set([schemes[c] for c in new["schemes"]])
    reason = _("Imported from %(source)s.") % {"source": note}
    for field in ("nip", "licence_valid_from"):
        if old[field] != new[field]:
            audit_record(actor=actor, obj=assessor, action=f"assessor {field.replace('_', ' ')} changed",
                         from_state=str(old[field] or ""), to_state=str(new[field] or ""), note=reason)
    _audit_assessor_change(assessor, actor=actor, old={**old, "registration_number": row["met"]},
                           new={**new, "registration_number": row["met"]}, reason=reason, affected=affected)
