"""The test event's state machine: the eight SOP steps of seed 002 as named transitions.

planned → schedule_sent (1) → site_ready (2) → reminded (3) → confirmed (4) → held (5) → report_signed (6)
→ reviewed (7) → archived (8). Each step's completion is one transition (``assessments.event.<verb>``) taken by the
roles the SOP names; acts inside a step that keep the status are transitions too (distributing the schedule, each
assessor's confirmation, attendance, each assessor's signature on the berita acara, each reviewing role's sign-off,
the minutes), so the same rules decide the buttons and the services, and every act is audited.

EventStep rows are not a machine of their own: they are the SOP's time sheet, stamped by the event's step
transitions (``services.events._stamp_step``: done_at/done_by/note of the step, started_at of the next).

Nothing that records the test itself (attendance, "held", signatures on the berita acara, the review) may be taken
before the event's start time (:func:`not_before_start`). Each guard is a small function, so a check can be
added to a step without touching the others (step 2's readiness checklist goes into :func:`step2_ready`, the
assessors' planning into :func:`step2_planned`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.events import hooks
from assessments.events.models import STEP_BY_NUMBER, Event, EventStatus
from certportal import dates
from certportal.accounts.models import Role
from certportal.sentences import one_full_stop
from certportal.workflow import Machine, Transition, read_once

S = EventStatus
ADMIN = Role.LSP_ADMIN
REVIEW_ROLES: tuple[str, ...] = tuple(STEP_BY_NUMBER[7][2])  # Kepala TUK and quality management


# --- who acts for the event ------------------------------------------------------------------------------------

def acts_as(user, role: str, event: Event) -> bool:
    """``user`` holds ``role`` for this event: an assessor on it, the head of its test site, or the role itself."""
    if not user.has_role(role):
        return False
    if role == Role.ASSESSOR:
        return read_once(("event's active assessor", event.pk, user.pk),
                         lambda: event.event_assessors.filter(assessor__user=user, assessor__is_active=True).exists())
    if role == Role.TUK_HEAD:
        return event.test_site.head_id == user.pk
    return True


def _for_event(*roles: str):
    def allowed(user, event: Event) -> bool:
        return any(acts_as(user, role, event) for role in roles)
    return allowed


def step_roles_ok(user, number: int, event: Event) -> bool:
    return _for_event(*STEP_BY_NUMBER[number][2])(user, event)


# --- guards ----------------------------------------------------------------------------------------------------

def start_label(event: Event) -> str:
    """The event's start in the reader's language ("8 Desember 2026, 09:00 WIB")."""
    return dates.wib(event.starts_at)


def not_before_start(event: Event, user, at) -> str | None:
    if at < event.starts_at:
        return _("The test starts on %(date)s; this cannot be recorded before then.") % {"date": start_label(event)}
    return None


def step1_ready(event: Event, user, at) -> str | None:
    if not event.event_assessors.exists():
        return _("Add at least one assessor before sending the schedule.")
    if not event.participants.exists():
        return _("Add the participants before sending the schedule.")
    if event.participants.filter(assessor__isnull=True).exists():
        return _("Every participant needs an assessor without a conflict of interest.")
    return None


def not_yet_distributed(event: Event, user, at) -> str | None:
    return _("The schedule has already been sent.") if event.schedule_distributed_at else None


def distributed(event: Event, user, at) -> str | None:
    return None if event.schedule_distributed_at else _("Send the schedule first.")


def unconfirmed_links(event: Event):
    """Assessors still to confirm (a deactivated assessor confirms nothing: the admin reassigns their work)."""
    return event.event_assessors.filter(confirmed_at__isnull=True, assessor__is_active=True).select_related(
        "assessor__user")


def confirmation_open(event: Event, user, at) -> str | None:
    """An assessor confirms their own assignment; the LSP admin may record anyone's confirmation."""
    waiting = unconfirmed_links(event)
    if user.has_role(ADMIN) and waiting.exists():
        return None
    if waiting.filter(assessor__user=user).exists():
        return None
    return _("Every assessor has confirmed.") if not waiting.exists() else _("You have already confirmed.")


