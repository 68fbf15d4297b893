"""The participant's own pages: schedule, attendance confirmation, FR.AK.01 agreement, results with the
explanation of every BK unit, appeal, holder obligations, downloads."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certportal.accounts.models import Role
from certportal.permissions import role_required

from .. import services
from ..forms import AppealForm
from ..models import CERTIFICATE_STATES, STATE_COLOURS, Result, ResultLetter
from ..selectors import get_or_403, my_participations


@role_required(Role.APPLICANT)
def mine(request):
    participations = list(my_participations(request.user).prefetch_related("certificates")
                          .order_by("-event__starts_at"))
    for p in participations:  # a corrected certificate leaves the old number withdrawn: say which one counts
        for c in p.certificates.all():
            c.state_value = c.state()
            c.state_label, c.state_colour = CERTIFICATE_STATES[c.state_value], STATE_COLOURS[c.state_value]
    return render(request, "assessments/mine.html", {"participations": participations})


ACTIONS = {
    "confirm": (services.participant_confirm_attendance, gettext_lazy("Thank you: your attendance is confirmed.")),
    "agree": (services.participant_accept_agreement, gettext_lazy("You accepted the assessment agreement.")),
    "obligations": (services.participant_accept_obligations,
                    gettext_lazy("You accepted the certificate-holder obligations.")),
}


@role_required(Role.APPLICANT)
def my_participation(request, pk):
    participant = get_or_403(my_participations(request.user), pk=pk)
    form = AppealForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "appeal":
                form = AppealForm(request.POST)
                if form.is_valid():
                    services.appeal_file(participant, user=request.user, **form.cleaned_data)
                    messages.success(request, _("Your appeal is filed. You will be told the outcome."))
                    return redirect("assessments:my-participation", pk=participant.pk)
                messages.error(request, _("Say why you appeal."))
            elif action in ACTIONS:
                fn, ok = ACTIONS[action]
                fn(participant, user=request.user)
                messages.success(request, ok)
                return redirect("assessments:my-participation", pk=participant.pk)
        except services.AssessmentError as exc:
            messages.error(request, str(exc))
    participant.refresh_from_db()
    event = participant.event
    deadline = services.appeal_deadline(participant)
    show_results = bool(participant.decision)
    return render(request, "assessments/my_participation.html", {
        "p": participant, "event": event, "scheme": participant.application.scheme,
        "results": participant.results.select_related("unit").order_by("unit__code") if show_results else [],
        "show_results": show_results, "deadline": deadline, "form": form,
        "may_confirm": services.attendance_confirmable(event),
        "may_appeal": participant.decision == Result.BK and not participant.appeals.exists()
        and deadline is not None and timezone.localdate() <= deadline,
        "appeals": participant.appeals.all(), "certificate": participant.certificates.first(),
        "letter": ResultLetter.objects.filter(participant=participant).first()})

