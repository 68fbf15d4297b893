"""The test event's models: assessors, events and their SOP steps, participants and their results, the pleno,
appeals, the readiness checklist and the assessors' planning of SOP step 2, and the documentation of step 5."""

from assessments.events.models.adoption import AdoptionImport
from assessments.events.models.assessors import (
    LICENCE_EXPIRING_DAYS,
    LICENCE_STATE_COLOURS,
    LICENCE_STATES,
    Assessor,
    ConflictOfInterest,
)
from assessments.events.models.events import (
    LOCKED_STATUSES,
    SOP_STEPS,
    STATUS_ORDER,
    STEP_BY_NUMBER,
    ConfirmedHow,
    Event,
    EventAssessor,
    EventReview,
    EventStatus,
    EventStep,
)
from assessments.events.models.participants import (
    Appeal,
    Method,
    Participant,
    ParticipantStatus,
    Pleno,
    Result,
    UnitResult,
)
from assessments.events.models.planning import PLANNING_ITEMS, EventPlanning
from assessments.events.models.procedure import Procedure
from assessments.events.models.readiness import READINESS_ITEMS, EventDocumentation, ReadinessCheck

__all__ = [
    "LICENCE_EXPIRING_DAYS", "LICENCE_STATES", "LICENCE_STATE_COLOURS", "Assessor", "ConflictOfInterest",
    "LOCKED_STATUSES", "SOP_STEPS", "STATUS_ORDER", "STEP_BY_NUMBER", "ConfirmedHow", "Event", "EventAssessor",
    "EventReview", "EventStatus", "EventStep", "Appeal", "Method", "Participant", "ParticipantStatus", "Pleno",
    "Result", "UnitResult", "READINESS_ITEMS", "EventDocumentation", "ReadinessCheck", "Procedure",
    "AdoptionImport",
    "PLANNING_ITEMS", "EventPlanning",
]
