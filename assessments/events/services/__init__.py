"""Every write about the test event: assessors, events and their SOP steps, attendance, the participant's side,
results and the certification decision, the pleno and appeals.

One service per change: it locks the row, checks the current state, raises :class:`AssessmentError` with a
translated message, saves and writes an audit row (most through the workflow core's ``transition``). Application
status changes are taken by the arrow's name through ``applicants.services.application_act`` (the one way), in
:func:`.base._act`. Callers import this package (``from assessments.events import services``).
"""

from assessments.errors import AssessmentError
from assessments.events.services.appeals import appeal_deadline, appeal_decide, appeal_file, may_decide_appeal
from assessments.events.services.assessors import (
    AssessorChangeAffectsEvents,
    assessor_events_at_risk,
    assessor_problems,
    assessor_save,
    assessors_deactivate_for_account,
    check_assessor_for_event,
    check_no_conflict,
    conflict_declare,
)
from assessments.events.services.base import _act
from assessments.events.services.events import (
    _step_roles_ok,
    assessor_confirm,
    attendance_confirmable,
    attendance_record,
    event_add_assessor,
    event_add_participant,
    event_create,
    event_distribute_schedule,
    event_plan_adopt,
    event_save_minutes,
    event_step_complete,
    next_step,
    participant_accept_obligations,
    participant_assign,
    participant_confirm_attendance,
    participant_reached,
    report_sign_as_assessor,
    review_sign,
)
from assessments.events.services.pleno import member_options, pleno_close, pleno_create, pleno_decide
from assessments.events.services.results import (
    missing_units,
    participant_decide,
    recommend,
    result_correct,
    result_record,
    units_to_assess,
)

__all__ = [
    "AssessmentError", "AssessorChangeAffectsEvents", "_act", "_step_roles_ok",
    "appeal_deadline", "appeal_decide", "appeal_file", "assessor_confirm", "attendance_confirmable",
    "assessors_deactivate_for_account", "event_distribute_schedule", "review_sign", "assessor_events_at_risk",
    "assessor_problems", "assessor_save", "attendance_record", "check_assessor_for_event", "check_no_conflict",
    "conflict_declare", "event_add_assessor", "event_add_participant", "event_create", "event_plan_adopt", "event_save_minutes",
    "event_step_complete", "may_decide_appeal", "missing_units", "next_step",
    "participant_accept_obligations", "participant_assign", "participant_confirm_attendance", "participant_decide",
    "participant_reached",
    "recommend", "report_sign_as_assessor", "result_correct", "result_record", "units_to_assess",
    "member_options", "pleno_close", "pleno_create", "pleno_decide",
]
