"""The participant's own pages: schedule, attendance confirmation, FR.AK.01 agreement, results with the
explanation of every BK unit, appeal, holder obligations, downloads."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.events import services
from assessments.events.forms import AppealForm
from assessments.events.selectors import get_or_403, my_participations
from assessments.events.views import panels
from certportal.accounts.models import Role
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action


@role_required(Role.APPLICANT)
def mine(request):
    participations = list(my_participations(request.user).prefetch_related("certificates")
                          .order_by("-event__starts_at"))
    return render(request, "assessments/mine.html", {"participations": participations,
                                                     **panels.context("mine", request.user, participations)})


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
        if handler := panels.action(action):  # e.g. "agree": FR.AK.01, consent by typing one's name (instruments)
            return handler(request, participant, redirect_to=here)
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
        "appeals": participant.appeals.all(),
        # the certificate and result letters (certificates); FR.AK.01/03/07 and the written test (instruments)
        **panels.context("my_participation", request.user, participant)})
