"""The pleno: the meeting of one or more committee members that takes an event's certification decisions.

The LSP admin records it (members, the day it was held, the decree number), records each decision taken in it
(:func:`pleno_decide`, the participant's own decision transition with the pleno) and closes it, which issues the
decision letter with the decisions frozen as printed (:func:`pleno_close`). Optional: a decision may still be
taken without a pleno (:func:`assessments.events.services.results.participant_decide`)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from assessments.errors import AssessmentError
from assessments.events import hooks
from assessments.events.models import ConflictOfInterest, Event, EventStatus, Participant, Pleno
from assessments.events.services.results import participant_decide
from certportal import dates
from certportal.accounts.models import LSP_PERSONNEL
from certportal.audit.services import audit_record
from certportal.workflow import transition


def _assessor_names(event: Event) -> dict[int, str]:
    """The users who assess at ``event`` (added to it, or the assessor of one of its participants), each with
    whom they assessed (participant names, or "" for an assessor of the event without participants)."""
    out: dict[int, list[str]] = {}
    for user_id in event.event_assessors.values_list("assessor__user_id", flat=True):
        out.setdefault(user_id, [])
    for p in event.participants.select_related("application__applicant", "assessor").exclude(assessor=None):
        out.setdefault(p.assessor.user_id, []).append(p.name)
    return {user_id: ", ".join(names) for user_id, names in out.items()}


def member_problem(user, event: Event, *, assessed: dict[int, str] | None = None) -> str | None:
    """Why ``user`` cannot sit in a pleno deciding ``event``'s participants, or None: LSP personnel only (ISO/IEC
    17024 6, 9.4), none who assessed them, is one of them, declared a conflict with one of them or works in one's
    agency, and each with a declaration of interest in force."""
    assessed = _assessor_names(event) if assessed is None else assessed
    if not user.is_active:
        return _("%(name)s's account is deactivated.") % {"name": user.full_name}
    if not set(user.roles) & set(LSP_PERSONNEL):
        return _("%(name)s is not of the LSP's personnel (an assessor, a head of test site, quality management or "
                 "an LSP administrator): only they sit in a pleno.") % {"name": user.full_name}
    if problem := _interest(user, event):
        return problem
    if user.pk in assessed:
        if assessed[user.pk]:
            return _("%(name)s assessed participants of this event (%(who)s): a member of the pleno decides only "
                     "on participants they did not assess.") % {"name": user.full_name, "who": assessed[user.pk]}
        return _("%(name)s is an assessor of this event: a member of the pleno decides only on participants they "
                 "did not assess.") % {"name": user.full_name}
    return hooks.declaration_missing(user, timezone.now())  # ISO/IEC 17024 4.3: seated only with a declaration


def _interest(user, event: Event) -> str | None:
    """A participant of the event, a declared conflict of interest with one, or their agency's staff."""
    participants = list(event.participants.select_related("application"))
    own = [p.name for p in participants if p.application.applicant_id == user.pk]
    if own:
        return _("%(name)s is a participant of this event and cannot decide on it.") % {"name": user.full_name}
    declared = set(ConflictOfInterest.objects.filter(
        assessor__user=user, person_id__in=[p.application.applicant_id for p in participants]).values_list(
        "person_id", flat=True))
    conflicts = [p.name for p in participants if p.application.applicant_id in declared]
    if conflicts:
        return _("%(name)s declared a conflict of interest with %(who)s.") % {"name": user.full_name,
                                                                              "who": ", ".join(conflicts)}
    return hooks.interest_in(user, participants)


def member_options(event: Event) -> list[dict]:
    """Every active member of staff for the pleno's member list, with why they may not sit in it (the event's
    assessors), so the LSP admin sees the choice before the service would refuse it."""
    assessed = _assessor_names(event)
    users = (get_user_model().objects.filter(is_active=True, role_links__role__in=LSP_PERSONNEL).distinct()
             .order_by("full_name"))
    return [{"user": u, "problem": member_problem(u, event, assessed=assessed)} for u in users]