def all_assessors_confirmed(event: Event, user, at) -> str | None:
    waiting = [link.assessor.user.full_name for link in unconfirmed_links(event)]
    if waiting:
        return one_full_stop(_("Waiting for the confirmation of: %(names)s.") % {"names": ", ".join(waiting)})
    return None


def step2_ready(event: Event, user, at) -> str | None:
    """Step 2 (the TUK prepares the site), its first part: the Kepala TUK's readiness checklist of seed 002."""
    from assessments.events.services.readiness import readiness_problem

    return readiness_problem(event)


def step2_planned(event: Event, user, at) -> str | None:
    """Step 2, its second part: every active assessor of the event has recorded their planning of the test (the
    refusal names who has not)."""
    from assessments.events.services.planning import planning_problem

    return planning_problem(event)


def attendance_missing(event: Event) -> list[str]:
    """Whose attendance is not recorded yet: the participants and the (active) assessors, named."""
    missing = []
    names = [p.name for p in event.participants.filter(attended__isnull=True).select_related("application")]
    if names:
        missing.append(_("the attendance of participants %(names)s") % {"names": ", ".join(names)})
    links = event.event_assessors.filter(attended__isnull=True, assessor__is_active=True).select_related(
        "assessor__user")
    if names := [link.assessor.user.full_name for link in links]:
        missing.append(_("the attendance of assessors %(names)s") % {"names": ", ".join(names)})
    return missing


def attendance_complete(event: Event, user, at) -> str | None:
    """Every participant and assessor marked; the refusal names who is not (a bare "record everyone's attendance"
    after "all present" had left the assessors out said nothing of who was missing)."""
    if missing := attendance_missing(event):
        return one_full_stop(_("Record the attendance of every participant and assessor first; missing: %(items)s.")
                             % {"items": "; ".join(missing)})
    return None


def results_complete(event: Event, user, at) -> str | None:
    from assessments.events.services.results import missing_units

    for p in event.participants.filter(attended=True).select_related("application__scheme"):
        missing = missing_units(p)
        if missing:
            return _("Results are missing for %(name)s: %(units)s.") % {
                "name": p.name, "units": ", ".join(u.code for u in missing)}
    return None


def assessor_may_sign(event: Event, user, at) -> str | None:
    from assessments.errors import AssessmentError
    from assessments.events.services.results import check_may_still_assess

    link = event.event_assessors.filter(assessor__user=user).select_related("assessor").first()
    if link is None:
        return _("Only an assessor of this event can sign as assessor.")
    if link.signed_report_at:
        return _("You have already signed the official report.")
    try:
        check_may_still_assess(link.assessor, event)
    except AssessmentError as exc:
        return exc.message
    return None


def assessor_signed(event: Event, user, at) -> str | None:
    if not event.event_assessors.filter(signed_report_at__isnull=False).exists():
        return _("An assessor of the event must sign the official report.")
    return None


def head_signs_last(event: Event, user, at) -> str | None:
    if event.test_site.head_id and event.test_site.head_id != user.pk:
        return _("The head of the test site signs the official report last.")
    return None


def review_roles_open(event: Event, user) -> list[str]:
    """The reviewing roles ``user`` may still sign step 7 as (one person signs for one role only)."""
    if event.reviews.filter(signed_by=user).exists():
        return []
    signed = set(event.reviews.values_list("role", flat=True))
    return [r for r in REVIEW_ROLES if r not in signed and acts_as(user, r, event)]


def review_open(event: Event, user, at) -> str | None:
    if review_roles_open(event, user):
        return None
    mine = event.reviews.filter(signed_by=user).first()
    if mine is not None:
        return _("You signed the review as %(role)s.") % {"role": Role(mine.role).label}
    return _("The review is already signed for your role.")


def assessor_reported(event: Event, user, at) -> str | None:
    """Step 7 rests on an assessor's report (FR.AK.05), which quality's review (FR.AK.06) follows."""
    return hooks.report_missing(event)


def assessment_reviewed(event: Event, user, at) -> str | None:
    """Step 7 rests on quality's review of the assessment (FR.AK.06), recorded in the instruments room."""
    return hooks.review_missing(event)


def all_reviews_signed(event: Event, user, at) -> str | None:
    signed = set(event.reviews.values_list("role", flat=True))
    waiting = [str(Role(r).label) for r in REVIEW_ROLES if r not in signed]
    if waiting:
        return _("Waiting for the review of: %(roles)s.") % {"roles": ", ".join(waiting)}
    return None


