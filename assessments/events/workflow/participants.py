"""State machines of the assessments app: participants (their unit results and the decision), appeals and
result letters.

A participant (one sitting) is named → (the official report locks the results) awaiting the decision, or absent →
decided competent (K) / not yet competent (BK) → (BK) appealed → dismissed (back to BK) or re-assessment.

Unit results and the decision are transitions of the participant, not machines of their own: a unit result has
no life of its own besides "recorded" and "corrected", and both change what the participant's decision may be.
So recording a result is an action that keeps the status (audited, with the unit and K/BK in the note), a
correction after the lock sends the participant back to "awaiting decision" (recommendation recomputed, result
letter withdrawn), and the decision is two arrows (K, BK) guarded by the same rules the page shows.

Time: no result and no decision before the event starts (the refusal names the date in the reader's language).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.errors import AssessmentRefused
from assessments.events import hooks
from assessments.events.models import Appeal, EventStatus, Participant, ParticipantStatus, Result
from assessments.events.workflow.events import plan_refusal
from certportal import dates
from certportal.accounts.models import Role
from certportal.lsp.licence import licence_refusal
from certportal.workflow import Machine, Transition

S = ParticipantStatus
ADMIN, ASSESSOR, APPLICANT = (Role.LSP_ADMIN,), (Role.ASSESSOR,), (Role.APPLICANT,)
APPEAL_DECIDERS = (Role.LSP_ADMIN, Role.QUALITY)


def day_text(value) -> str:
    """A date (or date-time) as the reader's language writes it: "8 Desember 2026" / "8 December 2026"."""
    return dates.day(value)


def not_before_test(p: Participant, user, at) -> str | None:
    if at < p.event.starts_at:
        return _(
            "The test starts on %(date)s: nothing about its results can be recorded or decided before then."
        ) % {"date": dates.wib(p.event.starts_at)}  # with the time: on the test day the date alone says nothing
    return None


# --- results ----------------------------------------------------------------------------------------------


def _is_own_assessor(user, p: Participant) -> bool:
    return bool(p.assessor_id and p.assessor.user_id == user.pk)


def _recordable(p: Participant, user, at) -> str | None:
    from assessments.events.services.assessors import assessor_problems

    event = p.event
    if not _is_own_assessor(user, p):
        return _("Only the participant's assessor records their results.")
    if event.is_locked:
        return _("The official report of this event is signed: its results are locked.")
    if problem := not_before_test(p, user, at):
        return problem
    if event.status not in (EventStatus.CONFIRMED, EventStatus.HELD):
        return _("Results are recorded on the day of the test.")
    if problem := plan_refusal(event):  # FR.MAPA.01 validated by a second assessor
        return problem
    if missing := hooks.declaration_missing(user, at):  # ISO/IEC 17024 4.3: the assessor's declaration of interest
        return missing
    if missing := hooks.consent_missing(p):  # FR.AK.01: the participant's and the assessor's consent
        return missing
    if p.attended is False:
        return _("%(name)s was absent.") % {"name": p.name}
    problems = assessor_problems(p.assessor, event) if p.assessor_id else []
    if problems:
        return " ".join([*problems, _("Ask the LSP admin to assign another assessor.")])
    return None


# --- the decision -----------------------------------------------------------------------------------------


def _decidable(p: Participant, user, at) -> str | None:
    if _is_own_assessor(user, p):
        return _("You assessed this participant: another LSP administrator decides.")
    if problem := not_before_test(p, user, at):
        return problem
    if not p.event.reached(EventStatus.REVIEWED):
        return _("The event must be reviewed (SOP step 7) before the decision.")
    if missing := hooks.declaration_missing(user, at):  # the decision-maker's declaration of interest
        return missing
    return licence_refusal(p.event.scheme.code, timezone.localtime(at).date())


