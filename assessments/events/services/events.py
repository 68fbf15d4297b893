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
from assessments.errors import AssessmentError
from assessments.events import holder_rules, hooks
from assessments.events.models import (
    SOP_STEPS,
    Appeal,
    Assessor,
    ConfirmedHow,
    ConflictOfInterest,
    Event,
    EventAssessor,
    EventReview,
    EventStatus,
    EventStep,
    Participant,
    Procedure,
    Result,
    UnitResult,
)
from assessments.events.services.assessors import (
    assessor_problems,
    check_assessor_for_event,
    check_no_conflict,
)
from assessments.events.services.base import _act, _locked_event, _require_open
from assessments.events.services.results import recommend
from assessments.events.workflow.events import (
    STEP_TRANSITIONS,
    all_reviews_signed,
    review_roles_open,
    step_roles_ok,
    unconfirmed_links,
)
from certportal import dates
from certportal.accounts.models import Role
from certportal.audit.services import audit_record
from certportal.lsp.licence import licence_refusal
from certportal.notifications.services import notify
from certportal.workflow import transition

EVENT = "assessments.event."  # audit codes of the event's acts that are not transitions (see workflow.events)


def event_create(*, actor, scheme, test_site, starts_at, place_note: str = "") -> Event:
    if not test_site.is_active:
        raise AssessmentError(_("This test site is not active."))
    day = timezone.localtime(starts_at).date()
    if test_site.licence_valid_until and test_site.licence_valid_until < day:
        raise AssessmentError(_("The test site's verification by the LSP holds until %(date)s, not on the day of "
                                "the event.") % {"date": dates.day(test_site.licence_valid_until)})
    if refusal := licence_refusal(scheme.code, day):  # the LSP's own BNSP licence: its scope and its dates
        raise AssessmentError(refusal)
    with transaction.atomic():
        # FR.MAPA.01: the plan in force now stays this event's plan, whatever is validated later
        event = Event.objects.create(scheme=scheme, test_site=test_site, starts_at=starts_at,
                                     place_note=place_note, created_by=actor, plan=hooks.plan_in_force(scheme),
                                     procedure=procedure_in_force(timezone.localdate()))
        now = timezone.now()
        EventStep.objects.bulk_create([EventStep(event=event, number=s[0], started_at=now if s[0] == 1 else None)
                                       for s in SOP_STEPS])
        audit_record(actor=actor, obj=event, action=EVENT + "created", to_state=EventStatus.PLANNED)
    return event


def _schedule_sent(event: Event) -> bool:
    """The schedule has gone out (step 1's first act): newcomers are scheduled and told at once."""
    return bool(event.schedule_distributed_at) or event.status != EventStatus.PLANNED


def event_add_assessor(event: Event, *, assessor: Assessor, actor) -> EventAssessor:
    with transaction.atomic():
        event = _locked_event(event)
        _require_open(event)
        check_assessor_for_event(assessor, event)
        link, created = EventAssessor.objects.get_or_create(event=event, assessor=assessor)
        if created:
            audit_record(actor=actor, obj=event, action=EVENT + "assessor_added", note=str(assessor))
            for p in event.participants.filter(assessor__isnull=True).select_related("application"):
                if not ConflictOfInterest.objects.filter(assessor=assessor,
                                                         person=p.application.applicant_id).exists():
                    p.assessor = assessor
                    p.save(update_fields=["assessor"])
            if _schedule_sent(event):
                _notify_assessor(event, link)
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
        audit_record(actor=actor, obj=event, action=EVENT + "participant_added", note=application.applicant_name)
        if _schedule_sent(event):
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
        participant.application = _act(app, "scheduled", actor=actor,
                                              reason=_("Test event on %(day)s") % {
                                                  "day": dates.wib(participant.event.starts_at)})


def procedure_in_force(day) -> Procedure | None:
    """The SOP version in force on ``day`` (seed 002 PSM/DISNAKER-10 unless revised): the event follows it."""
    return Procedure.objects.filter(effective_on__lte=day).order_by("-effective_on", "-version").first()


def _step_roles_ok(user, number: int, event: Event) -> bool:
    return step_roles_ok(user, number, event)


def next_step(event: Event) -> int | None:
    done = set(event.steps.filter(done_at__isnull=False).values_list("number", flat=True))
    for number, *_rest in SOP_STEPS:
        if number not in done:
            return number
    return None