def declared(event: Event, user, at) -> str | None:
    """The reviewer's declaration of interest and confidentiality (ISO/IEC 17024 4.3), asked of the LSP's records."""
    return hooks.declaration_missing(user, at)


def unreached_participants(event: Event) -> list:
    """Participants who neither confirmed their attendance nor were reached by the LSP admin (SOP step 4)."""
    return list(event.participants.filter(attendance_confirmed_at__isnull=True, reached_at__isnull=True)
                .select_related("application"))


def everyone_confirmed(event: Event, user, at) -> str | None:
    """Step 4 ("mendapat kepastian"): each participant confirmed, or how and when they were reached is recorded."""
    waiting = unreached_participants(event)
    if waiting:
        return _("Not yet confirmed: %(names)s. Each participant confirms their attendance in the portal, or record "
                 "how and when you reached them.") % {"names": ", ".join(p.name for p in waiting)}
    return None


def reachable(event: Event, user, at) -> str | None:
    return None if unreached_participants(event) else _("Every participant has confirmed or been reached.")


def documented(event: Event, user, at) -> str | None:
    """Step 5: the test being held is documented (a photo or document, through the file checks)."""
    if not event.documentation.exists():
        return _("Add at least one photo or document of the test being held (SOP step 5's documentation) first.")
    return None


def minutes_written(event: Event, user, at) -> str | None:
    """Step 7: the review rests on the minutes of meeting."""
    if not (event.minutes or "").strip():
        return _("Write the minutes of meeting first: the review (SOP step 7) rests on them.")
    return None


def archive_missing(event: Event) -> list[str]:
    """What step 8's archive still lacks: the attendance of the participants and of the assessors, the signed
    berita acara (step 6, the Kepala TUK's signature with an assessor's) and the minutes of meeting."""
    missing = attendance_missing(event)
    head_signed = event.steps.filter(number=6, done_at__isnull=False).exists()
    if not head_signed or not event.event_assessors.filter(signed_report_at__isnull=False).exists():
        missing.append(_("the signed official report (berita acara)"))
    if not (event.minutes or "").strip():
        missing.append(_("the minutes of meeting"))
    return missing


def archive_complete(event: Event, user, at) -> str | None:
    if missing := archive_missing(event):
        return one_full_stop(_("The archive (SOP step 8) is not complete; missing: %(items)s.")
                             % {"items": "; ".join(missing)})
    return None


def plan_refusal(event: Event) -> str | None:
    """FR.MAPA.01: why ``event`` may not be confirmed, held or assessed for want of an assessment plan validated by
    a second assessor (a BNSP surveillance finding: events assessed and certified without one), or None. Who acts:
    the LSP admin adopts the scheme's plan in force on the event page (or, without one, assessors make and
    validate it first)."""
    plan = event.plan
    if plan is not None and plan.validated_by_id and plan.validated_by_id != plan.made_by_id:
        return None
    if hooks.plan_in_force(event.scheme) is None:
        return _("This event has no assessment plan (FR.MAPA.01) validated by a second assessor, and its scheme has "
                 "none in force: an assessor makes one under Assessment plans, a second assessor validates it, then "
                 "the LSP admin adopts it on this page.")
    return _("This event has no assessment plan (FR.MAPA.01) validated by a second assessor: the LSP admin adopts "
             "the scheme's plan in force under Assessment plan on this page.")


def plan_validated(event: Event, user, at) -> str | None:
    return plan_refusal(event)


def plan_adoptable(event: Event, user, at) -> str | None:
    """The LSP admin may set the scheme's plan in force on an event without one (or with an outdated one) while
    no result is recorded on it."""
    current = hooks.plan_in_force(event.scheme)
    if current is None:
        return _("The scheme has no assessment plan validated by a second assessor: an assessor makes one under "
                 "Assessment plans and a second assessor validates it first.")
    if event.plan_id == current.pk:
        return _("This event keeps the plan in force (version %(n)d).") % {"n": current.number}
    if event.participants.filter(results__isnull=False).exists():
        return _("Results are already recorded on this event: its assessment plan is no longer changed.")
    return None


