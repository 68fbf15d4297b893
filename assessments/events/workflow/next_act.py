"""Who acts next on a test event, and where: read from the event's machine, not written per page.

The event's current SOP step is the first one not done. Its acts are the transitions of that step
(:data:`STEP_ACTIONS`, the same list the step table's buttons come from), in order: an act that prepares the step
(the schedule, the assessors' confirmations, the attendance, the assessor's signature, each review) is next while
the guard of the step's completing transition still refuses for want of it (:data:`PREPARED_BY`); otherwise the
completing transition is. A guard that refuses for want of data another person keeps (the participants and
assessors, the readiness checklist, the assessors' planning, the assessment plan, the results:
:data:`PREREQUISITES`) makes that
person's work the next act.

Who: for each role the transition names, the people of this event who hold it (its assessors, the head of its
test site) or, for a role of the LSP, the role, kept only where the machine would let them take the act now (or
as soon as the test has started): the berita acara's last signature is the Kepala TUK's because the guard refuses
it to the assessor, not because this module says so. After the eight steps, the LSP decides in the pleno.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.events import hooks
from assessments.events.models import Event, EventStatus
from assessments.events.workflow import events as flow
from certportal.accounts.models import Role, User
from certportal.workflow import allowed_actions, machine_for

# The SOP step each action belongs to (the step table shows the current step's as buttons).
STEP_ACTIONS = {1: ("schedule_distributed", "assessor_confirmed"), 2: ("site_prepared",),
                3: ("candidates_reminded",), 4: ("participant_reached", "confirmed"), 5: ("attendance_recorded", "held"),
                6: ("report_signed_by_assessor", "report_signed"), 7: ("review_signed",), 8: ("archived",)}

# A preparing act -> the guard of the step's completing transition that waits for it (None once it is done).
PREPARED_BY = {"schedule_distributed": flow.distributed, "assessor_confirmed": flow.all_assessors_confirmed,
               "participant_reached": flow.everyone_confirmed,
               "attendance_recorded": flow.attendance_complete, "report_signed_by_assessor": flow.assessor_signed,
               "review_signed": flow.all_reviews_signed}

# An act -> the guards it shares that refuse for want of someone's work: (guard, who does that work: the act that
# records it or the roles, where it is done).
PREREQUISITES = {"schedule_distributed": [(flow.step1_ready, (Role.LSP_ADMIN,), "participants")],
                 "site_prepared": [(flow.step2_ready, "readiness_checked", "readiness"),
                                   (flow.step2_planned, "planning_recorded", "planning")],
                 "confirmed": [(flow.plan_validated, "plan_adopted", "plan")],
                 "held": [(flow.plan_validated, "plan_adopted", "plan"),
                          (flow.documented, "documentation_added", "documentation")],
                 "report_signed_by_assessor": [(flow.results_complete, (Role.ASSESSOR,), "grid")],
                 "review_signed": [(flow.minutes_written, "minutes_saved", "minutes"),
                                   (flow.assessor_reported, (Role.ASSESSOR,), "report"),
                                   (flow.assessment_reviewed, (Role.QUALITY,), "review")]}
# A place whose work only some of the role's people may do now: who of them, asked of the rule that allows it
# (the assessors who may sign their FR.AK.05 now, not every assessor of the event; the assessors who have not
# planned the test yet).
MAY_DO = {"report": lambda event, user: not hooks.report_refusal(event, user),
         "planning": lambda event, user: event.event_assessors.filter(assessor__user=user, planning__isnull=True)
         .exists()}

EVENT_SCOPED = (Role.ASSESSOR, Role.TUK_HEAD)


@dataclass
class NextAct:
    who: str  # "Kepala TUK (Budi Santoso)", "Asesor (Ana, Andi)", "Admin LSP"
    what: str  # the act, as its button says it ("Sign the official report")
    where: str  # the place's name ("step 6 on this page", "Results grid")
    url: str
    detail: str = ""  # what it waits for (the guard's own words), or ""
    refusal: str = ""  # the machine's reason when nobody of the event may take the act yet
    actors: set = field(default_factory=set)  # user ids who may act (the link is theirs); roles in ``roles``
    roles: set = field(default_factory=set)

    def for_viewer(self, user) -> bool:
        """The link is offered to the people who act (another reader sees where, without a link they may not
        follow)."""
        return user.pk in self.actors or any(user.has_role(r) for r in self.roles)


def _places(event: Event) -> dict:
    page = reverse("assessments:event", args=[event.pk])
    return {
        "participants": (_("assessors and participants on this page"), page + "#participants"),
        "readiness": (_("readiness checklist on this page"), page + "#readiness"),
        "plan": (_("assessment plan on this page"), page + "#event-plan"),
        "planning": (_("Planning of the test"), reverse("assessments:event-planning", args=[event.pk])),
        "documentation": (_("documentation on this page"), page + "#documentation"),
        "minutes": (_("minutes of meeting on this page"), page + "#minutes"),
        "grid": (_("Results grid"), reverse("assessments:event-grid", args=[event.pk])),
        "attendance": (_("Attendance page"), reverse("assessments:event-attendance", args=[event.pk])),
        "pleno": (_("Pleno page"), reverse("assessments:event-pleno", args=[event.pk])),
        # FR.AK.05 and FR.AK.06, recorded in the instruments room (their pages, by name: the event imports
        # nothing of it)
        "report": (_("assessment report (FR.AK.05)"), reverse("assessments:ak05", args=[event.pk])),
        "review": (_("review of the assessment (FR.AK.06)"), reverse("assessments:ak06", args=[event.pk])),
    }


def _step_place(event: Event, number: int) -> tuple[str, str]:
    return (_("step %(n)s on this page") % {"n": number},
            reverse("assessments:event", args=[event.pk]) + f"#step-{number}")


def _people(event: Event, role: str) -> list:
    """Who holds ``role`` for this event: its active assessors, the head of its site; for an LSP role, one
    active holder stands for the role (the machine's rule for that role is the same for each of them)."""
    if role == Role.ASSESSOR:
        return [link.assessor.user for link in event.event_assessors.filter(assessor__is_active=True)
                .select_related("assessor__user")]
    if role == Role.TUK_HEAD:
        head = event.test_site.head
        return [head] if head is not None and head.is_active else []
    holder = User.objects.filter(is_active=True, role_links__role=role).order_by("pk").first()
    return [holder] if holder is not None else []


def _may_take(event: Event, name: str, user, at: datetime.datetime, act: NextAct) -> bool:
    """The machine lets ``user`` take ``name`` now, or will as soon as the test has started (any other refusal of
    someone in the right role is kept on ``act``: it says what the act still waits for)."""
    action = allowed_actions(event, user, at=at)[name]
    if action.allowed:
        return True
    if action.role_ok and action.state_ok and action.reason == (flow.not_before_start(event, user, at) or ""):
        return True
    if action.role_ok and action.state_ok and not act.refusal:
        act.refusal = action.reason
    return False


def _who(event: Event, name: str, roles, at: datetime.datetime, act: NextAct, may=None) -> str:
    parts = []
    for role in roles:
        people = [p for p in _people(event, role) if (not name or _may_take(event, name, p, at, act))
                  and (may is None or may(event, p))]
        if name and not people:
            continue
        label = str(Role(role).label)
        if role in EVENT_SCOPED:
            act.actors |= {p.pk for p in people}
            names = ", ".join(p.full_name for p in people)
            parts.append(f"{label} ({names})" if names else label)
        else:
            act.roles.add(role)
            parts.append(label)
    if parts:  # someone may act: another's refusal ("the head signs last") is not what the act waits for
        act.refusal = ""
    else:  # nobody could act now (e.g. no head of the test site yet): say the roles the SOP names
        act.roles |= set(roles)
        parts = [str(Role(r).label) for r in roles]
    return _(" or ").join(parts)


def next_act(event: Event, *, at: datetime.datetime | None = None) -> NextAct | None:
    """What must happen next on ``event``, by whom, where; None when nothing is left to do."""
    at = at or timezone.now()
    number = _current_step(event)
    if number is None:
        return _after_the_steps(event)
    machine = machine_for(event)
    name = _pending(event, number, at)
    for guard, doer, place in PREREQUISITES.get(name, ()):
        missing = guard(event, None, at)
        if missing:
            where, url = _places(event)[place]
            act = NextAct(who="", what=missing, where=where, url=url)
            act.who = _who(event, "", machine.get(doer).roles if isinstance(doer, str) else doer, at, act,
                           MAY_DO.get(place))
            return act
    transition = machine.get(name)
    where, url = _places(event)["attendance"] if name == "attendance_recorded" else _step_place(event, number)
    act = NextAct(who="", what=str(transition.button or transition.label), where=where, url=url)
    act.who = _who(event, name, transition.roles, at, act)
    waiting = PREPARED_BY.get(name)
    timed = flow.not_before_start in getattr(transition.guard, "parts", (transition.guard,))
    act.detail = (timed and flow.not_before_start(event, None, at)) or (waiting(event, None, at) if waiting else
                                                                          None) or act.refusal
    return act


def _current_step(event: Event) -> int | None:
    from assessments.events.services.events import next_step

    return next_step(event)


def _pending(event: Event, number: int, at: datetime.datetime) -> str:
    """The first act of step ``number`` still to do: a preparing act the step still waits for, else the act that
    completes the step."""
    for name in STEP_ACTIONS[number]:
        waiting = PREPARED_BY.get(name)
        if waiting is not None and waiting(event, None, at):
            return name
    return STEP_ACTIONS[number][-1]


def _after_the_steps(event: Event) -> NextAct | None:
    """The eight steps are done: the LSP decides on every participant who sat the test, in the pleno."""
    if event.status != EventStatus.ARCHIVED:
        return None
    from assessments.events.models import ParticipantStatus

    if not event.participants.filter(status=ParticipantStatus.AWAITING_DECISION).exists():
        return None
    where, url = _places(event)["pleno"]
    act = NextAct(who=str(Role(Role.LSP_ADMIN).label), what=_("Decide on the participants in the pleno"),
                  where=where, url=url)
    act.roles.add(Role.LSP_ADMIN)
    return act
