"""Assessors: saving and editing them (audited, with the check on the open events they are on), what makes an
assessor unqualified for an event, and conflicts of interest."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.errors import AssessmentError
from assessments.events.models import Assessor, ConflictOfInterest, Event, Participant
from assessments.events.selectors import assessor_open_events
from certportal import dates
from certportal.audit.services import audit_record
from certportal.sentences import one_full_stop


class AssessorChangeAffectsEvents(AssessmentError):
    """The change would leave the assessor unqualified for open events they are on; ``affected`` lists
    (event, problems). Saving needs ``accept_affected_events=True``."""

    def __init__(self, affected: list[tuple[Event, list[str]]]):
        self.affected = affected
        super().__init__(_("This change leaves the assessor unqualified for events they are on."))


def assessor_save(*, actor, user=None, registration_number: str, licence_valid_until: datetime.date, schemes,
                  assessor: Assessor | None = None, is_active: bool | None = None, reason: str = "",
                  accept_affected_events: bool = False) -> Assessor:
    """Create an assessor for ``user`` (active), or change ``assessor`` (its user never changes; ``user`` is
    ignored; ``is_active`` None keeps it as it is).

    A new or changed licence date may not lie in the past: a licence that ends early (revoked) is recorded by
    deactivating the assessor. A change needs a reason and writes one audit entry per changed field (from, to,
    reason), deactivating and reactivating included; a save that changes nothing writes nothing.

    Events already planned: a change that leaves the assessor unqualified for an open event they are on (the
    assessor deactivated, the licence ends before the event day, or the event's scheme leaves their scope; see
    :func:`assessor_problems`) is refused with :class:`AssessorChangeAffectsEvents` listing those events, unless
    the caller accepts it.
    Accepted, the change is saved as entered (it records a fact about the licence) and the assessor stays on those
    events, because taking them off silently would leave participants without an assessor. Instead each event
    gets an audit entry, the event page and the assessor page show the problem until it is solved, and the
    checks in :func:`check_assessor_for_event` keep the assessor from being added or assigned again; the LSP
    admin adds a qualified assessor and reassigns the participants.
    """
    registration_number = registration_number.strip()
    clash = Assessor.objects.filter(registration_number=registration_number)
    if clash.exclude(pk=assessor.pk if assessor else None).exists():
        raise AssessmentError(_("This registration number is already used."))
    if assessor is None:
        _check_licence_date(licence_valid_until, stored=None)
        with transaction.atomic():
            assessor = Assessor.objects.create(user=user, registration_number=registration_number,
                                               licence_valid_until=licence_valid_until)
            assessor.schemes.set(schemes)
            audit_record(actor=actor, obj=assessor, action="assessor saved",
                         note=f"{assessor.registration_number} until {licence_valid_until}")
        return assessor
    return _assessor_update(assessor, actor=actor, reason=reason.strip(), accept=accept_affected_events,
                            new={"registration_number": registration_number,
                                 "licence_valid_until": licence_valid_until,
                                 "schemes": sorted({s.code for s in schemes}), "is_active": is_active},
                            schemes=schemes)


def _check_licence_date(day: datetime.date, *, stored: datetime.date | None) -> None:
    if day < timezone.localdate() and day != stored:
        raise AssessmentError(_("The licence valid-until date is in the past."))


def _assessor_facts(assessor: Assessor) -> dict:
    return {"registration_number": assessor.registration_number,
            "licence_valid_until": assessor.licence_valid_until,
            "schemes": sorted({s.code for s in assessor.schemes.all()}), "is_active": assessor.is_active}


def _assessor_update(assessor: Assessor, *, actor, reason: str, accept: bool, new: dict, schemes) -> Assessor:
    with transaction.atomic():
        assessor = Assessor.objects.select_for_update(of=("self",)).select_related("user").get(pk=assessor.pk)
        old = _assessor_facts(assessor)
        if new["is_active"] is None:
            new = {**new, "is_active": old["is_active"]}
        if new == old:
            return assessor
        if not reason:
            raise AssessmentError(_("Say why the assessor's data changes."))
        _check_licence_date(new["licence_valid_until"], stored=old["licence_valid_until"])
        affected = _newly_at_risk(assessor, licence_valid_until=new["licence_valid_until"],
                                  scheme_codes=set(new["schemes"]), is_active=new["is_active"])
        if affected and not accept:
            raise AssessorChangeAffectsEvents(affected)
        assessor.registration_number = new["registration_number"]
        assessor.licence_valid_until = new["licence_valid_until"]
        assessor.is_active = new["is_active"]
        assessor.save(update_fields=["registration_number", "licence_valid_until", "is_active"])
        if new["schemes"] != old["schemes"]:
            assessor.schemes.set(schemes)
        _audit_assessor_change(assessor, actor=actor, old=old, new=new, reason=reason, affected=affected)
    return assessor


def assessors_deactivate_for_account(user, *, actor, reason: str) -> list[Event]:
    """A staff account was deactivated: its assessor record is deactivated too (it can assess nothing more) and
    each open event it is on gets an audit entry; returns those events, which the LSP admin's assessor page lists
    for reassignment (see ``selectors.events_to_reassign``)."""
    with transaction.atomic():
        assessor = (Assessor.objects.select_for_update(of=("self",)).select_related("user")
                    .filter(user=user, is_active=True).first())
        if assessor is None:
            return []
        old = _assessor_facts(assessor)
        affected = _newly_at_risk(assessor, is_active=False)
        assessor.is_active = False
        assessor.save(update_fields=["is_active"])
        reason = _("Staff account deactivated: %(reason)s") % {"reason": reason}
        _audit_assessor_change(assessor, actor=actor, old=old, new={**old, "is_active": False}, reason=reason,
                               affected=affected)
    return [event for event, _problems in affected]


def _short(codes: list[str]) -> str:
    text = ", ".join(codes)
    return text if len(text) <= 64 else text[:63] + "…"  # AuditEntry.from_state / to_state hold 64 characters


def _audit_assessor_change(assessor: Assessor, *, actor, old: dict, new: dict, reason: str, affected) -> None:
    for field in ("registration_number", "licence_valid_until"):
        if old[field] != new[field]:
            audit_record(actor=actor, obj=assessor, action=f"assessor {field.replace('_', ' ')} changed",
                         from_state=str(old[field]), to_state=str(new[field]), note=reason)
    if old["is_active"] != new["is_active"]:
        states = {True: "active", False: "inactive"}
        audit_record(actor=actor, obj=assessor,
                     action="assessor reactivated" if new["is_active"] else "assessor deactivated",
                     from_state=states[old["is_active"]], to_state=states[new["is_active"]], note=reason)
    if old["schemes"] != new["schemes"]:
        added = sorted(set(new["schemes"]) - set(old["schemes"]))
        removed = sorted(set(old["schemes"]) - set(new["schemes"]))
        audit_record(actor=actor, obj=assessor, action="assessor schemes changed", from_state=_short(old["schemes"]),
                     to_state=_short(new["schemes"]),
                     note=f"added: {', '.join(added) or '-'}; removed: {', '.join(removed) or '-'}\n{reason}")
    for event, problems in affected:
        note = "\n".join([*problems, reason])
        audit_record(actor=actor, obj=assessor, action="assessor change accepted for an open event",
                     to_state=f"event #{event.pk}", note=note)
        audit_record(actor=actor, obj=event, action="assessor no longer qualified", note=note)


def assessor_problems(assessor: Assessor, event: Event, *, licence_valid_until: datetime.date | None = None,
                      scheme_codes: set[str] | None = None, is_active: bool | None = None) -> list[str]:
    """Why ``assessor`` may not assess ``event`` (empty when they may): the assessor must be active, the licence
    valid on the event day and the scheme in scope (by code, so a new version of a scheme stays in scope). The
    keyword arguments ask about a change before it is saved."""
    day = timezone.localtime(event.starts_at).date()
    until = licence_valid_until or assessor.licence_valid_until
    codes = scheme_codes if scheme_codes is not None else {s.code for s in assessor.schemes.all()}
    active = assessor.is_active if is_active is None else is_active
    problems = []
    if not active:
        problems.append(_("%(name)s is deactivated as an assessor.") % {"name": assessor.user.full_name})
    if until < day:
        problems.append(_("%(name)s's assessor licence is not valid on %(day)s (valid until %(until)s).")
                        % {"name": assessor.user.full_name, "day": dates.day(day),
                           "until": dates.day(until)})
    if event.scheme.code not in codes:
        problems.append(_("%(name)s may not assess the scheme %(scheme)s (not in their scope).")
                        % {"name": assessor.user.full_name, "scheme": event.scheme.code})
    return problems


def assessor_events_at_risk(assessor: Assessor, *, licence_valid_until: datetime.date | None = None,
                            scheme_codes: set[str] | None = None,
                            is_active: bool | None = None) -> list[tuple[Event, list[str]]]:
    """The open events (see ``selectors.assessor_open_events``) this assessor does not qualify for, with why."""
    if scheme_codes is None:
        scheme_codes = {s.code for s in assessor.schemes.all()}
    rows = []
    for event in assessor_open_events(assessor):
        problems = assessor_problems(assessor, event, licence_valid_until=licence_valid_until,
                                     scheme_codes=scheme_codes, is_active=is_active)
        if problems:
            rows.append((event, problems))
    return rows


def _newly_at_risk(assessor: Assessor, **change) -> list[tuple[Event, list[str]]]:
    """Events the change puts at risk, or at risk for a new reason (those already at risk were accepted)."""
    before = {event.pk: set(problems) for event, problems in assessor_events_at_risk(assessor)}
    return [(event, problems) for event, problems in assessor_events_at_risk(assessor, **change)
            if set(problems) - before.get(event.pk, set())]


def conflict_declare(*, assessor: Assessor, person, reason: str, actor) -> ConflictOfInterest:
    """The assessor declares a conflict with a person; they are taken off that person's assessments at once."""
    if not reason.strip():
        raise AssessmentError(_("Say briefly why there is a conflict of interest."))
    with transaction.atomic():
        conflict, _created = ConflictOfInterest.objects.get_or_create(
            assessor=assessor, person=person, defaults={"reason": reason.strip()})
        moved = Participant.objects.filter(assessor=assessor, application__applicant=person,
                                           results__isnull=True)
        moved = Participant.objects.filter(pk__in=list(moved.values_list("pk", flat=True)))
        moved.update(assessor=None)
        audit_record(actor=actor, obj=assessor, action="conflict declared", note=f"{person}: {reason}")
    return conflict


def check_assessor_for_event(assessor: Assessor, event: Event) -> None:
    problems = assessor_problems(assessor, event)
    if problems:
        raise AssessmentError(problems[0])


def check_no_conflict(assessor: Assessor, participant: Participant) -> None:
    if ConflictOfInterest.objects.filter(assessor=assessor, person=participant.application.applicant_id).exists():
        raise AssessmentError(one_full_stop(_("%(assessor)s declared a conflict of interest with %(person)s.")
                                            % {"assessor": assessor.user.full_name, "person": participant.name}))
