"""Every write about assessors, test events, results, decisions and appeals.

One service per change: it locks the row, checks the current state, raises :class:`AssessmentError` with a
translated message, saves and writes an audit row. Application status changes go through
``applicants.services.application_transition`` (the one service for that).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Application
from applicants.models import Status as AppStatus
from applicants.services import ApplicationError, application_transition
from certportal.accounts.models import Role
from certportal.audit.services import audit_record
from certportal.notifications.services import notify

from .models import (
    SOP_STEPS,
    STEP_BY_NUMBER,
    Appeal,
    Assessor,
    ConflictOfInterest,
    Event,
    EventAssessor,
    EventStatus,
    EventStep,
    Participant,
    Result,
    UnitResult,
)
from .selectors import assessor_open_events


class AssessmentError(Exception):
    """A request about an event, a result, a decision or an appeal that cannot be granted (translated)."""


def _transition(app: Application, to_status: str, *, actor, reason: str = "") -> Application:
    try:
        return application_transition(app, to_status, actor=actor, reason=reason)
    except ApplicationError as exc:
        raise AssessmentError(str(exc)) from exc


def _locked_event(event: Event) -> Event:
    return Event.objects.select_for_update(of=("self",)).select_related("scheme", "test_site").get(pk=event.pk)


def _require_open(event: Event) -> None:
    if event.is_locked:
        raise AssessmentError(_("The official report of this event is signed: its results are locked."))


# --- assessors ---------------------------------------------------------------------------------------------

class AssessorChangeAffectsEvents(AssessmentError):
    """The change would leave the assessor unqualified for open events they are on; ``affected`` lists
    (event, problems). Saving needs ``accept_affected_events=True``."""

    def __init__(self, affected: list[tuple[Event, list[str]]]):
        self.affected = affected
        super().__init__(_("This change leaves the assessor unqualified for events they are on."))


def assessor_save(*, actor, user=None, registration_number: str, licence_valid_until: datetime.date, schemes,
                  assessor: Assessor | None = None, reason: str = "",
                  accept_affected_events: bool = False) -> Assessor:
    """Create an assessor for ``user``, or change ``assessor`` (its user never changes; ``user`` is ignored).

    A new or changed licence date may not lie in the past: a licence that ends early (revoked) is recorded by
    deactivating the assessor. A change needs a reason and writes one audit entry per changed field (from, to,
    reason); a save that changes nothing writes nothing.

    Events already planned: a change that leaves the assessor unqualified for an open event they are on (the
    licence ends before the event day, or the event's scheme leaves their scope; see :func:`assessor_problems`)
    is refused with :class:`AssessorChangeAffectsEvents` listing those events, unless the caller accepts it.
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
                                 "schemes": sorted({s.code for s in schemes})}, schemes=schemes)


def _check_licence_date(day: datetime.date, *, stored: datetime.date | None) -> None:
    if day < timezone.localdate() and day != stored:
        raise AssessmentError(_("The licence valid-until date is in the past."))


def _assessor_facts(assessor: Assessor) -> dict:
    return {"registration_number": assessor.registration_number,
            "licence_valid_until": assessor.licence_valid_until,
            "schemes": sorted({s.code for s in assessor.schemes.all()})}


def _assessor_update(assessor: Assessor, *, actor, reason: str, accept: bool, new: dict, schemes) -> Assessor:
    with transaction.atomic():
        assessor = Assessor.objects.select_for_update(of=("self",)).select_related("user").get(pk=assessor.pk)
        old = _assessor_facts(assessor)
        if new == old:
            return assessor
        if not reason:
            raise AssessmentError(_("Say why the assessor's data changes."))
        _check_licence_date(new["licence_valid_until"], stored=old["licence_valid_until"])
        affected = _newly_at_risk(assessor, licence_valid_until=new["licence_valid_until"],
                                  scheme_codes=set(new["schemes"]))
        if affected and not accept:
            raise AssessorChangeAffectsEvents(affected)
        assessor.registration_number = new["registration_number"]
        assessor.licence_valid_until = new["licence_valid_until"]
        assessor.save(update_fields=["registration_number", "licence_valid_until"])
        if new["schemes"] != old["schemes"]:
            assessor.schemes.set(schemes)
        _audit_assessor_change(assessor, actor=actor, old=old, new=new, reason=reason, affected=affected)
    return assessor