def held_on_refusal(event: Event, held_on: datetime.date) -> str | None:
    test_day = timezone.localtime(event.starts_at).date()
    if held_on < test_day:
        return _("The pleno cannot be held before the test (%(date)s).") % {"date": dates.day(test_day)}
    if held_on > timezone.localdate():
        return _("The pleno cannot be dated in the future: record it on or after the day it is held.")
    return None


def pleno_create(event: Event, *, actor, held_on: datetime.date, decree_number: str, members,
                 notes: str = "") -> Pleno:
    """Record the pleno of ``event`` (``assessments.pleno.created``): once the event is reviewed, held between the
    test and today, a unique decree number, at least one member, each an active member of staff who assessed no
    participant of the event."""
    decree_number = (decree_number or "").strip()
    members = list(members)
    if not event.reached(EventStatus.REVIEWED):
        raise AssessmentError(_("The event must be reviewed (SOP step 7) before the decision."))
    if not decree_number:
        raise AssessmentError(_("Give the decree number."))
    if len(decree_number) > Pleno.DECREE_MAX_LENGTH:
        raise AssessmentError(_("The decree number is at most %(n)d characters.") % {"n": Pleno.DECREE_MAX_LENGTH})
    if problem := held_on_refusal(event, held_on):
        raise AssessmentError(problem)
    if not members:
        raise AssessmentError(_("Choose at least one member of the pleno."))
    assessed = _assessor_names(event)
    problems = [p for p in (member_problem(u, event, assessed=assessed) for u in members) if p]
    if problems:
        raise AssessmentError(format_html_join(" ", "{}", ((p,) for p in problems)))  # links kept, text escaped
    duplicate = _("The decree number %(number)s is already recorded for another pleno.") % {"number": decree_number}
    if Pleno.objects.filter(decree_number__iexact=decree_number).exists():
        raise AssessmentError(duplicate)
    try:
        with transaction.atomic():
            pleno = Pleno.objects.create(event=event, held_on=held_on, decree_number=decree_number,
                                         notes=(notes or "").strip(), created_by=actor)
            pleno.members.set(members)
            audit_record(actor=actor, obj=pleno, action="assessments.pleno.created", to_state=pleno.status,
                         note=f"{decree_number}: " + ", ".join(u.full_name for u in members))
    except IntegrityError as exc:  # the same number recorded at the same moment
        raise AssessmentError(duplicate) from exc
    return pleno


def awaiting_participants(pleno: Pleno):
    return (pleno.event.participants.filter(status=Participant.Status.AWAITING_DECISION)
            .select_related("application__applicant", "application__scheme", "assessor__user"))


def pleno_decide(pleno: Pleno, participant: Participant, *, actor, decision: str, note: str = "") -> Participant:
    """One decision taken in the pleno: the participant's decision transition with the pleno."""
    return participant_decide(participant, actor=actor, decision=decision, note=note, pleno=pleno)


def decision_rows(pleno: Pleno) -> list[dict]:
    """The decisions as the letter prints them: frozen at closing, else as they stand."""
    if pleno.status == Pleno.Status.CLOSED and pleno.decisions:
        return pleno.decisions
    rows = []
    for p in (pleno.participants.exclude(decision="").select_related("application__scheme", "application__applicant")
              .order_by("application__applicant_name", "id")):
        app = p.application
        rows.append({"name": p.name, "nip": app.nip, "unit": app.org_unit, "scheme_code": app.scheme.code,
                     "scheme_name": app.scheme.name, "decision": p.decision})
    return rows


def pleno_close(pleno: Pleno, *, actor) -> Pleno:
    """Close the pleno (``assessments.pleno.closed``): its decision letter is issued with the decisions frozen."""
    with transaction.atomic():
        return transition(pleno, "closed", user=actor, decisions=decision_rows(pleno))


def member_names(pleno: Pleno) -> list[str]:
    return [u.full_name for u in pleno.members.order_by("full_name")]