def all_of(*guards):
    """One guard from several small ones: the first refusal wins."""
    def guard(event: Event, user, at) -> str | None:
        for g in guards:
            reason = g(event, user, at)
            if reason:
                return reason
        return None
    guard.parts = guards  # read by next_act (which small guards an act waits on)
    return guard


# --- the machine -----------------------------------------------------------------------------------------------

# The transition that completes each SOP step (its label is also the step's history line).
STEP_TRANSITIONS = {1: "schedule_sent", 2: "site_prepared", 3: "candidates_reminded", 4: "confirmed", 5: "held",
                    6: "report_signed", 7: "reviewed", 8: "archived"}
OPEN = [s for s in S.values if s != S.ARCHIVED]
DAY_OF_TEST = {S.CONFIRMED, S.HELD}
BEFORE_RESULTS = {S.PLANNED, S.SCHEDULE_SENT, S.SITE_READY, S.REMINDED, S.CONFIRMED}


def _step(number: int, name: str, label, button, guard=None) -> Transition:
    source = S.PLANNED if number == 1 else STEP_BY_NUMBER[number - 1][1]
    roles = STEP_BY_NUMBER[number][2]
    return Transition(name, {source}, STEP_BY_NUMBER[number][1], label, button, roles=tuple(roles),
                      allowed=_for_event(*roles), guard=guard, url_name="assessments:event-act-" + name)


def machines() -> list[Machine]:
    from assessments.errors import AssessmentRefused

    return [Machine(
        model=Event, states=EventStatus, refused=AssessmentRefused,
        labels={"created": gettext_lazy("event planned"), "assessor_added": gettext_lazy("assessor added"),
                "participant_added": gettext_lazy("participant added")},
        transitions=[*_before_the_test(), *_the_test_and_after(), *_acts_keeping_the_status()],
    )]


def _before_the_test() -> list[Transition]:
    """Steps 1 to 4: the schedule and the assessors' confirmations, the site, the reminders, the confirmation."""
    return [
        Transition("schedule_distributed", {S.PLANNED}, None, gettext_lazy("schedule sent to participants and assessors"),
                   gettext_lazy("Send the schedule"), (ADMIN,), guard=all_of(not_yet_distributed, step1_ready),
                   stamp="schedule_distributed_at", url_name="assessments:event-act-schedule_distributed"),
        Transition("assessor_confirmed", {S.PLANNED}, None, gettext_lazy("assessor confirmed the assignment"),
                   gettext_lazy("Confirm my assignment"), (Role.ASSESSOR, ADMIN), allowed=_for_event(Role.ASSESSOR, ADMIN),
                   guard=all_of(distributed, confirmation_open), url_name="assessments:event-confirm"),
        # Step 1 is complete when the last assessor has confirmed: taken by whoever recorded that confirmation.
        Transition("schedule_sent", {S.PLANNED}, S.SCHEDULE_SENT, gettext_lazy("SOP step 1 done: schedule sent, assessors confirmed"),
                   gettext_lazy("Complete step 1"), (ADMIN, Role.ASSESSOR), allowed=_for_event(ADMIN, Role.ASSESSOR),
                   guard=all_of(distributed, step1_ready, all_assessors_confirmed)),
        _step(2, "site_prepared", gettext_lazy("SOP step 2 done: test site prepared"), gettext_lazy("The site is ready"),
              guard=all_of(step2_ready, step2_planned)),
        _step(3, "candidates_reminded", gettext_lazy("SOP step 3 done: candidates reminded"), gettext_lazy("Send the reminders")),
        Transition("participant_reached", {S.REMINDED}, None, gettext_lazy("participant reached about the test"),
                   gettext_lazy("Record the contact"), (ADMIN,), guard=reachable,
                   url_name="assessments:event-reached"),
        _step(4, "confirmed", gettext_lazy("SOP step 4 done: the test is confirmed"), gettext_lazy("Confirm the test"),
              guard=all_of(plan_validated, everyone_confirmed)),
    ]