def _short(codes: list[str]) -> str:
    text = ", ".join(codes)
    return text if len(text) <= 64 else text[:63] + "…"  # AuditEntry.from_state / to_state hold 64 characters


def _audit_assessor_change(assessor: Assessor, *, actor, old: dict, new: dict, reason: str, affected) -> None:
    for field in ("registration_number", "licence_valid_until"):
        if old[field] != new[field]:
            audit_record(actor=actor, obj=assessor, action=f"assessor {field.replace('_', ' ')} changed",
                         from_state=str(old[field]), to_state=str(new[field]), note=reason)
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
                      scheme_codes: set[str] | None = None) -> list[str]:
    """Why ``assessor`` may not assess ``event`` (empty when they may): the licence must be valid on the event
    day and the scheme in scope (by code, so a new version of a scheme stays in scope). The keyword arguments
    ask about a change before it is saved."""
    day = timezone.localtime(event.starts_at).date()
    until = licence_valid_until or assessor.licence_valid_until
    codes = scheme_codes if scheme_codes is not None else {s.code for s in assessor.schemes.all()}
    problems = []
    if not assessor.is_active or until < day:
        problems.append(_("%(name)s's assessor licence is not valid on %(day)s (valid until %(until)s).")
                        % {"name": assessor.user.full_name, "day": day.strftime("%d-%m-%Y"),
                           "until": until.strftime("%d-%m-%Y")})
    if event.scheme.code not in codes:
        problems.append(_("%(name)s may not assess the scheme %(scheme)s (not in their scope).")
                        % {"name": assessor.user.full_name, "scheme": event.scheme.code})
    return problems


def assessor_events_at_risk(assessor: Assessor, *, licence_valid_until: datetime.date | None = None,
                            scheme_codes: set[str] | None = None) -> list[tuple[Event, list[str]]]:
    """The open events (see ``selectors.assessor_open_events``) this assessor does not qualify for, with why."""
    if scheme_codes is None:
        scheme_codes = {s.code for s in assessor.schemes.all()}
    rows = []
    for event in assessor_open_events(assessor):
        problems = assessor_problems(assessor, event, licence_valid_until=licence_valid_until,
                                     scheme_codes=scheme_codes)
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
        raise AssessmentError(_("%(assessor)s declared a conflict of interest with %(person)s.")
                              % {"assessor": assessor.user.full_name, "person": participant.name})


# --- events ------------------------------------------------------------------------------------------------

def event_create(*, actor, scheme, test_site, starts_at, place_note: str = "") -> Event:
    if not test_site.is_active:
        raise AssessmentError(_("This test site is not active."))
    day = timezone.localtime(starts_at).date()
    if test_site.licence_valid_until and test_site.licence_valid_until < day:
        raise AssessmentError(_("The test site's licence is not valid on the date of the event."))
    with transaction.atomic():
        event = Event.objects.create(scheme=scheme, test_site=test_site, starts_at=starts_at,
                                     place_note=place_note, created_by=actor)
        now = timezone.now()
        EventStep.objects.bulk_create([EventStep(event=event, number=s[0], started_at=now if s[0] == 1 else None)
                                       for s in SOP_STEPS])
        audit_record(actor=actor, obj=event, action="status", to_state=EventStatus.PLANNED)
    return event


def event_add_assessor(event: Event, *, assessor: Assessor, actor) -> EventAssessor:
    with transaction.atomic():
        event = _locked_event(event)
        _require_open(event)
        check_assessor_for_event(assessor, event)
        link, created = EventAssessor.objects.get_or_create(event=event, assessor=assessor)
        if created:
            audit_record(actor=actor, obj=event, action="assessor added", note=str(assessor))
            for p in event.participants.filter(assessor__isnull=True).select_related("application"):
                if not ConflictOfInterest.objects.filter(assessor=assessor,
                                                         person=p.application.applicant_id).exists():
                    p.assessor = assessor
                    p.save(update_fields=["assessor"])
    return link


