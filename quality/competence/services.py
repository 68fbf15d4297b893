"""The competence acts: a criterion added or changed, a record added (with its evidence). Each is audited."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certportal import dates
from certportal.accounts.models import Role
from certportal.audit.services import audit_record
from certportal.errors import PortalError
from certportal.files import validate_upload

from . import rules
from .models import CompetenceCriterion, CompetenceEvidence, CompetenceRecord, RecordKind

LABELS = {  # the audit trail's words for these acts (no statuses: each act is one audited record)
    "quality.competencecriterion.added": gettext_lazy("competence criterion added"),
    "quality.competencecriterion.changed": gettext_lazy("competence criterion changed"),
    "quality.competencerecord.added": gettext_lazy("competence record added"),
}


class CompetenceError(PortalError):
    """A refused act on the competence records, in the reader's language."""


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def criterion_save(*, actor, criterion: CompetenceCriterion | None = None, role: str, kind: str,
                   requirement: str, is_active: bool = True) -> CompetenceCriterion:
    """Add (``quality.competencecriterion.added``) or change (``...changed``) what a role requires."""
    if role not in rules.COMPETENCE_ROLES:
        raise CompetenceError(_("The LSP keeps no competence criteria for this role."))
    requirement = (requirement or "").strip()
    if not requirement:
        raise CompetenceError(_("Write what the role requires."))
    with transaction.atomic():
        if criterion is None:
            criterion = CompetenceCriterion.objects.create(role=role, kind=kind, requirement=requirement,
                                                           is_active=is_active, created_by=actor)
            code = "quality.competencecriterion.added"
        else:
            criterion.role, criterion.kind, criterion.requirement = role, kind, requirement
            criterion.is_active, criterion.changed_by, criterion.changed_at = is_active, actor, timezone.now()
            criterion.save()
            code = "quality.competencecriterion.changed"
        audit_record(actor=actor, obj=criterion, action=code, note=str(criterion)[:300])
    return criterion


def _default_title(kind: str, fields: dict) -> str:
    if kind == RecordKind.AUTHORISATION:
        return str(_("Authorisation as %(role)s") % {"role": dict(Role.choices)[fields["role"]]})
    if kind == RecordKind.WITNESSING and fields.get("event") is not None:
        return str(_("Witnessed at %(event)s") % {"event": fields["event"]})[:200]
    return str(RecordKind(kind).label)


def _check(person, kind: str, fields: dict, today: datetime.date) -> None:
    if fields["done_on"] > today:
        raise CompetenceError(_("A record is made once it has happened: %(date)s is still to come.")
                              % {"date": dates.day(fields["done_on"])})
    if kind in (RecordKind.AUTHORISATION, RecordKind.WITNESSING, RecordKind.MONITORING) and not (
            fields.get("by_user") or _text(fields.get("by_name"))):
        raise CompetenceError(_("Say who authorised, witnessed or monitored: choose their account or write "
                                "their name."))
    if fields.get("valid_until") and fields["valid_until"] < fields["done_on"]:
        raise CompetenceError(_("The authorisation cannot end before it was given."))
    if fields.get("role") and fields["role"] not in person.roles:
        raise CompetenceError(_("%(person)s does not hold this role.") % {"person": person.full_name})
    criterion = fields.get("criterion")
    if criterion is not None and criterion.role not in person.roles:
        raise CompetenceError(_("This criterion belongs to a role the person does not hold."))
    if kind in rules.ASSESSOR_KINDS and Role.ASSESSOR not in person.roles:
        raise CompetenceError(_("Witnessing, monitoring and CPD are kept for assessors."))
    if fields.get("by_user") is not None and fields["by_user"].pk == person.pk:
        raise CompetenceError(_("Someone else authorises, witnesses, monitors or evaluates a person."))


def record_add(person, *, actor, kind: str, upload=None, ip: str | None = None,
               now: datetime.datetime | None = None, **fields) -> CompetenceRecord:
    """Record a fact of ``person``'s competence (``quality.competencerecord.added``), with its evidence file if
    given (checked by its content, stored at a random private path)."""
    today = timezone.localdate(now or timezone.now())
    if kind not in RecordKind.values:
        raise CompetenceError(_("Unknown kind of record."))
    _check(person, kind, fields, today)
    file_kind = validate_upload(upload) if upload else None
    values = {k: fields.get(k) for k in ("done_on", "criterion", "by_user", "event", "scheme", "hours",
                                          "valid_until")}
    values.update(role=fields.get("role") or "", outcome=fields.get("outcome") or "",
                  by_name="" if fields.get("by_user") else _text(fields.get("by_name")),
                  note=(fields.get("note") or "").strip(),
                  title=_text(fields.get("title")) or _default_title(kind, fields))
    with transaction.atomic():
        record = CompetenceRecord.objects.create(person=person, kind=kind, recorded_by=actor, **values)
        if upload:
            CompetenceEvidence.objects.create(record=record, file=upload, original_name=upload.name[:255],
                                              kind=file_kind, uploaded_by=actor)
        audit_record(actor=actor, obj=record, action="quality.competencerecord.added", ip_address=ip,
                     note=f"{person.full_name}: {record}"[:300])
    return record
