"""What the assessment instruments show on the test event's pages (registered in
:mod:`assessments.instruments.wiring` through :mod:`assessments.events.views.panels`): the plan and the FR.AK.05/06
records on the event page; FR.AK.01/03/07, the written test, the instrument records per unit and the assessment
file on the staff participant page; FR.AK.01/03/07 and the written test on the participant's own page."""

from __future__ import annotations

from assessments.instruments.models import AssessmentFeedback
from assessments.instruments.selectors import assessment_files_visible_to, feedback_visible_to
from assessments.instruments.services.feedback import feedback_due
from assessments.instruments.views import assessment_file, instruments, plans, records, written_test


def event_context(user, event) -> dict:
    return {**plans.event_context(user, event), **records.event_context(user, event),
            **assessment_file.event_context(user, event)}


def participant_context(user, participant) -> dict:
    return {
        # FR.AK.03: only their assessor, the LSP admin and quality management read it
        "feedback": feedback_visible_to(user).filter(participant=participant).first(),
        # the complete assessment file (APL.01 to AK.05), for the archive: LSP admin, quality, their assessor
        "may_download_file": assessment_files_visible_to(user).filter(pk=participant.pk).exists(),
        # FR.AK.01/07 consents and adjustments, the FR.IA.05 test, the instrument records per unit
        **records.participant_context(user, participant), **written_test.participant_context(user, participant),
        **instruments.participant_context(user, participant),
    }


def my_participation_context(user, participant) -> dict:
    return {
        # FR.AK.03: the card when feedback is due, the record read-only once given
        "feedback": AssessmentFeedback.objects.filter(participant=participant).first(),
        "feedback_due": feedback_due(participant),
        # FR.AK.01 consent and FR.AK.07 (records), the browser FR.IA.05 test
        **records.my_context(user, participant), **written_test.my_context(user, participant),
    }
