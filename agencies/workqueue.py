"""The work queues of the agency roles and the invitation waiting on a civil servant's home page.

A tile counts only what its reader can act on now (issue 43): the head of the agency and the Sekretaris Daerah act
on the cohorts' letters (:mod:`agencies.letters.workqueue`), not on the people proposed, who are listed on the home
page below the tiles, not counted as waiting for them."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal.workqueue import WorkItem, reads

from .models import Proposal, ProposalStatus
from .selectors import agency_of, open_places, proposals_visible_to


@reads("agencies.AgencyMembership", "agencies.Cohort", "agencies.FundedRound", "agencies.Proposal",
       "agencies.RoundQuota", "applicants.Agency", "schemes.Scheme")
def officer(user) -> list[WorkItem]:
    """Open rounds with places still free, and invitations not yet taken up."""
    agency = agency_of(user)
    if agency is None:
        return []
    left = sum(row["left"] for _round, row in open_places(user, today=timezone.localdate()))
    waiting = proposals_visible_to(user).filter(status=ProposalStatus.INVITED).count()
    return [WorkItem(_("Funded places still free"), left, reverse("agencies:propose"), 0, "places"),
            WorkItem(_("Invitations not yet taken up"), waiting, reverse("agencies:home"), 0, "invited")]


def invitations_for(user):
    profile = getattr(user, "applicant_profile", None)
    match = Q(invited_user=user) | Q(email__iexact=user.email)
    if profile is not None:
        match |= Q(nip=profile.nip)
    return Proposal.objects.filter(match, status=ProposalStatus.INVITED).select_related("cohort__scheme")


@reads("agencies.Cohort", "agencies.Proposal", "applicants.ApplicantProfile", "schemes.Scheme")
def applicant(user) -> list[WorkItem]:
    """The in-portal side of the invitation: there for someone who registered after it was e-mailed, too."""
    waiting = invitations_for(user).order_by("-created_at")
    first = waiting.first()
    if first is None:
        return []
    return [WorkItem(_("Invitation from your agency to apply"), waiting.count(),
                     reverse("agencies:invitation", args=[first.token]), 0, "agency-invitation")]


@reads("agencies.RosterImport")
def roster_imports(user) -> list[WorkItem]:
    """Roster imports waiting for the LSP admin or a BKPSDM officer: read and to confirm, or failed (failed ones
    first, as overdue are). Shown only when some wait."""
    from .models import RosterImport

    S = RosterImport.Status
    waiting = list(RosterImport.objects.filter(status__in=(S.DONE, S.FAILED)).values_list("status", flat=True))
    if not waiting:
        return []
    return [WorkItem(_("Roster imports waiting"), len(waiting), reverse("agencies:roster"),
                     waiting.count(S.FAILED), "roster-imports")]
