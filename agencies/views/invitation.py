"""The invitation link a proposed civil servant receives: register or log in, then start the application (a person
the portal did not know confirms by it that they work at the agency), or decline the proposal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certportal.net import client_ip
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action

from .. import services
from ..models import Proposal, ProposalStatus


def _proposal(token: str) -> Proposal:
    return get_object_or_404(Proposal.objects.select_related("cohort__agency", "cohort__scheme", "cohort__round",
                                                             "application"), token=token)


@login_not_required
def invitation(request, token: str):
    proposal = _proposal(token)
    actions = allowed_actions(proposal, request.user, only=("applied", "declined"))
    return render(request, "agencies/invitation.html", {
        "proposal": proposal, "withdrawn": proposal.status == ProposalStatus.WITHDRAWN, "action": actions["applied"],
        "decline": actions["declined"], "declined": proposal.status == ProposalStatus.DECLINED,
        "confirm": proposal.needs_confirmation and not proposal.confirmed_at,
        "mine": request.user.is_authenticated and proposal.application is not None
        and proposal.application.applicant_id == request.user.pk})


@require_POST
def invitation_accept(request, token: str):
    proposal = _proposal(token)
    return run_action(request, lambda d: services.invitation_accept(proposal, user=request.user,
                                                                    ip=client_ip(request)),
                      success=_("Your application is started; the agency's letters are added to it as they are "
                                "signed."),
                      redirect_to=lambda app: reverse("applicants:detail", args=[app.pk]) if app
                      else reverse("agencies:invitation", args=[token]))


@require_POST
def invitation_decline(request, token: str):
    proposal = _proposal(token)
    return run_action(request, lambda d: services.invitation_decline(proposal, user=request.user,
                                                                     ip=client_ip(request)),
                      success=_("You declined the proposal; the agency's place is free again."),
                      redirect_to=reverse("agencies:invitation", args=[token]))