def event_add_participant(event: Event, *, application: Application, actor) -> Participant:
    """Put a named participant (or an appellant whose re-assessment was ordered) on the event."""
    with transaction.atomic():
        event = _locked_event(event)
        _require_open(event)
        application = Application.objects.select_related("scheme").get(pk=application.pk)
        if application.scheme.code != event.scheme.code:
            raise AssessmentError(_("%(name)s applied for another scheme.") % {"name": application.applicant_name})
        earlier = None
        if application.status == AppStatus.APPEALED:
            earlier = _reassessment_source(application)
        elif application.status != AppStatus.PARTICIPANT:
            raise AssessmentError(_("%(name)s is not named as a participant (status: %(status)s).")
                                  % {"name": application.applicant_name, "status": application.get_status_display()})
        if Participant.objects.filter(application=application, event__status__in=[
                s for s in EventStatus.values if s not in (EventStatus.REVIEWED, EventStatus.ARCHIVED,
                                                           EventStatus.REPORT_SIGNED)]).exists():
            raise AssessmentError(_("%(name)s is already on an open event.") % {"name": application.applicant_name})
        participant = Participant.objects.create(event=event, application=application, reassessment_of=earlier,
                                                 assessor=_free_assessor(event, application))
        if earlier is not None:
            _carry_over(participant, earlier)
        audit_record(actor=actor, obj=event, action="participant added", note=application.applicant_name)
        if event.status != EventStatus.PLANNED:
            _schedule(participant, actor)
    return participant


def _reassessment_source(application: Application) -> Participant:
    appeal = (Appeal.objects.filter(participant__application=application, outcome=Appeal.Outcome.REASSESS)
              .select_related("participant").order_by("-decided_at").first())
    if appeal is None:
        raise AssessmentError(_("The appeal of %(name)s has not ordered a re-assessment.")
                              % {"name": application.applicant_name})
    if appeal.participant.reassessments.exists():
        raise AssessmentError(_("The re-assessment of %(name)s is already planned.")
                              % {"name": application.applicant_name})
    return appeal.participant


def _carry_over(participant: Participant, earlier: Participant) -> None:
    """Only the BK units named by the appeal are re-assessed; the K units are carried over as they were."""
    appeal = earlier.appeals.filter(outcome=Appeal.Outcome.REASSESS).order_by("-decided_at").first()
    units = set(appeal.units.values_list("pk", flat=True))
    participant.reassess_units.set(units)
    UnitResult.objects.bulk_create([
        UnitResult(participant=participant, unit_id=r.unit_id, result=r.result, method=r.method,
                   evidence=r.evidence, notes=r.notes, carried_over=True, recorded_by=r.recorded_by)
        for r in earlier.results.exclude(unit_id__in=units)
    ])
    participant.agreement_accepted_at = None


def _free_assessor(event: Event, application: Application) -> Assessor | None:
    for link in event.event_assessors.select_related("assessor"):
        if not ConflictOfInterest.objects.filter(assessor=link.assessor, person=application.applicant_id).exists():
            return link.assessor
    return None


def participant_assign(participant: Participant, *, assessor: Assessor, actor) -> Participant:
    with transaction.atomic():
        event = _locked_event(participant.event)
        _require_open(event)
        if not event.event_assessors.filter(assessor=assessor).exists():
            raise AssessmentError(_("Add the assessor to the event first."))
        check_assessor_for_event(assessor, event)
        check_no_conflict(assessor, participant)
        participant.assessor = assessor
        participant.save(update_fields=["assessor"])
        audit_record(actor=actor, obj=participant, action="assessor assigned", note=str(assessor))
    return participant


def _schedule(participant: Participant, actor) -> None:
    app = participant.application
    if app.status in (AppStatus.PARTICIPANT, AppStatus.APPEALED):
        participant.application = _transition(app, AppStatus.SCHEDULED, actor=actor,
                                              reason=_("Test event on %(day)s") % {
                                                  "day": timezone.localtime(participant.event.starts_at)
                                                  .strftime("%d-%m-%Y %H:%M")})


