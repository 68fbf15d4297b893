"""FR.AK.03, the participant's feedback on the assessment: the participant's form, and the PDF for the
participant, their assessor, the LSP admin and quality management (``selectors.feedback_visible_to``)."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.events.selectors import get_or_403, my_participations
from assessments.instruments import services
from assessments.instruments.forms import FeedbackForm
from assessments.instruments.paperwork.feedback import render_ak03
from assessments.instruments.selectors import feedback_visible_to
from certportal.accounts.models import Role
from certportal.pdf import pdf_response
from certportal.permissions import role_required
from certportal.workflow.views import run_form


@role_required(Role.APPLICANT)
def my_feedback(request, pk):
    participant = get_or_403(my_participations(request.user), pk=pk)
    here = reverse("assessments:my-participation", args=[participant.pk])
    if hasattr(participant, "feedback"):
        return redirect(here)
    form = FeedbackForm(request.POST or None)
    return run_form(request, form,
                    lambda data: services.feedback_give(participant, user=request.user, **form.service_kwargs()),
                    success=_("Thank you: your feedback on the assessment is recorded."), redirect_to=here,
                    template="assessments/feedback_form.html",
                    context=lambda: {"p": participant, "scheme": participant.application.scheme,
                                     "event": participant.event, "back": here,
                                     "not_yet": services.feedback_refusal(participant)})


@role_required(Role.APPLICANT, Role.ASSESSOR, Role.LSP_ADMIN, Role.QUALITY)
def feedback_pdf(request, pk):
    feedback = get_or_403(feedback_visible_to(request.user), participant_id=pk)
    return pdf_response(render_ak03(feedback), f"fr-ak-03-{feedback.participant_id}.pdf")
