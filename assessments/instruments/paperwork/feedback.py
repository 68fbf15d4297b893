"""FR.AK.03 as a PDF, from the participant's feedback as they gave it (``AssessmentFeedback``)."""

from __future__ import annotations

from django.utils import timezone

from assessments.instruments.models.feedback import FEEDBACK_FORM_VERSION, AssessmentFeedback
from certportal.lsp.services import letterhead
from certportal.pdf import render_pdf


def render_ak03(feedback: AssessmentFeedback) -> bytes:
    p = feedback.participant
    return render_pdf("assessments/pdf/feedback.html", {
        "f": feedback, "p": p, "event": p.event, "scheme": p.application.scheme, "lsp": letterhead(),
        "version": feedback.form_version or FEEDBACK_FORM_VERSION, "printed_at": timezone.now()}, language="id")
