"""Results and the decision: which units a participant is assessed on, K/BK per unit, corrections after the
lock, the recommendation, and the LSP's certification decision."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from applicants.models import Status as AppStatus
from assessments.errors import AssessmentError, AssessmentRefused
from assessments.events import hooks
from assessments.events.models import Participant, Pleno, Result, UnitResult
from assessments.events.services.assessors import assessor_problems
from assessments.events.services.base import _act
from certportal.workflow import allowed_actions, transition


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


def result_record(participant: Participant, *, actor, unit, result: str, evidence: str = "", notes: str = "",
                  explanation: str = "", method: str | None = None, evidence_gap_reason: str = "") -> UnitResult:
    """The assessor records K/BK for one unit (``assessments.participant.result_recorded``: own assessor, on or
    after the test's start, event open, FR.AK.01 accepted, present). Every BK carries an explanation.

    FR.AK.02: on an event with a plan the evidence is the plan's instrument records for the unit (their summary,
    unless the assessor words it), and a K whose planned evidence is not complete and sufficient needs
    ``evidence_gap_reason`` (why it suffices all the same). Without a plan, the assessor describes the evidence."""
    participant = Participant.objects.select_related("event", "application__scheme").get(pk=participant.pk)
    recordable = allowed_actions(participant, actor, only=("result_recorded",))["result_recorded"]
    if not recordable.allowed:  # who, when, the consents, the plan: said before anything about the evidence
        raise AssessmentRefused(recordable.reason, action=recordable.code)
    if not units_to_assess(participant).filter(pk=unit.pk).exists():
        raise AssessmentError(_("Unit %(code)s is not assessed in this sitting.") % {"code": unit.code})
    method = method or participant.method
    if method != participant.method:
        raise AssessmentError(_("The scheme prescribes this method for the participant: %(m)s.")
                              % {"m": participant.method_text})
    gap_reason = (evidence_gap_reason or "").strip()
    state = hooks.evidence_state(participant, unit.pk)
    if state is not None and state.planned:
        evidence = (evidence or "").strip() or state.summary()
        if result == Result.K and not state.complete and not gap_reason:
            missing = ", ".join(f"FR.{line.row.instrument}" for line in state.missing)
            raise AssessmentError(_(
                "The planned evidence for unit %(code)s is not complete and sufficient (%(missing)s): record and "
                "sign those instruments, or say why the evidence suffices all the same.")
                % {"code": unit.code, "missing": missing})
        if state.complete:
            gap_reason = ""
    _validate_result(result, evidence or "", explanation)
    with transaction.atomic():
        transition(participant, "result_recorded", user=actor, reason=f"{unit.code}: {result}")
        row, _created = UnitResult.objects.update_or_create(
            participant=participant, unit=unit,
            defaults={"result": result, "method": method, "evidence": evidence.strip(), "notes": notes.strip(),
                      "explanation": explanation.strip() if result == Result.BK else "", "carried_over": False,
                      "evidence_gap_reason": gap_reason if result == Result.K else "", "recorded_by": actor})
    return row


def check_may_still_assess(assessor, event) -> None:
    """An assessor who no longer qualifies for the event (deactivated, licence not valid on the day, scheme taken
    out of scope since they were added) records and signs nothing: the LSP admin assigns another assessor."""
    problems = assessor_problems(assessor, event)
    if problems:
        raise AssessmentError(" ".join([*problems, _("Ask the LSP admin to assign another assessor.")]))


def _validate_result(result: str, evidence: str, explanation: str) -> None:
    if result not in Result.values:
        raise AssessmentError(_("Choose K or BK."))
    if not evidence.strip():
        raise AssessmentError(_("Describe the evidence the result rests on."))
    if result == Result.BK and not explanation.strip():
        raise AssessmentError(_("Explain every BK result: the participant has the right to an explanation."))


def result_correct(row: UnitResult, *, actor, result: str, evidence: str, explanation: str, reason: str,
                   evidence_gap_reason: str = "") -> UnitResult:
    """After the lock an LSP admin corrects a result, with a reason (``assessments.participant.result_corrected``).

    The participant goes back to "awaiting decision" with the recommendation recomputed and the decision cleared
    (the earlier one stays in the history); the application leaves competent / not yet competent / certified for
    "assessed" (a handed-over one stays closed); the issued result letter is withdrawn; a certificate already
    issued is suspended until the new decision (the holder is told). After a new K decision the LSP admin
    reinstates it or issues the correcting certificate, after a BK one withdraws it (the certificate page).

    A K on a plan rests on the plan's signed records, or on ``evidence_gap_reason`` (why the evidence suffices):
    without either the K decision names what is missing."""
    if not reason.strip():
        raise AssessmentError(_("Give the reason for the correction."))
    _validate_result(result, evidence, explanation)
    with transaction.atomic():
        row = UnitResult.objects.select_for_update(of=("self",)).select_related("participant", "unit").get(pk=row.pk)
        participant = row.participant
        before = row.result
        row.result, row.evidence = result, evidence.strip()
        row.explanation = explanation.strip() if result == Result.BK else ""
        row.evidence_gap_reason = (evidence_gap_reason or row.evidence_gap_reason).strip() if result == Result.K else ""
        row.save()
        note = f"{row.unit.code}: {before} → {result}. {reason.strip()}"
        participant = transition(participant, "result_corrected", user=actor, reason=note,
                                 recommendation=recommend(participant), decision="", decision_note="",
                                 decided_by=None, decided_at=None, pleno=None)
        app = participant.application
        if app.status in (AppStatus.COMPETENT, AppStatus.NOT_YET_COMPETENT, AppStatus.CERTIFIED):
            _act(app, "decision_reopened", actor=actor, reason=note)
        hooks.result_corrected(participant, actor=actor, note=note)  # the letter withdrawn, the certificate suspended
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

DECISIONS = {Result.K: ("decided_competent", "found_competent"),  # the participant's arrow, the application's
             Result.BK: ("decided_not_yet_competent", "found_not_yet_competent")}


def participant_decide(participant: Participant, *, actor, decision: str, note: str = "",
                       pleno: Pleno | None = None) -> Participant:
    """The LSP's certification decision (``assessments.participant.decided_competent`` / ``..._not_yet_competent``):
    an LSP admin who did not assess the participant, once the event is reviewed and never before the test.

    With ``pleno`` the decision is the pleno's (recorded by the LSP admin): the pleno is of the participant's event,
    open, and none of its members assessed the participant; the audit row names its decree number."""
    if decision not in DECISIONS:
        raise AssessmentError(_("Choose K or BK."))
    action, arrow = DECISIONS[decision]
    # the audit note is data in no one language: "Pleno <decree number>" reads the same in both
    reason = " · ".join(filter(None, [f"Pleno {pleno.decree_number}" if pleno else "", note.strip()]))
    with transaction.atomic():
        participant = transition(participant, action, user=actor, reason=reason, decision=decision,
                                 decision_note=note.strip(), decided_by=actor, pleno=pleno)
        app = participant.application
        # A handed-over application stays closed (its certificate, suspended by the correction, is reinstated,
        # replaced or withdrawn on its page). Otherwise a correction sent it back to "assessed": it follows the
        # decision; a K decision's suspended certificate makes it "certified" again once reinstated or replaced.
        if app.status == AppStatus.CERTIFIED and decision == Result.BK:  # corrected before corrections re-opened it
            app = _act(app, "decision_reopened", actor=actor, reason=note)
        if app.status not in (AppStatus.CERTIFIED, AppStatus.HANDED_OVER):
            participant.application = _act(app, arrow, actor=actor, reason=note)
    return participant