def _stamp_step(event: Event, number: int, *, actor, note: str, at) -> None:
    """The SOP time sheet: step ``number`` done now, the next one starts now (step 5, the test itself, starts
    no earlier than the event)."""
    EventStep.objects.filter(event=event, number=number).update(done_at=at, done_by=actor, note=note)
    next_start = max(at, event.starts_at) if number + 1 == 5 else at
    EventStep.objects.filter(event=event, number=number + 1).update(started_at=next_start)


def _complete_step(event: Event, number: int, *, actor, note: str = "", ip: str | None = None, at=None) -> Event:
    """Take the transition that completes SOP step ``number``, stamp the step and run its effects."""
    at = at or timezone.now()
    event = transition(event, STEP_TRANSITIONS[number], user=actor, reason=note, ip=ip, at=at)
    _stamp_step(event, number, actor=actor, note=note, at=at)
    STEP_EFFECTS.get(number, lambda e, a: None)(event, actor)
    return event


def event_step_complete(event: Event, number: int, *, actor, note: str = "", ip: str | None = None) -> Event:
    """Complete SOP step ``number`` (by its responsible role, when its guard holds). Step 1 is completed by the
    last assessor's confirmation (:func:`assessor_confirm`) and step 7 by the last reviewing role's sign-off
    (:func:`review_sign`): for them this records that act."""
    if number == 7:
        return review_sign(event, actor=actor, note=note, ip=ip)
    with transaction.atomic():
        return _complete_step(_locked_event(event), number, actor=actor, note=note, ip=ip)


# --- step 1: the schedule goes out, every assessor confirms -------------------------------------------------------

def event_distribute_schedule(event: Event, *, actor, note: str = "", ip: str | None = None) -> Event:
    """Step 1, first act: the schedule goes to every participant and assessor; applications become 'scheduled'."""
    with transaction.atomic():
        event = transition(_locked_event(event), "schedule_distributed", user=actor, reason=note, ip=ip)
        _effect_schedule(event, actor)
    return event


def assessor_confirm(event: Event, *, actor, assessor: Assessor | None = None, how: str = "", note: str = "",
                     ip: str | None = None) -> EventAssessor:
    """Step 1, second act: an assessor confirms their assignment in the portal, or the LSP admin records who
    confirmed and how (phone, letter...; a note is required). The last confirmation completes step 1."""
    with transaction.atomic():
        event = _locked_event(event)
        link = _link_to_confirm(event, actor=actor, assessor=assessor)
        own = link.assessor.user_id == actor.pk
        how = ConfirmedHow.PORTAL if own else how
        if not own and (how not in ConfirmedHow.values or how == ConfirmedHow.PORTAL or not note.strip()):
            raise AssessmentError(_("Say how %(name)s confirmed (telephone, letter...) and add a note.")
                                  % {"name": link.assessor.user.full_name})
        at = timezone.now()
        text = f"{link.assessor}: {ConfirmedHow(how).label}" + (f". {note.strip()}" if note.strip() else "")
        event = transition(event, "assessor_confirmed", user=actor, reason=text, ip=ip, at=at)
        link.confirmed_at, link.confirmed_by, link.confirmed_how = at, actor, how
        link.confirmed_note = note.strip()[:300]
        link.save(update_fields=["confirmed_at", "confirmed_by", "confirmed_how", "confirmed_note"])
        if not unconfirmed_links(event).exists():
            _complete_step(event, 1, actor=actor, ip=ip, at=at)
    return link


def participant_reached(event: Event, *, actor, participant: Participant | None, how: str, reached_at,
                        note: str = "", ip: str | None = None) -> Participant:
    """SOP step 4: the LSP admin records how and when a participant who has not confirmed in the portal was reached
    (the event machine's ``participant_reached``, status kept, audited). Step 4 waits for each participant."""
    if participant is None or participant.event_id != event.pk:
        raise AssessmentError(_("Choose a participant of this event."))
    if how not in ConfirmedHow.values or how == ConfirmedHow.PORTAL:
        raise AssessmentError(_("Say how %(name)s was reached (telephone, letter...).") % {"name": participant.name})
    now = timezone.now()
    if reached_at is None or reached_at > now:
        raise AssessmentError(_("Give when %(name)s was reached (not in the future).") % {"name": participant.name})
    with transaction.atomic():
        event = _locked_event(event)
        sent = event.schedule_distributed_at
        if sent and reached_at < sent.replace(second=0, microsecond=0):  # the form gives minutes
            raise AssessmentError(_("%(name)s was reached before the schedule was sent on %(date)s: give the time "
                                    "of the contact about this test.") % {
                "name": participant.name, "date": dates.wib(event.schedule_distributed_at)})
        text = f"{participant.name}: {ConfirmedHow(how).label}, {dates.wib(reached_at)}" + (
            f". {note.strip()}" if note.strip() else "")
        transition(event, "participant_reached", user=actor, reason=text, ip=ip)
        Participant.objects.filter(pk=participant.pk).update(reached_how=how, reached_at=reached_at,
                                                             reached_note=note.strip()[:300])
    participant.refresh_from_db()
    return participant


