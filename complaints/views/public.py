"""Public pages: file a complaint, follow it by its secret link, answer the satisfaction survey."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from certportal.errors import PortalError
from certportal.lsp.services import current_profile
from certportal.net import client_ip
from certportal.ratelimit import over_limit
from certportal.workflow.views import run_form, run_service

from .. import services
from ..forms import PublicComplaintForm, SurveyForm, TrackLookupForm
from ..models import Complaint, SurveyInvitation, SurveyResponse, phone_key


def _rate_limited(request) -> bool:
    """At most COMPLAINTS_PUBLIC_PER_HOUR filings per address per hour."""
    return over_limit("complaints-public", client_ip(request), limit=settings.COMPLAINTS_PUBLIC_PER_HOUR,
                      seconds=3600)


@login_not_required
@never_cache
def public_new(request):
    form = PublicComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and form.cleaned_data.get("website"):
        messages.success(request, _("Thank you. Your report has been received."))
        return redirect("complaints:public-new")  # a bot filled the honeypot: pretend, record nothing

    def file(data):
        if _rate_limited(request):
            raise PortalError(_("Too many reports were sent from your connection in the last hour. "
                                "Please try again later or contact us by phone or e-mail."))
        return services.complaint_file(data=data, files=data["attachments"],
                                       language=translation.get_language() or "id")

    return run_form(request, form, file, success=lambda complaint: _(
        "Your report %(number)s has been received. Keep the address of this page: it is your private link to "
        "follow the report.") % {"number": complaint.tracking_number},
        redirect_to=lambda complaint: complaint.tracking_url(), template="complaints/public_form.html",
        context=lambda: {"lsp": current_profile()})  # the other channels of seed 001 item 6


@login_not_required
@never_cache
def track(request, secret: str):
    complaint = get_object_or_404(Complaint, secret=secret)
    response = render(request, "complaints/track.html", {
        "complaint": complaint, "updates": complaint.updates.all(),
    })
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_not_required
@never_cache
def track_lookup(request):
    """Find the secret link again with the tracking number and the e-mail or phone given.

    Tracking numbers run in sequence, so the number alone opens nothing: the page itself is reached only by its
    random secret link, and this look-up also wants the filer's e-mail or phone, with at most
    COMPLAINTS_TRACK_LOOKUPS_PER_HOUR tries per address per hour so numbers cannot be walked against a contact.
    """
    form = TrackLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and over_limit(
            "complaints-track", client_ip(request), limit=settings.COMPLAINTS_TRACK_LOOKUPS_PER_HOUR, seconds=3600):
        form.add_error(None, _("Too many look-ups were sent from your connection in the last hour. Please try "
                               "again later, or use the link shown when you filed the report."))
    elif request.method == "POST" and form.is_valid():
        number = form.cleaned_data["tracking_number"].strip().upper()
        contact = form.cleaned_data["contact"].strip()
        complaint = Complaint.objects.filter(tracking_number=number).first()
        if complaint and contact and (
            (complaint.email and complaint.email.lower() == contact.lower())
            or (complaint.phone_key and complaint.phone_key == phone_key(contact))
        ):
            return redirect(complaint.tracking_url())
        form.add_error(None, _("No report matches this tracking number and contact. Reports filed without an "
                               "e-mail or phone can be followed only through the link shown when filing."))
    return render(request, "complaints/track_lookup.html", {"form": form})


@login_not_required
@never_cache
def survey(request, token: str):
    invitation = get_object_or_404(SurveyInvitation, token=token)
    if SurveyResponse.objects.filter(invitation=invitation).exists():
        return render(request, "complaints/survey_done.html", {"already": True})
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # a refusal here is a second answer sent meanwhile (another tab): the page that says the first one is kept
        if run_service(request, lambda: services.survey_answer(
                invitation=invitation, scores=form.scores(), comment=form.cleaned_data["comment"]),
                refused=lambda exc: form.add_error(None, exc.message)):
            return render(request, "complaints/survey_done.html", {"already": False})
        if SurveyResponse.objects.filter(invitation=invitation).exists():
            return render(request, "complaints/survey_done.html", {"already": True})
    return render(request, "complaints/survey.html", {"form": form, "invitation": invitation})