def missing_records(p: Participant) -> list[str]:
    """FR.MAPA.01: for each unit ``p`` was assessed K on without a reason why the evidence suffices, the
    instruments the plan names for the participant's group that have no signed record ("N.821100.001.02: FR.IA.01,
    FR.IA.07"); [] without a plan."""
    if not p.event.plan_id:
        return []
    out = []
    # a unit carried over from an earlier sitting was assessed (and decided) on that sitting's records
    for row in (p.results.filter(result=Result.K, evidence_gap_reason="", carried_over=False).select_related("unit")
                .order_by("unit__code")):
        state = hooks.evidence_state(p, row.unit_id)
        unsigned = [f"FR.{line.row.instrument}" for line in (state.lines if state else []) if not line.signed]
        if unsigned:
            out.append(f"{row.unit.code}: {', '.join(unsigned)}")
    return out


def _k_evidence(p: Participant, user, at) -> str | None:
    """A K decision rests on the signed records the plan asked for in every unit assessed K (unless the unit's K
    says why the evidence suffices); BK needs none."""
    if missing := missing_records(p):
        return _("%(name)s cannot be decided competent: the assessment plan asks for signed records that are "
                 "missing (%(items)s), and the K of those units does not say why the evidence suffices without "
                 "them.") % {"name": p.name, "items": "; ".join(missing)}
    return None


def _decidable_k(p: Participant, user, at) -> str | None:
    return _decidable(p, user, at) or _k_evidence(p, user, at)


def _decision_note(decision: str):
    def validate(p: Participant, changes: dict, at) -> str | None:
        if decision != p.recommendation and not (changes.get("decision_note") or "").strip():
            return _("Explain why the decision differs from the recommendation.")
        if changes.get("pleno") is None and pleno_required(p):
            return PLENO_REQUIRED()
        return pleno_refusal(p, changes.get("pleno"))

    return validate


def pleno_required(p: Participant) -> bool:
    """An event assessed on a validated assessment plan (issue 19) is decided in a pleno of the technical committee,
    with a decree number; an event planned before its scheme had a plan may still be decided by an LSP admin."""
    return bool(p.event.plan_id)


def PLENO_REQUIRED() -> str:  # noqa: N802 (a message, translated when asked)
    return _("This event was assessed on an assessment plan: its certification decisions are taken in a pleno "
             "(with a decree number) on the event's pleno page.")


def pleno_refusal(p: Participant, pleno) -> str | None:
    """Why ``p`` cannot be decided in ``pleno`` (None: no pleno, or it may): the pleno is of the participant's
    event, still open, and none of its members assessed the participant."""
    if pleno is None:
        return None
    if pleno.event_id != p.event_id:
        return _("The pleno %(number)s decides the participants of another event.") % {"number": pleno.decree_number}
    if not type(pleno).objects.filter(pk=pleno.pk, status=pleno.Status.OPEN).exists():  # re-read: closed since?
        return _("The pleno %(number)s is closed: its decision letter is issued.") % {"number": pleno.decree_number}
    if p.assessor_id:
        member = pleno.members.filter(pk=p.assessor.user_id).first()
        if member is not None:
            return _("%(member)s assessed %(name)s and so cannot decide on them: decide in a pleno without them.") % {
                "member": member.full_name, "name": p.name}
    return None


# --- appeals ----------------------------------------------------------------------------------------------


def _is_the_participant(user, p: Participant) -> bool:
    return p.application.applicant_id == user.pk


def _appealable(p: Participant, user, at) -> str | None:
    from assessments.events.services.appeals import appeal_deadline

    deadline = appeal_deadline(p)
    if deadline is None or timezone.localtime(at).date() > deadline:
        return _("The appeal window closed on %(day)s.") % {"day": day_text(deadline) if deadline else "-"}
    if p.appeals.exists():
        return _("You have already appealed this decision.")
    return None


def _appeal_impartial(appeal: Appeal, user, at) -> str | None:
    from assessments.events.services.appeals import may_decide_appeal

    if not may_decide_appeal(user, appeal):
        return _("The appeal is decided by someone who neither assessed nor decided the case.")
    return None


def _outcome_note(a: Appeal, changes: dict, at) -> str | None:
    if not (changes.get("outcome_note") or "").strip():
        return _("Choose the outcome and give its reasons.")
    return None


