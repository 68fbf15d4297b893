"""The assessment instruments' models: the plan (FR.MAPA.01/02) and the instruments a scheme uses, the question
bank, the validation of instruments (FR.VA), the instrument records (FR.IA) and the written test (FR.IA.05), and
the records around the results (FR.AK.01 consents, FR.AK.07 adjustments, FR.AK.05 reports, FR.AK.06 reviews,
FR.AK.03 feedback)."""

from assessments.instruments.models.feedback import (
    COMMENT_MAX_LENGTH,
    FEEDBACK_FORM_VERSION,
    FEEDBACK_STATEMENTS,
    OVERALL_MAX_LENGTH,
    AssessmentFeedback,
)
from assessments.instruments.models.plans import (
    BANK_INSTRUMENTS,
    DEFAULT_PLAN_ROWS,
    INSTRUMENT_METHOD,
    AssessmentPlan,
    BankItem,
    BankKeeper,
    CandidateGroup,
    EvidenceType,
    Instrument,
    InstrumentValidation,
    PlanEvidence,
    SchemeInstrument,
)
from assessments.instruments.models.records import (
    AgreementConsent,
    AssessmentReview,
    AssessorReport,
    InstrumentRecord,
    ReasonableAdjustment,
    WrittenAnswer,
    WrittenTest,
)

__all__ = [
    "COMMENT_MAX_LENGTH", "FEEDBACK_FORM_VERSION", "FEEDBACK_STATEMENTS", "OVERALL_MAX_LENGTH",
    "AssessmentFeedback", "BANK_INSTRUMENTS", "DEFAULT_PLAN_ROWS", "INSTRUMENT_METHOD", "AssessmentPlan",
    "BankItem", "BankKeeper", "CandidateGroup", "EvidenceType", "Instrument", "InstrumentValidation", "PlanEvidence",
    "SchemeInstrument", "AgreementConsent", "AssessmentReview", "AssessorReport", "InstrumentRecord",
    "ReasonableAdjustment", "WrittenAnswer", "WrittenTest",
]
