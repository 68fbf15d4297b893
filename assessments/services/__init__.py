"""Every write about assessors, test events, results, decisions and appeals.

One service per change: it locks the row, checks the current state, raises :class:`AssessmentError` with a
translated message, saves and writes an audit row. Application status changes go through
``applicants.services.application_transition`` (the one service for that).

Split by subdomain: :mod:`.assessors`, :mod:`.events` (SOP steps, attendance, the participant's side),
:mod:`.results` (results and the certification decision) and :mod:`.appeals`, sharing :mod:`.base`. Callers
import this package (``from assessments import services``; ``services.event_create(...)``): the names below are
its API.
"""

from .appeals import appeal_deadline, appeal_decide, appeal_file, may_decide_appeal
from .assessors import (
    AssessorChangeAffectsEvents,
    assessor_events_at_risk,
    assessor_problems,
    assessor_save,
    assessors_deactivate_for_account,
    check_assessor_for_event,
    check_no_conflict,
    conflict_declare,
)
from .base import AssessmentError, _transition
from .events import (
    _step_roles_ok,
    assessor_confirm,
    attendance_confirmable,
    attendance_record,
    event_add_assessor,
    event_add_participant,
    event_create,
    event_distribute_schedule,
    event_save_minutes,
    event_step_complete,
    next_step,
    participant_accept_agreement,
    participant_accept_obligations,
    participant_assign,
    participant_confirm_attendance,
    report_sign_as_assessor,
    review_sign,
)
from .feedback import feedback_due, feedback_give, feedback_refusal
from .results import (
    missing_units,
    participant_decide,
    recommend,
    result_correct,
    result_record,
    units_to_assess,
)

__all__ = [
    "AssessmentError", "AssessorChangeAffectsEvents", "_step_roles_ok", "_transition",
    "feedback_due", "feedback_give", "feedback_refusal",
    "appeal_deadline", "appeal_decide", "appeal_file", "assessor_confirm", "attendance_confirmable", "assessors_deactivate_for_account",
    "event_distribute_schedule", "review_sign", "assessor_events_at_risk", "assessor_problems",
    "assessor_save", "attendance_record", "check_assessor_for_event", "check_no_conflict", "conflict_declare",
    "event_add_assessor", "event_add_participant", "event_create", "event_save_minutes", "event_step_complete",
    "may_decide_appeal", "missing_units", "next_step", "participant_accept_agreement",
    "participant_accept_obligations", "participant_assign", "participant_confirm_attendance", "participant_decide",
    "recommend", "report_sign_as_assessor", "result_correct", "result_record", "units_to_assess",
]

from .pleno import (  # noqa: E402 - the pleno uses participant_decide above
    member_options,
    pleno_close,
    pleno_create,
    pleno_decide,
)

__all__ += ["member_options", "pleno_close", "pleno_create", "pleno_decide"]

from .plans import (  # noqa: E402
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

__all__ += ["PlanRow", "evidence_state", "participant_group", "plan_create", "plan_edit", "plan_in_force",
            "plan_set_rows", "plan_validate", "planned_rows", "scheme_instruments", "scheme_instruments_set"]

from .records import (  # noqa: E402 - issue 19: FR.AK.01/05/06/07
    adjustment_record,
    assessor_accept_agreement,
    report_sign,
    review_record,
)

__all__ += ["adjustment_record", "assessor_accept_agreement", "report_sign", "review_record"]