def _appeal_not_before_decision(a: Appeal, user, at) -> str | None:
    decided_at = a.participant.decided_at
    if decided_at and at < decided_at:
        return _(
            "Nothing about this appeal can be recorded before %(date)s, the date of the decision appealed."
        ) % {"date": day_text(decided_at)}
    return None


PARTICIPANT = Machine(
    model=Participant,
    states=ParticipantStatus,
    refused=AssessmentRefused,
    labels={"added": gettext_lazy("participant added")},
    transitions=[
        Transition(
            "result_recorded",
            {S.NAMED},
            None,
            gettext_lazy("result recorded"),
            gettext_lazy("Save results"),
            ASSESSOR,
            guard=_recordable,
            url_name="assessments:participant",
        ),
        Transition(
            "results_locked",
            {S.NAMED},
            S.AWAITING_DECISION,
            gettext_lazy("results locked, awaiting the decision"),
        ),
        Transition("marked_absent", {S.NAMED}, S.ABSENT, gettext_lazy("absent from the test")),
        Transition(
            "decided_competent",
            {S.AWAITING_DECISION},
            S.COMPETENT,
            gettext_lazy("decided competent (K)"),
            gettext_lazy("Decide: competent (K)"),
            ADMIN,
            guard=_decidable_k,
            validate=_decision_note(Result.K),
            stamp="decided_at",
            url_name="assessments:decide",
        ),
        Transition(
            "decided_not_yet_competent",
            {S.AWAITING_DECISION},
            S.NOT_YET_COMPETENT,
            gettext_lazy("decided not yet competent (BK)"),
            gettext_lazy("Decide: not yet competent (BK)"),
            ADMIN,
            guard=_decidable,
            validate=_decision_note(Result.BK),
            stamp="decided_at",
            url_name="assessments:decide",
        ),
        Transition(
            "result_corrected",
            {S.AWAITING_DECISION, S.COMPETENT, S.NOT_YET_COMPETENT},
            S.AWAITING_DECISION,
            gettext_lazy("result corrected"),
            gettext_lazy("Correct (with a reason)"),
            ADMIN,
            guard=not_before_test,
            needs_reason=True,
            reason_prompt=gettext_lazy("Give the reason for the correction."),
        ),
        Transition(
            "appealed",
            {S.NOT_YET_COMPETENT},
            S.APPEALED,
            gettext_lazy("appealed"),
            gettext_lazy("File the appeal"),
            APPLICANT,
            allowed=_is_the_participant,
            guard=_appealable,
            needs_reason=True,
            reason_prompt=gettext_lazy("Say why you appeal."),
            url_name="assessments:my-participation",
        ),
        Transition(
            "appeal_dismissed",
            {S.APPEALED},
            S.NOT_YET_COMPETENT,
            gettext_lazy("appeal dismissed: the decision stands"),
            roles=APPEAL_DECIDERS,
        ),
        Transition(
            "reassessment_granted",
            {S.APPEALED},
            S.REASSESSMENT,
            gettext_lazy("appeal upheld: re-assessment"),
            roles=APPEAL_DECIDERS,
        ),
    ],
)

A = Appeal.Status
APPEAL = Machine(
    model=Appeal,
    states=Appeal.Status,
    refused=AssessmentRefused,
    guard=_appeal_not_before_decision,
    labels={"filed": gettext_lazy("appeal filed")},
    transitions=[
        Transition(
            "dismissed",
            {A.FILED},
            A.DECIDED,
            gettext_lazy("appeal dismissed: the decision stands"),
            gettext_lazy("Dismiss: the decision stands"),
            APPEAL_DECIDERS,
            guard=_appeal_impartial,
            validate=_outcome_note,
            stamp="decided_at",
            url_name="assessments:appeal",
        ),
        Transition(
            "upheld",
            {A.FILED},
            A.DECIDED,
            gettext_lazy("appeal upheld: re-assessment"),
            gettext_lazy("Uphold: re-assess the BK units"),
            APPEAL_DECIDERS,
            guard=_appeal_impartial,
            validate=_outcome_note,
            stamp="decided_at",
            url_name="assessments:appeal",
        ),
    ],
)

def machines() -> list:
    return [PARTICIPANT, APPEAL]