def _link_to_confirm(event: Event, *, actor, assessor: Assessor | None) -> EventAssessor:
    links = event.event_assessors.select_related("assessor__user")
    if assessor is None:
        link = links.filter(assessor__user=actor).first()
    else:
        link = links.filter(assessor=assessor).first()
    if link is None:
        raise AssessmentError(_("Choose an assessor of this event."))
    if link.assessor.user_id != actor.pk and not actor.has_role(Role.LSP_ADMIN):
        raise AssessmentError(_("Assessors confirm their own assignment."))
    if link.confirmed_at:
        raise AssessmentError(_("%(name)s has already confirmed.") % {"name": link.assessor.user.full_name})
    return link


# --- step 7: every reviewing role signs ----------------------------------------------------------------------------

def review_sign(event: Event, *, actor, note: str = "", ip: str | None = None) -> Event:
    """Step 7: the Kepala TUK and quality management each sign the review; the last sign-off completes the step."""
    with transaction.atomic():
        event = _locked_event(event)
        roles = review_roles_open(event, actor)
        at = timezone.now()
        text = (f"{Role(roles[0]).label}. {note}" if roles else note).strip().rstrip(".")
        event = transition(event, "review_signed", user=actor, reason=text, ip=ip, at=at)
        EventReview.objects.create(event=event, role=roles[0], signed_by=actor, signed_at=at, note=note)
        if not all_reviews_signed(event, actor, at):
            event = _complete_step(event, 7, actor=actor, note=note, ip=ip, at=at)
    return event


def _notify_assessor(event: Event, link: EventAssessor) -> None:
    notify(link.assessor.user, template="assessments/email/schedule_assessor", context={"event": event},
           url=reverse("assessments:event", kwargs={"pk": event.pk}), key=f"event-{event.pk}-assessor-{link.pk}")


def _effect_schedule(event: Event, actor) -> None:
    """Schedule e-mails to every participant and assessor; the applications become 'scheduled'."""
    for p in event.participants.select_related("application__applicant"):
        _schedule(p, actor)
        notify(p.application.applicant, template="assessments/email/schedule",
               context={"event": event, "participant": p}, url=reverse("assessments:my-participation",
                                                                      kwargs={"pk": p.pk}),
               key=f"event-{event.pk}-schedule-{p.pk}")
    for link in event.event_assessors.select_related("assessor__user"):
        _notify_assessor(event, link)


def _effect_step3(event: Event, actor) -> None:
    for p in event.participants.select_related("application__applicant"):
        notify(p.application.applicant, template="assessments/email/reminder",
               context={"event": event, "participant": p},
               url=reverse("assessments:my-participation", kwargs={"pk": p.pk}), key=f"event-{event.pk}-remind-{p.pk}")


def _effect_step6(event: Event, actor) -> None:
    """Results lock: recommendations are fixed, present participants become 'assessed', absent ones go back."""
    for p in event.participants.select_related("application"):
        if p.attended:
            p = transition(p, "results_locked", user=actor, recommendation=recommend(p))
            p.application = _act(p.application, "assessed", actor=actor)
            continue
        if p.status == p.Status.NAMED:
            p = transition(p, "marked_absent", user=actor)
        if p.application.status == AppStatus.SCHEDULED:
            p.application = _act(p.application, "unscheduled", actor=actor,
                                        reason=_("Absent from the test"))


STEP_EFFECTS = {3: _effect_step3, 6: _effect_step6}