def _step_roles_ok(user, number: int, event: Event) -> bool:
    roles = STEP_BY_NUMBER[number][2]
    if not user.has_role(*roles):
        return False
    if Role.ASSESSOR in roles and user.has_role(Role.ASSESSOR) and not user.has_role(
            *[r for r in roles if r != Role.ASSESSOR]):
        return event.event_assessors.filter(assessor__user=user).exists()
    if Role.TUK_HEAD in roles and user.has_role(Role.TUK_HEAD) and not user.has_role(
            *[r for r in roles if r != Role.TUK_HEAD]):
        return event.test_site.head_id == user.pk
    return True


def next_step(event: Event) -> int | None:
    done = set(event.steps.filter(done_at__isnull=False).values_list("number", flat=True))
    for number, *_rest in SOP_STEPS:
        if number not in done:
            return number
    return None


def event_step_complete(event: Event, number: int, *, actor, note: str = "") -> Event:
    """Mark SOP step ``number`` done (in order, by its responsible role), with the step's side effects."""
    with transaction.atomic():
        event = _locked_event(event)
        if next_step(event) != number:
            raise AssessmentError(_("Step %(n)s is not the next step of this event.") % {"n": number})
        if not _step_roles_ok(actor, number, event):
            raise AssessmentError(_("Step %(n)s is done by: %(roles)s.") % {
                "n": number, "roles": ", ".join(str(Role(r).label) for r in STEP_BY_NUMBER[number][2])})
        STEP_CHECKS[number](event, actor)
        from_status = event.status
        now = timezone.now()
        EventStep.objects.filter(event=event, number=number).update(done_at=now, done_by=actor, note=note)
        EventStep.objects.filter(event=event, number=number + 1).update(started_at=now)
        event.status = STEP_BY_NUMBER[number][1]
        event.save(update_fields=["status"])
        audit_record(actor=actor, obj=event, action="status", from_state=from_status, to_state=event.status,
                     note=f"SOP {number}. {note}".strip())
        STEP_EFFECTS.get(number, lambda e, a: None)(event, actor)
    return event


def _check_step1(event: Event, actor) -> None:
    if not event.event_assessors.exists():
        raise AssessmentError(_("Add at least one assessor before sending the schedule."))
    if not event.participants.exists():
        raise AssessmentError(_("Add the participants before sending the schedule."))
    if event.participants.filter(assessor__isnull=True).exists():
        raise AssessmentError(_("Every participant needs an assessor without a conflict of interest."))


def _effect_step1(event: Event, actor) -> None:
    """Schedule e-mails to every participant and assessor; the applications become 'scheduled'."""
    for p in event.participants.select_related("application__applicant"):
        _schedule(p, actor)
        notify(p.application.applicant, template="assessments/email/schedule",
               context={"event": event, "participant": p}, url=reverse("assessments:my-participation",
                                                                      kwargs={"pk": p.pk}),
               key=f"event-{event.pk}-schedule-{p.pk}")
    for link in event.event_assessors.select_related("assessor__user"):
        notify(link.assessor.user, template="assessments/email/schedule_assessor", context={"event": event},
               url=reverse("assessments:event", kwargs={"pk": event.pk}), key=f"event-{event.pk}-assessor-{link.pk}")
    event.event_assessors.filter(confirmed_at__isnull=True).update(confirmed_at=timezone.now())


def _effect_step3(event: Event, actor) -> None:
    for p in event.participants.select_related("application__applicant"):
        notify(p.application.applicant, template="assessments/email/reminder",
               context={"event": event, "participant": p},
               url=reverse("assessments:my-participation", kwargs={"pk": p.pk}), key=f"event-{event.pk}-remind-{p.pk}")


def _check_step5(event: Event, actor) -> None:
    if event.participants.filter(attended__isnull=True).exists() or \
            event.event_assessors.filter(attended__isnull=True).exists():
        raise AssessmentError(_("Record the attendance of every participant and assessor first."))


