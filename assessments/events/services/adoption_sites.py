"""The LSP's list of test sites (TUK): checking each row and importing them, by the site's registration number.

A row is a test site: its registration number (the key, the one :class:`~schemes.models.TestSite` already holds
unique: a second import updates the site of the same number; a name alone would change with a renamed office), its
name, type (sewaktu, tempat kerja, mandiri, as BNSP names them), address, the head's e-mail (and name, for a head
without an account: a staff account with the role of head of test site and no password is made, the link to
choose one e-mailed), the day the LSP verified it and until when, and whether it is active.

:func:`check_rows` gives every row its problems and what importing it would do; :func:`import_rows` writes a checked
file in one transaction, every site created or changed audited as the schemes app's page audits it (with each
changed field, the file and its line).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from certportal.accounts.models import Role
from certportal.audit.services import audit_record
from schemes.models import TestSite

from . import adoption_read as common

COLUMNS, REQUIRED = common.SITE_COLUMNS, common.SITE_REQUIRED
DERIVED = ("problems", "action", "changes", "head", "type", "verified", "until", "is_active")
FIELDS = ("name", "kind", "address", "head", "verified_on", "licence_valid_until", "is_active")
KINDS = {  # the words a list may use for each type → the model's
    "sewaktu": "sewaktu", "tuk sewaktu": "sewaktu", "tempat kerja": "tempat_kerja", "tuk tempat kerja":
    "tempat_kerja", "tempat_kerja": "tempat_kerja", "workplace": "tempat_kerja", "mandiri": "mandiri",
    "tuk mandiri": "mandiri", "standing": "mandiri",
}


def read(data: bytes, name: str) -> list[dict]:
    return common.read_rows(data, name, COLUMNS, REQUIRED)


def check_rows(rows: list[dict], *, today: datetime.date, progress=None) -> dict:
    """Every row's problems and what importing it would do (new, changed, unchanged); returns the counts."""
    codes = {r.get("code", "") for r in rows} - {""}
    context = {"sites": {s.registration_number: s for s in TestSite.objects.filter(
                   registration_number__in=codes).select_related("head")},
               "accounts": common.accounts_by_email(rows, "head_email"), "seen": {}}
    counts = {"rows": len(rows), "new": 0, "changed": 0, "unchanged": 0, "faulty": 0, "accounts": 0}
    accounts: set[str] = set()
    for index, row in enumerate(rows, start=1):
        row["problems"] = common.first_problems(row, COLUMNS)
        if not row["problems"]:
            row["problems"] = _row_problems(row, context)
        row["action"] = None if row["problems"] else _action(row, context)
        counts[row["action"] or "faulty"] += 1
        if row["action"] and row.get("head_email") and not row["head"]:
            accounts.add(row["head_email"].casefold())
        if progress and index % 500 == 0:
            progress(index, len(rows))
    counts["accounts"] = len(accounts)
    return counts


def _row_problems(row: dict, context: dict) -> list[str]:
    problems = common.key_problems(row.get("code", ""), _("registration number of the test site"))
    if not row.get("name"):
        problems.append(_("The name is missing."))
    row["type"] = KINDS.get(" ".join(row.get("kind", "").casefold().replace("_", " ").split()), "")
    if not row["type"]:
        problems.append(_("“%(value)s” is not a type of test site (sewaktu, tempat kerja or mandiri).") % {
            "value": row.get("kind", "")[:40] or "—"})
    verified = common.date_of(row, "verified_on", problems, required=False)
    until = common.date_of(row, "valid_until", problems, required=False)
    problems += common.order_problems(verified, until)
    row["verified"], row["until"] = verified.isoformat() if verified else "", until.isoformat() if until else ""
    row["is_active"] = common.flag(row, problems)
    problems += _head_problems(row, context)
    if row.get("code") in context["seen"]:
        problems.append(_("The %(what)s “%(value)s” is also on line %(line)d of the file.") % {
            "what": _("registration number of the test site"), "value": row["code"][:60],
            "line": context["seen"][row["code"]]})
    context["seen"].setdefault(row.get("code"), row["line"])
    return problems


def _head_problems(row: dict, context: dict) -> list[str]:
    row["head"] = None
    email = row.get("head_email", "")
    if not email:
        return []
    problems = common.email_problems(email)
    account = context["accounts"].get(email.casefold())
    if account is not None:
        row["head"] = account.pk
    elif not row.get("head_name"):
        problems.append(_("No account has the e-mail %(email)s: give the head's name to create one.") % {
            "email": email[:80]})
    return problems


def _facts(site: TestSite) -> dict:
    return {**{field: getattr(site, field) for field in FIELDS if field != "head"},
            "head": site.head.email.casefold() if site.head_id else None}


def _wanted(row: dict) -> dict:
    day = datetime.date.fromisoformat
    return {"name": row["name"], "kind": row["type"], "address": row.get("address", ""),
            "head": row.get("head_email", "").casefold() or None,
            "verified_on": day(row["verified"]) if row["verified"] else None,
            "licence_valid_until": day(row["until"]) if row["until"] else None, "is_active": row["is_active"]}


def _action(row: dict, context: dict) -> str:
    known = context["sites"].get(row["code"])
    if known is None:
        row["changes"] = []
        return "new"
    old, new = _facts(known), _wanted(row)
    if not row.get("head_email"):
        new["head"] = old["head"]  # a list without the head's e-mail leaves the head as it is
    row["changes"] = [[f, str(old[f] or ""), str(new[f] or "")] for f in FIELDS if old[f] != new[f]]
    return "changed" if row["changes"] else "unchanged"


def import_rows(rows: list[dict], *, actor, source: dict, today: datetime.date) -> dict:
    """Write the checked list in one transaction: every row, or none when one is faulty now."""
    with transaction.atomic():
        list(TestSite.objects.select_for_update().filter(registration_number__in=[r.get("code") for r in rows]))
        rows, counts = common.recheck(rows, DERIVED, check_rows, today=today)
        for row in rows:
            if row["action"] in ("new", "changed"):
                _write(row, actor=actor, note=f"{source['file']}, {row['line']}")
    return counts


def _head(row: dict, *, actor, note: str) -> int | None:
    if not row.get("head_email"):
        return None
    user = common.User.objects.filter(email__iexact=row["head_email"]).first()  # a head of several sites: once
    if user is not None:
        common.ensure_role(user, Role.TUK_HEAD, actor=actor, note=note)
        return user.pk
    return common.new_staff(actor=actor, email=row["head_email"], name=row["head_name"], role=Role.TUK_HEAD).pk


def _write(row: dict, *, actor, note: str) -> None:
    site = TestSite.objects.filter(registration_number=row["code"]).first()
    created = site is None
    site = site or TestSite(registration_number=row["code"])
    wanted = _wanted(row)
    head = _head(row, actor=actor, note=note)
    for field, value in wanted.items():
        if field != "head":
            setattr(site, field, value)
    site.head_id = head or site.head_id  # a list without the head's e-mail leaves the head as it is
    site.save()
    changed = "; ".join(f"{field}: {before or '-'} → {after or '-'}" for field, before, after in row["changes"])
    audit_record(actor=actor, obj=site, action="test_site_created" if created else "test_site_updated",
                 note=f"{changed}\n{note}" if changed else note)
