"""Results and the decision: which units a participant is assessed on, K/BK per unit, corrections after the
lock, the recommendation, and the LSP's certification decision."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Status as AppStatus
from certportal.accounts.models import Role
from certportal.audit.services import audit_record

from ..models import EventStatus, Participant, Result, UnitResult
from .assessors import assessor_problems
from .base import AssessmentError, _require_open, _transition


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
        check_may_still_assess(participant.assessor, participant.event)
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