def _check_step6(event: Event, actor) -> None:
    for p in event.participants.filter(attended=True).select_related("application__scheme"):
        missing = missing_units(p)
        if missing:
            raise AssessmentError(_("Results are missing for %(name)s: %(units)s.")
                                  % {"name": p.name, "units": ", ".join(u.code for u in missing)})
    if not event.event_assessors.filter(signed_report_at__isnull=False).exists():
        raise AssessmentError(_("An assessor of the event must sign the official report."))
    if event.test_site.head_id and event.test_site.head_id != actor.pk:
        raise AssessmentError(_("The head of the test site signs the official report last."))


def _effect_step6(event: Event, actor) -> None:
    """Results lock: recommendations are fixed, present participants become 'assessed', absent ones go back."""
    for p in event.participants.select_related("application"):
        if p.attended:
            p.recommendation = recommend(p)
            p.save(update_fields=["recommendation"])
            p.application = _transition(p.application, AppStatus.ASSESSED, actor=actor)
        elif p.application.status == AppStatus.SCHEDULED:
            p.application = _transition(p.application, AppStatus.PARTICIPANT, actor=actor,
                                        reason=_("Absent from the test"))


def _noop(event: Event, actor) -> None:
    return None


STEP_CHECKS = {1: _check_step1, 2: _noop, 3: _noop, 4: _noop, 5: _check_step5, 6: _check_step6, 7: _noop, 8: _noop}
STEP_EFFECTS = {1: _effect_step1, 3: _effect_step3, 6: _effect_step6}


def report_sign_as_assessor(event: Event, *, actor) -> EventAssessor:
    """The assessor's signature on the berita acara; the Kepala TUK's signature (step 6) then locks it."""
    with transaction.atomic():
        event = _locked_event(event)
        if event.status != EventStatus.HELD:
            raise AssessmentError(_("The official report is signed after the test has been held."))
        link = event.event_assessors.filter(assessor__user=actor).first()
        if link is None:
            raise AssessmentError(_("Only an assessor of this event can sign as assessor."))
        _check_step6_results(event)
        link.signed_report_at = timezone.now()
        link.save(update_fields=["signed_report_at"])
        audit_record(actor=actor, obj=event, action="report signed by assessor")
    return link


def _check_step6_results(event: Event) -> None:
    for p in event.participants.filter(attended=True):
        if missing_units(p):
            raise AssessmentError(_("Results are missing for %(name)s.") % {"name": p.name})


def event_save_minutes(event: Event, *, actor, minutes: str) -> Event:
    with transaction.atomic():
        event = _locked_event(event)
        if event.status == EventStatus.ARCHIVED:
            raise AssessmentError(_("The event is archived."))
        event.minutes = minutes
        event.save(update_fields=["minutes"])
        audit_record(actor=actor, obj=event, action="minutes saved")
    return event


# --- the participant's side ------------------------------------------------------------------------------

def participant_confirm_attendance(participant: Participant, *, user) -> Participant:
    participant = Participant.objects.select_related("event", "application").get(pk=participant.pk)
    if participant.application.applicant_id != user.pk:
        raise AssessmentError(_("Only the participant can confirm their attendance."))
    if participant.event.reached(EventStatus.HELD) or participant.event.status == EventStatus.PLANNED:
        raise AssessmentError(_("Attendance is confirmed after the schedule is sent and before the test."))
    if participant.attendance_confirmed_at is None:
        participant.attendance_confirmed_at = timezone.now()
        participant.save(update_fields=["attendance_confirmed_at"])
        audit_record(actor=user, obj=participant, action="attendance confirmed")
    return participant


def participant_accept_agreement(participant: Participant, *, user) -> Participant:
    """FR.AK.01 in substance: the assessment agreement and the confidentiality terms."""
    participant = Participant.objects.select_related("event", "application").get(pk=participant.pk)
    if participant.application.applicant_id != user.pk:
        raise AssessmentError(_("Only the participant can accept the assessment agreement."))
    if participant.event.is_locked:
        raise AssessmentError(_("The test has already been held."))
    if participant.agreement_accepted_at is None:
        participant.agreement_accepted_at = timezone.now()
        participant.save(update_fields=["agreement_accepted_at"])
        audit_record(actor=user, obj=participant, action="agreement accepted (FR.AK.01)")
    return participant


