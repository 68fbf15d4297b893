"""The agencies app's part of "download my data": the proposals of the person by their agency (matched by the
account, its confirmed e-mail address or its profile's NIP) and the agency an officer or head speaks for."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certportal.personal_data import Section

from .models import AgencyMembership, LetterCopy, Proposal, RosterEntry

EXPORTS = ["agencies.Proposal.email", "agencies.Proposal.invited_user", "agencies.Proposal.application",
           "agencies.AgencyMembership.user", "agencies.LetterCopy.proposal", "agencies.LetterCopy.file"]
NAMES = ["agencies.FundedRound.created_by", "agencies.Cohort.created_by", "agencies.PositionNeed.created_by",
         "agencies.CohortLetter.signed_by", "agencies.RosterImport.created_by"]


def collect(user) -> list[Section]:
    match = Q(invited_user=user) | Q(application__applicant=user)
    if user.email_verified_at:
        match |= Q(email__iexact=user.email)
    profile = getattr(user, "applicant_profile", None)
    if profile is not None:
        match |= Q(nip=profile.nip)
    proposals = Proposal.objects.filter(match).select_related("cohort__agency", "cohort__round", "cohort__scheme")
    memberships = AgencyMembership.objects.filter(user=user).select_related("agency")
    return [
        Section("agencies.proposals", _("Proposals by your agency"), [_proposal(p) for p in proposals]),
        Section("agencies.letters", _("Your agency's letters in your dossier"), [
            {"letter": c.letter.get_kind_display(), "number": c.letter.number, "signed_by": c.letter.signed_name,
             "signed_at": c.letter.signed_at, "status": c.letter.status, "file": c.file.original_name}
            for c in LetterCopy.objects.filter(proposal__in=proposals).select_related("letter", "file")]),
        Section("agencies.membership", _("The agency you act for"),
                [{"agency": m.agency.name, "position": m.position, "since": m.created_at} for m in memberships]),
        Section("agencies.roster", _("The province's roster of civil servants about you"),
                _roster(profile.nip) if profile is not None else []),
    ]


def _roster(nip: str) -> list[dict]:
    """The roster's entry of the person's NIP (imported from SIASN) and each change of it."""
    entry = RosterEntry.objects.select_related("agency").filter(nip=nip).first()
    if entry is None:
        return []
    return [{"nip": entry.nip, "name": entry.full_name, "agency": entry.agency.name, "unit": entry.unit,
             "position": entry.position, "rank": entry.rank, "education": entry.education_name or entry.education,
             "standing": entry.standing, "status": entry.status, "updated_at": entry.updated_at,
             "history": [{"at": c.at, "kind": c.kind, "changes": c.changes} for c in entry.changes.all()]}]


def _proposal(p: Proposal) -> dict:
    return {"agency": p.cohort.agency.name, "round": str(p.cohort.round), "scheme": p.cohort.scheme.code,
            "nip": p.nip, "name": p.name, "email": p.email, "status": p.status, "proposed_at": p.created_at,
            "invited_at": p.invited_at, "applied_at": p.applied_at, "withdrawn_at": p.withdrawn_at,
            "agency_confirmed_at": p.confirmed_at, "declined_at": p.declined_at}
