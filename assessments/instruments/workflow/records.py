"""FR.AK.01/05/06/07 (issue 19, ``assessments.instruments.services.records``): none of these records has statuses, so there is
no machine here; each is one signed act, audited on the participant (FR.AK.01, FR.AK.07) or on the event (FR.AK.05,
FR.AK.06) under the codes below, whose labels are registered with the workflow core for the histories.

What the records change in other machines: results (``assessments.participant.result_recorded``) need both
FR.AK.01 consents (``workflow.participants._recordable`` through ``services.records.consent_missing``)."""

from django.utils.translation import gettext_lazy

from certportal.workflow import register_labels

LABELS = {
    "assessments.participant.agreement_signed": gettext_lazy(
        "assessment agreement (FR.AK.01) consented to by the participant"),
    "assessments.participant.agreement_signed_by_assessor": gettext_lazy(
        "assessment agreement (FR.AK.01) consented to by the assessor"),
    "assessments.participant.adjustments_recorded": gettext_lazy("reasonable adjustments (FR.AK.07) recorded"),
    "assessments.participant.adjustments_replaced": gettext_lazy("reasonable adjustments (FR.AK.07) changed"),
    "assessments.event.assessor_report_signed": gettext_lazy("assessment report (FR.AK.05) signed"),
    "assessments.event.assessment_reviewed": gettext_lazy("assessment reviewed (FR.AK.06)"),
}


def machines() -> list:
    register_labels(LABELS)  # registered with the machines (AssessmentsConfig.ready)
    return []