def participant_accept_obligations(participant: Participant, *, user) -> Participant:
    participant = Participant.objects.select_related("event", "application").get(pk=participant.pk)
    if participant.application.applicant_id != user.pk:
        raise AssessmentError(_("Only the participant can accept the certificate-holder obligations."))
    if participant.decision != Result.K:
        raise AssessmentError(_("The obligations are accepted once you are declared competent."))
    if participant.obligations_accepted_at is None:
        participant.obligations_accepted_at = timezone.now()
        participant.save(update_fields=["obligations_accepted_at"])
        audit_record(actor=user, obj=participant, action="holder obligations accepted")
    return participant


# --- attendance and results ------------------------------------------------------------------------------

def attendance_record(event: Event, *, actor, participants: dict[int, bool], assessors: dict[int, bool]) -> Event:
    with transaction.atomic():
        event = _locked_event(event)
        if event.status not in (EventStatus.CONFIRMED, EventStatus.HELD):
            raise AssessmentError(_("Attendance is recorded on the day of the test (after confirmation)."))
        for p in event.participants.filter(pk__in=participants):
            p.attended = participants[p.pk]
            p.save(update_fields=["attended"])
        for link in event.event_assessors.filter(pk__in=assessors):
            link.attended = assessors[link.pk]
            link.save(update_fields=["attended"])
        audit_record(actor=actor, obj=event, action="attendance recorded",
                     note=f"{sum(participants.values())}/{len(participants)} participants present")
    return event


def units_to_assess(participant: Participant):
    from schemes.models import Unit

    units = Unit.objects.filter(scheme_links__scheme=participant.application.scheme_id).order_by(
        "scheme_links__position")
    if participant.reassessment_of_id:
        units = units.filter(pk__in=participant.reassess_units.all())
    return units


def missing_units(participant: Participant) -> list:
    from schemes.models import Unit

    done = set(participant.results.values_list("unit_id", flat=True))
    return [u for u in Unit.objects.filter(scheme_links__scheme=participant.application.scheme_id)
            .order_by("scheme_links__position") if u.pk not in done]


def result_record(participant: Participant, *, actor, unit, result: str, evidence: str, notes: str = "",
                  explanation: str = "", method: str | None = None) -> UnitResult:
    """The assessor records K/BK for one unit. Every BK carries an explanation for the participant."""
    with transaction.atomic():
        participant = Participant.objects.select_for_update(of=("self",)).select_related(
            "event", "application", "assessor").get(pk=participant.pk)
        _require_open(participant.event)
        if participant.event.status not in (EventStatus.CONFIRMED, EventStatus.HELD):
            raise AssessmentError(_("Results are recorded on the day of the test."))
        if participant.assessor is None or participant.assessor.user_id != actor.pk:
            raise AssessmentError(_("Only the participant's assessor records their results."))
        if participant.agreement_accepted_at is None:
            raise AssessmentError(_("%(name)s has not accepted the assessment agreement (FR.AK.01) yet.")
                                  % {"name": participant.name})
        if participant.attended is False:
            raise AssessmentError(_("%(name)s was absent.") % {"name": participant.name})
        if not units_to_assess(participant).filter(pk=unit.pk).exists():
            raise AssessmentError(_("Unit %(code)s is not assessed in this sitting.") % {"code": unit.code})
        method = method or participant.method
        if method != participant.method:
            raise AssessmentError(_("The scheme prescribes this method for the participant: %(m)s.")
                                  % {"m": participant.method_text})
        _validate_result(result, evidence, explanation)
        row, _created = UnitResult.objects.update_or_create(
            participant=participant, unit=unit,
            defaults={"result": result, "method": method, "evidence": evidence.strip(), "notes": notes.strip(),
                      "explanation": explanation.strip() if result == Result.BK else "", "carried_over": False,
                      "recorded_by": actor})
        audit_record(actor=actor, obj=participant, action="result recorded", to_state=result, note=unit.code)
    return row