def _the_test_and_after() -> list[Transition]:
    """Steps 5 to 8: attendance and the test held, the berita acara, the review, the archive."""
    return [
        Transition("attendance_recorded", DAY_OF_TEST, None, gettext_lazy("attendance recorded"),
                   gettext_lazy("Attendance on the day"), (Role.ASSESSOR, Role.TUK_HEAD, ADMIN),
                   allowed=_for_event(Role.ASSESSOR, Role.TUK_HEAD, ADMIN), guard=not_before_start,
                   url_name="assessments:event-attendance"),
        _step(5, "held", gettext_lazy("SOP step 5 done: test held"), gettext_lazy("Record the test as held"),
              guard=all_of(plan_validated, not_before_start, attendance_complete, documented)),
        Transition("report_signed_by_assessor", {S.HELD}, None, gettext_lazy("official report signed by the assessor"),
                   gettext_lazy("Sign the official report as assessor"), (Role.ASSESSOR,),
                   allowed=_for_event(Role.ASSESSOR),
                   guard=all_of(not_before_start, results_complete, assessor_may_sign),
                   url_name="assessments:event-sign"),
        _step(6, "report_signed", gettext_lazy("SOP step 6 done: official report signed"),
              gettext_lazy("Sign the official report"),
              guard=all_of(not_before_start, results_complete, assessor_signed, head_signs_last)),
        Transition("review_signed", {S.REPORT_SIGNED}, None, gettext_lazy("review signed"), gettext_lazy("Sign the review"),
                   REVIEW_ROLES, allowed=_for_event(*REVIEW_ROLES),
                   guard=all_of(not_before_start, minutes_written, assessor_reported, assessment_reviewed, review_open,
                                declared),
                   url_name="assessments:event-review"),
        # Step 7 is complete when every reviewing role has signed: taken with the last sign-off.
        Transition("reviewed", {S.REPORT_SIGNED}, S.REVIEWED, gettext_lazy("SOP step 7 done: reviewed and sent to the LSP"),
                   gettext_lazy("Complete the review"), REVIEW_ROLES, allowed=_for_event(*REVIEW_ROLES),
                   guard=all_of(not_before_start, minutes_written, assessor_reported, assessment_reviewed,
                                all_reviews_signed, declared)),
        _step(8, "archived", gettext_lazy("SOP step 8 done: archived"), gettext_lazy("Archive"),
              guard=archive_complete),
    ]


def _acts_keeping_the_status() -> list[Transition]:
    """Seed 002 step 2's readiness checklist and assessors' planning, step 5's documentation and the minutes: acts
    that keep the status."""
    return [
        # FR.MAPA.01: the scheme's plan in force set on an event planned without one (or with an outdated one)
        Transition("plan_adopted", BEFORE_RESULTS, None, gettext_lazy("assessment plan adopted"),
                   gettext_lazy("Adopt the plan in force"), (ADMIN,), guard=plan_adoptable,
                   url_name="assessments:event-plan-adopt"),
        Transition("readiness_checked", {S.PLANNED, S.SCHEDULE_SENT}, None, gettext_lazy("readiness checklist filled in"),
                   gettext_lazy("Save the readiness checklist"), (Role.TUK_HEAD,), allowed=_for_event(Role.TUK_HEAD),
                   url_name="assessments:event-readiness"),
        Transition("planning_recorded", {S.PLANNED, S.SCHEDULE_SENT}, None, gettext_lazy("assessor's planning recorded"),
                   gettext_lazy("Record my planning"), (Role.ASSESSOR,), allowed=_for_event(Role.ASSESSOR),
                   url_name="assessments:event-planning"),
        Transition("documentation_added", {S.CONFIRMED, S.HELD, S.REPORT_SIGNED}, None,
                   gettext_lazy("documentation added"), gettext_lazy("Add documentation"),
                   (Role.TUK_HEAD, Role.ASSESSOR), allowed=_for_event(Role.TUK_HEAD, Role.ASSESSOR),
                   url_name="assessments:event-documentation"),
        Transition("minutes_saved", set(OPEN), None, gettext_lazy("minutes saved"), gettext_lazy("Save the minutes"),
                   (ADMIN, Role.TUK_HEAD, Role.QUALITY, Role.ASSESSOR),
                   allowed=_for_event(ADMIN, Role.TUK_HEAD, Role.QUALITY, Role.ASSESSOR),
                   url_name="assessments:event-minutes"),
    ]