def report_sign_as_assessor(event: Event, *, actor, ip: str | None = None) -> EventAssessor:
    """The assessor's signature on the berita acara; the Kepala TUK's signature (step 6) then locks it."""
    with transaction.atomic():
        at = timezone.now()
        event = transition(_locked_event(event), "report_signed_by_assessor", user=actor, ip=ip, at=at)
        link = event.event_assessors.get(assessor__user=actor)
        link.signed_report_at = at
        link.save(update_fields=["signed_report_at"])
    return link


def event_save_minutes(event: Event, *, actor, minutes: str, ip: str | None = None) -> Event:
    with transaction.atomic():
        return transition(_locked_event(event), "minutes_saved", user=actor, ip=ip, minutes=minutes)


def event_plan_adopt(event: Event, *, actor, note: str = "", ip: str | None = None) -> Event:
    """FR.MAPA.01: the LSP admin sets the scheme's plan in force (validated by a second assessor) on an event
    planned without one, or with an outdated one, before any result is recorded
    (``assessments.event.plan_adopted``; the audit note names the versions). Refused, with the reason, when the
    scheme has no validated plan."""
    with transaction.atomic():
        event = _locked_event(event)
        plan = hooks.plan_in_force(event.scheme)
        before = f"v{event.plan.number}" if event.plan_id else "-"
        after = f"FR.MAPA.01 v{plan.number}" if plan else ""
        reason = " · ".join(filter(None, [f"{after} ({before} → v{plan.number})" if plan else "", note.strip()]))
        return transition(event, "plan_adopted", user=actor, ip=ip, reason=reason, plan=plan)


# --- the participant's side ------------------------------------------------------------------------------

def attendance_confirmable(event: Event) -> bool:
    """A participant confirms attendance once the schedule has gone out (step 1's first act) and before the test."""
    return _schedule_sent(event) and not event.reached(EventStatus.HELD)


def participant_confirm_attendance(participant: Participant, *, user) -> Participant:
    participant = Participant.objects.select_related("event", "application").get(pk=participant.pk)
    if participant.application.applicant_id != user.pk:
        raise AssessmentError(_("Only the participant can confirm their attendance."))
    if not attendance_confirmable(participant.event):
        raise AssessmentError(_("Attendance is confirmed after the schedule is sent and before the test."))
    if participant.attendance_confirmed_at is None:
        participant.attendance_confirmed_at = timezone.now()
        participant.save(update_fields=["attendance_confirmed_at"])
        audit_record(actor=user, obj=participant, action="attendance confirmed")
    return participant


def participant_accept_obligations(participant: Participant, *, user) -> Participant:
    participant = Participant.objects.select_related("event__scheme", "application").get(pk=participant.pk)
    if participant.application.applicant_id != user.pk:
        raise AssessmentError(_("Only the participant can accept the certificate-holder obligations."))
    if participant.decision != Result.K:
        raise AssessmentError(_("The obligations are accepted once you are declared competent."))
    if participant.obligations_accepted_at is None:
        accepted = holder_rules.accepted_text(participant.event.scheme)
        participant.obligations_accepted_at, participant.obligations_accepted = timezone.now(), accepted
        participant.save(update_fields=["obligations_accepted_at", "obligations_accepted"])
        audit_record(actor=user, obj=participant, action="holder obligations accepted",
                     note=f"{accepted['version']} sha256:{accepted['sha256'][:16]}")
    return participant


def attendance_record(event: Event, *, actor, participants: dict[int, bool], assessors: dict[int, bool],
                      ip: str | None = None) -> Event:
    """Attendance on the day of the test (never before it starts: see ``workflow.events.not_before_start``).

    A save that marks nobody is refused after the act's own rules (nothing is recorded, not even the audit row),
    so it never reads as attendance taken."""
    with transaction.atomic():
        note = _("%(present)s/%(total)s participants present") % {"present": sum(participants.values()),
                                                                 "total": len(participants)}
        event = transition(_locked_event(event), "attendance_recorded", user=actor, reason=note, ip=ip)
        if not participants and not assessors:
            raise AssessmentError(_("Nothing was saved: mark each participant present or absent first."))
        for p in event.participants.filter(pk__in=participants):
            p.attended = participants[p.pk]
            p.save(update_fields=["attended"])
        for link in event.event_assessors.filter(pk__in=assessors):
            link.attended = assessors[link.pk]
            link.save(update_fields=["attended"])
    return event