def _validate_result(result: str, evidence: str, explanation: str) -> None:
    if result not in Result.values:
        raise AssessmentError(_("Choose K or BK."))
    if not evidence.strip():
        raise AssessmentError(_("Describe the evidence the result rests on."))
    if result == Result.BK and not explanation.strip():
        raise AssessmentError(_("Explain every BK result: the participant has the right to an explanation."))


def result_correct(row: UnitResult, *, actor, result: str, evidence: str, explanation: str, reason: str) -> UnitResult:
    """After the lock only an LSP admin corrects a result, with a reason; the correction is audited."""
    if not actor.has_role(Role.LSP_ADMIN):
        raise AssessmentError(_("Only an LSP administrator can correct a locked result."))
    if not reason.strip():
        raise AssessmentError(_("Give the reason for the correction."))
    _validate_result(result, evidence, explanation)
    with transaction.atomic():
        row = UnitResult.objects.select_for_update(of=("self",)).select_related("participant", "unit").get(pk=row.pk)
        participant = row.participant
        if participant.certificates.exists():
            raise AssessmentError(_("A certificate has been issued: correct it by issuing a replacement."))
        before = row.result
        row.result, row.evidence = result, evidence.strip()
        row.explanation = explanation.strip() if result == Result.BK else ""
        row.save()
        if participant.recommendation:
            participant.recommendation = recommend(participant)
            participant.save(update_fields=["recommendation"])
        audit_record(actor=actor, obj=participant, action="result corrected", from_state=before, to_state=result,
                     note=f"{row.unit.code}: {reason.strip()}")
    return row


def recommend(participant: Participant) -> str:
    """K only if every unit of the scheme is K; for a scheme on a KKNI qualification the packaging engine decides
    (core units, enough electives, prerequisites held — :mod:`schemes.engine`)."""
    results = dict(participant.results.values_list("unit__code", "result"))
    scheme = participant.application.scheme
    if scheme.qualification_id:
        from schemes.engine import evaluate, rule_for

        held = [code for code, r in results.items() if r == Result.K]
        return Result.K if evaluate(rule_for(scheme.qualification), held).met else Result.BK
    units = set(scheme.scheme_units.values_list("unit__code", flat=True))
    if units and units <= set(results) and all(results[c] == Result.K for c in units):
        return Result.K
    return Result.BK


# --- the certification decision --------------------------------------------------------------------------

def participant_decide(participant: Participant, *, actor, decision: str, note: str = "") -> Participant:
    """The LSP's certification decision, by an LSP admin who did not assess the participant."""
    with transaction.atomic():
        participant = Participant.objects.select_for_update(of=("self",)).select_related(
            "event", "application", "assessor").get(pk=participant.pk)
        if not actor.has_role(Role.LSP_ADMIN):
            raise AssessmentError(_("The certification decision is taken by an LSP administrator."))
        if participant.assessor and participant.assessor.user_id == actor.pk:
            raise AssessmentError(_("You assessed this participant: another LSP administrator decides."))
        if not participant.event.reached(EventStatus.REVIEWED):
            raise AssessmentError(_("The event must be reviewed (SOP step 7) before the decision."))
        if participant.decision:
            raise AssessmentError(_("The decision has already been taken."))
        if decision not in Result.values:
            raise AssessmentError(_("Choose K or BK."))
        if decision != participant.recommendation and not note.strip():
            raise AssessmentError(_("Explain why the decision differs from the recommendation."))
        target = AppStatus.COMPETENT if decision == Result.K else AppStatus.NOT_YET_COMPETENT
        participant.application = _transition(participant.application, target, actor=actor, reason=note)
        participant.decision, participant.decision_note = decision, note.strip()
        participant.decided_by, participant.decided_at = actor, timezone.now()
        participant.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
        audit_record(actor=actor, obj=participant, action="decision", to_state=decision, note=note)
    return participant


# --- appeals ---------------------------------------------------------------------------------------------

def appeal_deadline(participant: Participant) -> datetime.date | None:
    if not participant.decided_at:
        return None
    days = settings.ASSESSMENT_APPEAL_WINDOW_DAYS
    return timezone.localtime(participant.decided_at).date() + datetime.timedelta(days=days)


