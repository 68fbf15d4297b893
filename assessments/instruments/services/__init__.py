"""Every write about the assessment instruments: the plan (FR.MAPA.01/02) and the instruments a scheme uses
(:mod:`.plans`), the question bank (:mod:`.bank`), FR.VA (:mod:`.validation`), the instrument records
(:mod:`.instruments`), the written test FR.IA.05 (:mod:`.written_test`), the FR.AK records (:mod:`.records`) and
FR.AK.03 (:mod:`.feedback`). Signatures are typed names, checked in one place (:mod:`.signature`).

The names below are the ones other rooms, the demo and the tests call most; the modules hold the rest."""

from assessments.instruments.services.consents import assessor_accept_agreement, participant_accept_agreement
from assessments.instruments.services.feedback import feedback_due, feedback_give, feedback_refusal
from assessments.instruments.services.plans import (
    PlanRow,
    evidence_state,
    participant_group,
    plan_create,
    plan_edit,
    plan_in_force,
    plan_set_rows,
    plan_validate,
    planned_rows,
    scheme_instruments,
    scheme_instruments_set,
)
from assessments.instruments.services.records import adjustment_record, report_sign, review_record

__all__ = [
    "feedback_due", "feedback_give", "feedback_refusal",
    "PlanRow", "evidence_state", "participant_group", "plan_create", "plan_edit", "plan_in_force",
    "plan_set_rows", "plan_validate", "planned_rows", "scheme_instruments", "scheme_instruments_set",
    "adjustment_record", "assessor_accept_agreement", "participant_accept_agreement", "report_sign", "review_record",
]
