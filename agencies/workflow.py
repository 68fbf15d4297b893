"""The state machines of funded rounds and proposals, declared for the workflow core (``AgenciesConfig.ready``).

Round: draft → open → closed (and re-opened with a reason), by the LSP administrator.
Proposal: proposed → invited (the agency officer, right after proposing) → applied (the invited civil servant,
starting the application from the invitation; a person the portal did not know confirms by it that they work at
the agency) or declined (the invited person: not their agency, or not now; the place is freed); proposed, invited
or applied → withdrawn (the agency officer, with a reason, as long as the person is not yet named a participant:
the place is then used).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import Status as ApplicationStatus
from certportal.accounts.models import Role
from certportal.errors import PortalError, TransitionRefused
from certportal.registry import ExtensionPoint
from certportal.workflow import Machine, Transition

from . import roster
from .models import FundedRound, Proposal, ProposalStatus, RoundStatus
from .selectors import agency_of

ADMIN, OFFICER = (Role.LSP_ADMIN,), (Role.AGENCY_OFFICER,)
P = ProposalStatus
NOT_YET_NAMED = {ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED,
                 ApplicationStatus.RESUBMITTED, ApplicationStatus.COMPLETE, ApplicationStatus.VERIFIED,
                 ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED}


class AgencyError(PortalError):
    """A refused round, proposal or invitation, with a message for the user."""


class AgencyRefused(AgencyError, TransitionRefused):
    """A refused transition (the workflow core raises it: the machine's ``refused``)."""


def _round_ready(r: FundedRound, user, at) -> str | None:
    if not r.schemes.exists():
        return _("Choose at least one scheme the round pays for before opening it.")
    if not r.quotas.filter(places__gt=0).exists():
        return _("Give at least one agency funded places before opening the round.")
    return None


def _own_agency(user, proposal: Proposal) -> bool:
    agency = agency_of(user)
    return agency is not None and agency.pk == proposal.cohort.agency_id


def _invitee(p: Proposal, user, at) -> str | None:
    """The person proposed: their profile (which pre-fills the application) holds the proposed NIP; a person the
    portal did not know when proposed works at the agency by the roster, or else by their own profile."""
    profile = getattr(user, "applicant_profile", None)
    if profile is None:
        return _("Fill in your profile with NIP %(nip)s first: it pre-fills the application.") % {"nip": p.nip}
    if profile.nip != p.nip:
        return _("This invitation is for NIP %(nip)s; your profile has another NIP.") % {"nip": p.nip}
    if p.needs_confirmation and not p.confirmed_at:
        return _agency_not_confirmed(p, profile)
    return None


def _agency_not_confirmed(p: Proposal, profile) -> str | None:
    agency = p.cohort.agency
    if roster.standings(agency, [p.nip]).get(p.nip) == roster.OURS:
        return None
    if roster.roster_agency(p.nip) is not None:
        return _("The province's roster lists you at another agency, so %(agency)s cannot fund you: decline the "
                 "proposal, or ask the BKPSDM to correct the roster.") % {"agency": agency}
    return _("Your profile names %(unit)s as your agency. If you work at %(agency)s, choose it in your profile "
             "first; if you do not, decline the proposal.") % {"unit": profile.org_unit or "—", "agency": agency}


def _decliner(user, p: Proposal) -> bool:
    """The person the invitation is for: their profile holds its NIP, or (no profile yet) the account is the
    e-mail address it was sent to."""
    profile = getattr(user, "applicant_profile", None)
    if profile is not None:
        return profile.nip == p.nip
    return bool(user.email) and user.email.casefold() == p.email.casefold() and user.email_verified_at is not None


def _place_not_used(p: Proposal, user, at) -> str | None:
    app = p.application
    if app is not None and app.status not in NOT_YET_NAMED:
        return _("%(name)s is already named as a participant; the funded place is used and the proposal can no "
                 "longer be withdrawn.") % {"name": p.name}
    return None


def _application_given(p: Proposal, changes: dict, at) -> str | None:
    app = changes.get("application")
    if app is None or app.scheme.code != p.cohort.scheme.code:
        return _("The application must be for the proposed scheme, %(scheme)s.") % {"scheme": p.cohort.scheme}
    return None


# What follows a proposal's "applied" in the rooms above the machine (the letters room: the letters signed so far
# join the new application), provided from AgenciesConfig.ready() so that the machine imports none of them.
ON_APPLIED: ExtensionPoint[Callable[[Proposal], None]] = ExtensionPoint(
    "agencies.proposal_applied", "fn(proposal) -> None: run after a proposal's person started their application "
    "from the invitation (the letters signed so far join it)", required=True, many=True)


def _letters_join(p: Proposal, moved) -> None:
    """The person started their application from the invitation: what the rooms above do then."""
    for fn in ON_APPLIED.all():
        fn(p)


ROUND_TRANSITIONS = [
    Transition("opened", {RoundStatus.DRAFT}, RoundStatus.OPEN, gettext_lazy("opened for proposals"),
               gettext_lazy("Open the round"), ADMIN, guard=_round_ready, stamp="opened_at",
               url_name="agencies:round-open"),
    Transition("closed", {RoundStatus.OPEN}, RoundStatus.CLOSED, gettext_lazy("closed"),
               gettext_lazy("Close the round"), ADMIN, stamp="closed_at", url_name="agencies:round-close"),
    Transition("reopened", {RoundStatus.CLOSED}, RoundStatus.OPEN, gettext_lazy("re-opened"),
               gettext_lazy("Re-open the round"), ADMIN, needs_reason=True,
               reason_prompt=gettext_lazy("Say why the round is re-opened."), url_name="agencies:round-reopen"),
]

PROPOSAL_TRANSITIONS = [
    Transition("invited", {P.PROPOSED}, P.INVITED, gettext_lazy("invited to apply"),
               gettext_lazy("Send the invitation"), OFFICER, allowed=_own_agency, stamp="invited_at"),
    Transition("applied", {P.INVITED}, P.APPLIED, gettext_lazy("application started from the invitation"),
               gettext_lazy("Start my application"), (Role.APPLICANT,), guard=_invitee,
               validate=_application_given, stamp="applied_at", notices=(_letters_join,)),
    Transition("declined", {P.INVITED}, P.DECLINED, gettext_lazy("declined by the person"),
               gettext_lazy("Decline the proposal"), (Role.APPLICANT,), allowed=_decliner, stamp="declined_at"),
    Transition("withdrawn", {P.PROPOSED, P.INVITED, P.APPLIED}, P.WITHDRAWN, gettext_lazy("proposal withdrawn"),
               gettext_lazy("Withdraw the proposal"), OFFICER, allowed=_own_agency, guard=_place_not_used,
               needs_reason=True, reason_prompt=gettext_lazy("Say why the proposal is withdrawn."),
               stamp="withdrawn_at", url_name="agencies:proposal-withdraw"),
]

OTHER_ACTIONS = {"proposed": gettext_lazy("proposed by the agency")}

ROUND_MACHINE = Machine(model=FundedRound, states=RoundStatus, transitions=ROUND_TRANSITIONS, refused=AgencyRefused,
                        labels={"created": gettext_lazy("round created"),
                                "quotas_set": gettext_lazy("funded places set")})
PROPOSAL_MACHINE = Machine(model=Proposal, states=ProposalStatus, transitions=PROPOSAL_TRANSITIONS,
                           refused=AgencyRefused, labels=OTHER_ACTIONS)