def appeal_file(participant: Participant, *, user, grounds: str, discussed_with_assessor: bool = False) -> Appeal:
    if participant.application.applicant_id != user.pk:
        raise AssessmentError(_("Only the participant can appeal."))
    if not grounds.strip():
        raise AssessmentError(_("Say why you appeal."))
    with transaction.atomic():
        participant = Participant.objects.select_for_update(of=("self",)).select_related("application").get(pk=participant.pk)
        if participant.decision != Result.BK:
            raise AssessmentError(_("An appeal is possible against a “not yet competent” decision."))
        deadline = appeal_deadline(participant)
        if deadline is None or timezone.localdate() > deadline:
            raise AssessmentError(_("The appeal window closed on %(day)s.") % {
                "day": deadline.strftime("%d-%m-%Y") if deadline else "-"})
        if participant.appeals.exists():
            raise AssessmentError(_("You have already appealed this decision."))
        appeal = Appeal.objects.create(participant=participant, grounds=grounds.strip(),
                                       discussed_with_assessor=discussed_with_assessor)
        participant.application = _transition(participant.application, AppStatus.APPEALED, actor=user,
                                              reason=grounds.strip())
        audit_record(actor=user, obj=appeal, action="status", to_state=Appeal.Status.FILED)
        _appeal_clock_start(appeal)
    return appeal


def _appeal_clock_start(appeal: Appeal) -> None:
    from certportal.sla import services as sla

    try:
        with transaction.atomic():  # a savepoint: a missing policy must not spoil the appeal's transaction
            sla.start_clock(appeal, "appeal")
    except Exception as exc:  # the policy ships with the SLA reference data; an install without it still works
        import logging

        logging.getLogger(__name__).warning("appeal clock not started: %s", exc)


def may_decide_appeal(user, appeal: Appeal) -> bool:
    p = appeal.participant
    return (user.has_role(Role.LSP_ADMIN, Role.QUALITY)
            and not (p.assessor and p.assessor.user_id == user.pk)
            and p.decided_by_id != user.pk)


def appeal_decide(appeal: Appeal, *, actor, outcome: str, note: str, unit_ids=()) -> Appeal:
    """Decided by someone who neither assessed nor decided the case; a re-assessment covers BK units only."""
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update(of=("self",)).select_related(
            "participant__application", "participant__assessor").get(pk=appeal.pk)
        if appeal.status != Appeal.Status.FILED:
            raise AssessmentError(_("This appeal has already been decided."))
        if not may_decide_appeal(actor, appeal):
            raise AssessmentError(_("The appeal is decided by someone who neither assessed nor decided the case."))
        if outcome not in Appeal.Outcome.values or not note.strip():
            raise AssessmentError(_("Choose the outcome and give its reasons."))
        p = appeal.participant
        bk = set(p.results.filter(result=Result.BK).values_list("unit_id", flat=True))
        units = {int(u) for u in unit_ids} if outcome == Appeal.Outcome.REASSESS else set()
        if outcome == Appeal.Outcome.REASSESS and (not units or not units <= bk):
            raise AssessmentError(_("A re-assessment covers BK units only: choose at least one BK unit."))
        appeal.status, appeal.outcome, appeal.outcome_note = Appeal.Status.DECIDED, outcome, note.strip()
        appeal.decided_by, appeal.decided_at = actor, timezone.now()
        appeal.save()
        appeal.units.set(units)
        if outcome == Appeal.Outcome.DISMISSED:
            _transition(p.application, AppStatus.NOT_YET_COMPETENT, actor=actor, reason=note)
        audit_record(actor=actor, obj=appeal, action="status", from_state=Appeal.Status.FILED,
                     to_state=outcome, note=note)
        _appeal_clock_stop(appeal)
        notify(p.application.applicant, template="assessments/email/appeal_decided",
               context={"appeal": appeal, "participant": p},
               url=reverse("assessments:my-participation", kwargs={"pk": p.pk}), key=f"appeal-{appeal.pk}-decided")
    return appeal


def _appeal_clock_stop(appeal: Appeal) -> None:
    from certportal.sla import services as sla

    if sla.clock_for(appeal, "appeal") is not None:
        sla.stop_clock(appeal, "appeal")
