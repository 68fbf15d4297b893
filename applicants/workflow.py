"""The application's state machine, declared for the workflow core (registered in ``ApplicantsConfig.ready``).

The ONE table of the application's arrows. The applicant submits, resubmits and withdraws; the BKPSDM verifier
returns, declares complete and correct, verifies or rejects (seed 001 steps 2–3) and, with the LSP administrator,
names participants (step 4). The arrows after that are taken by the assessments app by their names
(``applicants.services.application_act``) with the people who take them there: the LSP administrator
schedules, decides and certifies; the assessor or the head of the test site closes the test (assessed, or back to
participant when absent); the applicant appeals; an LSP administrator or the quality reviewer decides the
appeal; BKPSDM staff (or an LSP administrator) hand the document over (step 8).

Rules that hold for every arrow: nothing is recorded before the application was started or before its last
change, and no member of staff acts on their own application. What an arrow causes is declared on it and run by
the core in the same ``transition()`` call: the stamps (``stamp=``; the status change's time and reason on every
arrow), the service clock (``effects=``) and who is told (``notices=``), from :mod:`applicants.effects`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from certportal import dates
from certportal.accounts.models import Role
from certportal.errors import PortalError, TransitionRefused
from certportal.workflow import Machine, Transition, after_commit, reason_in, stamp_once

from . import effects, hooks, rules
from .models import Application, Status
from .selectors import queue_changed

S = Status
APPLICANT = (Role.APPLICANT,)
VERIFIER = (Role.VERIFIER,)
NAMERS = (Role.VERIFIER, Role.LSP_ADMIN)
ADMIN = (Role.LSP_ADMIN,)
TEST_CLOSERS = (Role.ASSESSOR, Role.TUK_HEAD)
APPEAL_DECIDERS = (Role.LSP_ADMIN, Role.QUALITY)
HANDOVER = (Role.VERIFIER, Role.LSP_ADMIN)

# Before the test is held the applicant may still withdraw.
BEFORE_TEST = frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.RESUBMITTED, S.COMPLETE, S.VERIFIED, S.PARTICIPANT,
                         S.SCHEDULED})
EDITABLE = frozenset({S.DRAFT, S.RETURNED})  # the applicant may change the dossier
UNDER_REVIEW = frozenset({S.SUBMITTED, S.RESUBMITTED})  # the verifier checks the documents
CLOSED = frozenset({S.HANDED_OVER, S.REJECTED, S.WITHDRAWN})


class ApplicationError(PortalError):
    """A request about an application that cannot be granted; ``str(exc)`` is a translated, plain message.
    A refused transition is its subclass :class:`ApplicationRefused` (also a ``TransitionRefused``)."""


class ApplicationRefused(ApplicationError, TransitionRefused):
    """A refused transition (the workflow core raises it: the machine's ``refused``)."""


def _when(value) -> str:
    return dates.wib(value)


# --- guards: (application, user, at) -> None, or the reason why not ---------------------------------------

def _in_order(app: Application, user, at) -> str | None:
    """Nothing before the application existed, nothing before its last recorded change."""
    if app.created_at and at < app.created_at:
        return _("Nothing can be recorded before %(date)s, when the application was started.") % {
            "date": _when(app.created_at)}
    if app.status_changed_at and at < app.status_changed_at:
        return _("The application last changed on %(date)s; nothing can be recorded before that.") % {
            "date": _when(app.status_changed_at)}
    return None


def _owner(user, app: Application) -> bool:
    return app.applicant_id == user.pk


def _not_own(app: Application, user, at) -> str | None:
    if app.applicant_id == user.pk:
        return _("This is your own application: another member of staff acts on it.")
    return None


def _ready_to_submit(app: Application, user, at) -> str | None:
    if not user.email_verified:
        return _("Please confirm your e-mail address first (use the link we sent you); your draft is saved.")
    problems = rules.eligibility_problems(app) + rules.missing_items(app)
    if problems:
        return _("The application cannot be submitted yet: %(list)s") % {"list": " ".join(str(p) for p in problems)}
    return None


def _declared(app: Application, changes: dict, at) -> str | None:
    return None if changes.get("declaration_at") else _("Please tick the declaration before submitting.")


def _documents_accepted(app: Application, user, at) -> str | None:
    reason = _not_own(app, user, at)
    pending = rules.documents_not_accepted(app)
    if not reason and pending:
        reason = _("Accept every document first; still open: %(list)s.") % {"list": ", ".join(pending)}
    return reason


def _checks_passed(app: Application, user, at) -> str | None:
    reason = _documents_accepted(app, user, at)
    missing = rules.checks_not_passed(app)
    if not reason and missing:
        reason = _("Record a passed %(check)s before verifying.") % {"check": missing[0]}
    return reason


# The verifier returns a dossier; the head of an agency or the Sekretaris Daerah withdrawing their recommendation
# returns it too, when the agencies app says the dossier is theirs (:data:`hooks.ACTORS`).
RETURNERS = (Role.VERIFIER, Role.AGENCY_HEAD, Role.REGIONAL_SECRETARY)


def _returner(user, app: Application) -> bool:
    return user.has_role(*VERIFIER) or hooks.may_act("returned", user, app)


def _with_hooks(name: str, guard):
    """The transition's own guard, then what apps above registered for it (:mod:`applicants.hooks`)."""
    def checked(app: Application, user, at) -> str | None:
        return (guard(app, user, at) if guard else None) or hooks.refusal(name, app, user, at)
    return checked


def _t(name, sources, target, label, button, roles, **rules_) -> Transition:
    """A transition whose guard for staff always includes "not on your own application"."""
    if roles != APPLICANT and "guard" not in rules_:
        rules_["guard"] = _not_own
    if roles == APPLICANT:
        rules_.setdefault("allowed", _owner)
    rules_["guard"] = _with_hooks(name, rules_.get("guard"))
    return Transition(name, sources, target, label, button, roles, **rules_)


REASON_TOLD = gettext_lazy("Please give a reason: the applicant is told why.")

TRANSITIONS = [
    # the applicant (seed 001 step 1)
    _t("submitted", {S.DRAFT}, S.SUBMITTED, gettext_lazy("submitted"), gettext_lazy("Submit the application"), APPLICANT,
       guard=_ready_to_submit, validate=_declared, url_name="applicants:step-submit", stamp="submitted_at",
       notices=(effects.tell_verifiers,)),
    _t("resubmitted", {S.RETURNED}, S.RESUBMITTED, gettext_lazy("resubmitted after correction"),
       gettext_lazy("Submit the corrected application"), APPLICANT, guard=_ready_to_submit, validate=_declared,
       url_name="applicants:step-submit", stamp="submitted_at", effects=(effects.resume_clock,),
       notices=(effects.tell_verifiers,)),
    _t("withdrawn", BEFORE_TEST, S.WITHDRAWN, gettext_lazy("withdrawn"), gettext_lazy("Withdraw"), APPLICANT, needs_reason=True,
       reason_prompt=gettext_lazy("Please give a reason for withdrawing the application."), url_name="applicants:withdraw",
       stamp="closed_at", effects=(effects.cancel_clock,)),
    # the verifier (steps 2–3): completeness, then administrative and substantive verification
    _t("returned", {S.SUBMITTED, S.RESUBMITTED, S.COMPLETE}, S.RETURNED, gettext_lazy("returned for correction"),
       gettext_lazy("Return to the applicant"), RETURNERS, allowed=_returner, needs_reason=True,
       reason_prompt=gettext_lazy("Please give a reason: the applicant is told why the dossier is returned."),
       effects=(effects.pause_clock,)),
    _t("completed", UNDER_REVIEW, S.COMPLETE, gettext_lazy("declared complete and correct"),
       gettext_lazy("Declare complete and correct"), VERIFIER, guard=_documents_accepted,
       effects=(stamp_once("completed_at"), effects.start_clock)),  # the first declaration's time stays
    _t("verified", {S.COMPLETE}, S.VERIFIED, gettext_lazy("verified"), gettext_lazy("Verify"), VERIFIER, guard=_checks_passed,
       stamp="decided_at"),
    _t("rejected", {S.COMPLETE}, S.REJECTED, gettext_lazy("rejected"), gettext_lazy("Reject the application"), VERIFIER,
       needs_reason=True,
       reason_prompt=gettext_lazy("Please give a reason: the applicant is told why the application is rejected."),
       stamp=("decided_at", "closed_at"), effects=(effects.cancel_clock,)),
    # naming the participants (step 4)
    _t("named", {S.VERIFIED}, S.PARTICIPANT, gettext_lazy("named as participant"),
       gettext_lazy("Name the ticked applicants as participants"), NAMERS, needs_reason=True,
       reason_prompt=gettext_lazy("Give the number of the naming decision (penetapan)."), url_name="applicants:naming",
       effects=(stamp_once("named_at"),)),
    # driven by the assessments app (steps 5–8)
    _t("scheduled", {S.PARTICIPANT, S.APPEALED}, S.SCHEDULED, gettext_lazy("scheduled for a test"), gettext_lazy("Schedule"), ADMIN),
    _t("unscheduled", {S.SCHEDULED}, S.PARTICIPANT, gettext_lazy("absent: back to the participants"), gettext_lazy("Mark absent"),
       TEST_CLOSERS),
    _t("assessed", {S.SCHEDULED}, S.ASSESSED, gettext_lazy("assessed"), gettext_lazy("Close the test"), TEST_CLOSERS),
    _t("found_competent", {S.ASSESSED}, S.COMPETENT, gettext_lazy("decided competent"), gettext_lazy("Decide competent"), ADMIN),
    _t("found_not_yet_competent", {S.ASSESSED}, S.NOT_YET_COMPETENT, gettext_lazy("decided not yet competent"),
       gettext_lazy("Decide not yet competent"), ADMIN),
    # a unit result corrected after the decision re-opens it: the participant awaits a new decision (a certificate
    # issued is suspended meanwhile; reinstated or replaced after a new K decision, it makes the application
    # "certified" again)
    _t("decision_reopened", {S.COMPETENT, S.NOT_YET_COMPETENT, S.CERTIFIED}, S.ASSESSED, gettext_lazy("decision re-opened by a corrected result"),
       gettext_lazy("Re-open the decision"), ADMIN, needs_reason=True, reason_prompt=gettext_lazy("Give the reason for the correction.")),
    _t("appealed", {S.NOT_YET_COMPETENT}, S.APPEALED, gettext_lazy("appealed"), pgettext_lazy("button", "Appeal"), APPLICANT, needs_reason=True,
       reason_prompt=gettext_lazy("Say why you appeal.")),
    _t("appeal_dismissed", {S.APPEALED}, S.NOT_YET_COMPETENT, gettext_lazy("appeal dismissed"), gettext_lazy("Dismiss the appeal"),
       APPEAL_DECIDERS, needs_reason=True, reason_prompt=REASON_TOLD),
    _t("appeal_upheld", {S.APPEALED}, S.COMPETENT, gettext_lazy("appeal upheld: competent"), gettext_lazy("Uphold the appeal"),
       APPEAL_DECIDERS, needs_reason=True, reason_prompt=REASON_TOLD),
    _t("certified", {S.COMPETENT}, S.CERTIFIED, gettext_lazy("certificate issued"), gettext_lazy("Issue the certificate"), ADMIN),
    _t("handed_over", {S.CERTIFIED, S.NOT_YET_COMPETENT}, S.HANDED_OVER, gettext_lazy("handed over"), gettext_lazy("Hand over"),
       HANDOVER, stamp="closed_at", effects=(effects.stop_clock,)),
]

# Actions on an application that keep its status (audited with these codes, labelled here).
OTHER_ACTIONS = {
    "created": gettext_lazy("application started"),
    "document_uploaded": gettext_lazy("document uploaded"),
    "document_provided": gettext_lazy("document issued in the portal"),
    "document_removed": gettext_lazy("document removed"),
    "document_accepted": gettext_lazy("document accepted"),
    "document_returned": gettext_lazy("document returned"),
    "completeness_checked": gettext_lazy("completeness check"),
    "administrative_checked": gettext_lazy("administrative verification"),
    "substantive_checked": gettext_lazy("substantive verification"),
}

# Every arrow: the time and reason of the status change, the applicant told, the queue counts forgotten on commit.
MACHINE = Machine(model=Application, states=Status, transitions=TRANSITIONS, guard=_in_order,
                  refused=ApplicationRefused, labels=OTHER_ACTIONS, stamp="status_changed_at",
                  effects=(reason_in("status_reason"),),
                  notices=(effects.tell_applicant, after_commit(queue_changed)))


def _arrows() -> dict[tuple[str, str], str]:
    arrows: dict[tuple[str, str], str] = {}
    for t in TRANSITIONS:
        for source in t.sources:
            key = (source, str(t.target))
            assert key not in arrows, f"two transitions for {key}"  # (from, to) names one arrow
            arrows[key] = t.name
    return arrows


ARROWS = _arrows()  # (from, to) -> transition name: one arrow between two states


def targets(from_state: str) -> set[str]:
    """The states reachable in one arrow (what the former ``TRANSITIONS`` table said)."""
    return {to for (source, to) in ARROWS if source == str(from_state)}


def code(name: str) -> str:
    return MACHINE.code(name)


# The former table of the application's arrows (state -> the states one arrow away), read from the machine.
TRANSITIONS = {state: targets(state) for state in Status.values}
