"""The participant's own pages: schedule, attendance confirmation, FR.AK.01 agreement, results with the
explanation of every BK unit, appeal, holder obligations, downloads."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certportal.accounts.models import Role
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action

from .. import services
from ..forms import AppealForm
from ..models import CERTIFICATE_STATES, STATE_COLOURS, AssessmentFeedback, ResultLetter
from ..selectors import get_or_403, my_participations
from . import records as record_views
from . import written_test as test_views


@role_required(Role.APPLICANT)
def mine(request):
    participations = list(my_participations(request.user).prefetch_related("certificates")
                          .order_by("-event__starts_at"))
    for p in participations:  # a corrected certificate leaves the old number withdrawn: say which one counts
        for c in p.certificates.all():
            c.state_value = c.state()
            c.state_label, c.state_colour = CERTIFICATE_STATES[c.state_value], STATE_COLOURS[c.state_value]
    certificates = [c for p in participations for c in p.certificates.all()]
    return render(request, "assessments/mine.html", {"participations": participations, "certificates": certificates})


ACTIONS = {
    "confirm": (services.participant_confirm_attendance, gettext_lazy("Thank you: your attendance is confirmed.")),
    "obligations": (services.participant_accept_obligations,
                    gettext_lazy("You accepted the certificate-holder obligations.")),
}


@role_required(Role.APPLICANT)
def my_participation(request, pk):
    participant = get_or_403(my_participations(request.user), pk=pk)
    here = reverse("assessments:my-participation", args=[participant.pk])
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "appeal":
            return run_action(request, lambda data: services.appeal_file(participant, user=request.user, **data),
                              form=AppealForm(request.POST), redirect_to=here,
                              success=_("Your appeal is filed. You will be told the outcome."))
        if action == "agree":  # FR.AK.01: consent by typing one's name (views/records.py)
            return record_views.consent_action(request, participant, redirect_to=here)
        if action in ACTIONS:
            fn, ok = ACTIONS[action]
            return run_action(request, lambda data: fn(participant, user=request.user), success=ok,
                              redirect_to=here)
    participant.refresh_from_db()
    event = participant.event
    show_results = bool(participant.decision)
    appeal = allowed_actions(participant, request.user)["appealed"]
    return render(request, "assessments/my_participation.html", {
        "p": participant, "event": event, "scheme": participant.application.scheme,
        "results": participant.results.select_related("unit").order_by("unit__code") if show_results else [],
        "show_results": show_results, "deadline": services.appeal_deadline(participant), "form": AppealForm(),
        "may_confirm": services.attendance_confirmable(event),
        "appeal_action": appeal, "may_appeal": appeal.allowed,
        "appeals": participant.appeals.all(), "certificate": participant.certificates.first(),
        # FR.AK.03: the card when feedback is due, the record read-only once given
        "feedback": AssessmentFeedback.objects.filter(participant=participant).first(),
        "feedback_due": services.feedback_due(participant),
        "letter": ResultLetter.objects.filter(participant=participant, status=ResultLetter.Status.ISSUED).first(),
        "withdrawn_letters": ResultLetter.objects.filter(participant=participant,
                                                         status=ResultLetter.Status.WITHDRAWN),
        # issue 19: FR.AK.01 consent and FR.AK.07 (records), the browser FR.IA.05 test
        **record_views.my_context(request.user, participant), **test_views.my_context(request.user, participant)})
