"""Test events: planning, assessors and participants on them, the eight SOP steps with their checks and
effects, the official report, minutes, attendance, and the participant's side (confirming attendance, the
assessment agreement, the certificate-holder obligations)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Application
from applicants.models import Status as AppStatus
from certportal.accounts.models import Role
from certportal.audit.services import audit_record
from certportal.notifications.services import notify

from ..models import (
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
from .assessors import assessor_problems, check_assessor_for_event, check_no_conflict
from .base import AssessmentError, _locked_event, _require_open, _transition
from .results import check_may_still_assess, missing_units, recommend


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
    """The first assessor of the event who qualifies for it (an assessor deactivated or whose licence was
    shortened stays on the event but gets no new participants) and has no conflict with the applicant."""
    for link in event.event_assessors.select_related("assessor__user").prefetch_related("assessor__schemes"):
        if assessor_problems(link.assessor, event):
            continue
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


def _check_step2(event: Event, actor) -> None:
    from .readiness import readiness_problem  # seed 002 step 2: the Kepala TUK's readiness checklist

    if problem := readiness_problem(event):
        raise AssessmentError(problem)


STEP_CHECKS = {1: _check_step1, 2: _check_step2, 3: _noop, 4: _noop, 5: _check_step5, 6: _check_step6, 7: _noop, 8: _noop}
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
        check_may_still_assess(link.assessor, event)
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
