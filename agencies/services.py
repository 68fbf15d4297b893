"""Every write of the agencies app: rounds and their quotas, proposals and invitations, memberships.

Status changes go through the workflow core (:mod:`agencies.workflow`); the rest is audited here.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applicants.models import ApplicantProfile, Application
from applicants.services import application_start
from certportal import dates
from certportal.accounts.models import Role, User
from certportal.audit.services import audit_record
from certportal.lsp.licence import scope_refusal
from certportal.notifications.services import absolute_url, notify, render_message, send_email_later
from certportal.workflow import allowed_actions, transition

from . import importing, roster
from .models import AgencyMembership, Cohort, FundedRound, LetterStatus, Proposal, RoundQuota, RoundStatus
from .selectors import agency_of, places_used, quota_of
from .workflow import PROPOSAL_MACHINE, ROUND_MACHINE, AgencyError

INVITATION = "agencies/email/invitation"


# --- rounds (the LSP administrator) ---------------------------------------------------------------------------

def round_save(*, actor, name: str, fiscal_year: int, schemes, opens_on: datetime.date, closes_on: datetime.date,
               funded_round: FundedRound | None = None) -> FundedRound:
    """Create a round (a draft) or change its name, year, schemes and dates."""
    if closes_on < opens_on:
        raise AgencyError(_("The round cannot close before it opens."))
    with transaction.atomic():
        r = funded_round or FundedRound(created_by=actor)
        r.name, r.fiscal_year, r.opens_on, r.closes_on = name.strip(), fiscal_year, opens_on, closes_on
        r.save()
        r.schemes.set(schemes)
        audit_record(actor=actor, obj=r, action=ROUND_MACHINE.code("created"), to_state=r.status,
                     note=", ".join(s.code for s in schemes))
    return r


def round_set_quotas(funded_round: FundedRound, *, actor, places: dict) -> FundedRound:
    """Set the funded places per agency (``{agency: places}``); never below the places already used."""
    with transaction.atomic():
        FundedRound.objects.select_for_update().get(pk=funded_round.pk)
        for agency, n in places.items():
            used = places_used(funded_round, agency)
            if n < used:
                raise AgencyError(_("%(agency)s already uses %(used)d places in this round; its quota cannot be "
                                    "lowered to %(n)d.") % {"agency": agency, "used": used, "n": n})
            if n == 0 and not used:
                RoundQuota.objects.filter(round=funded_round, agency=agency).delete()
            else:
                RoundQuota.objects.update_or_create(round=funded_round, agency=agency, defaults={"places": n})
        note = "; ".join(f"{a}: {n}" for a, n in places.items())
        audit_record(actor=actor, obj=funded_round, action=ROUND_MACHINE.code("quotas_set"), note=note[:2000])
    return funded_round


def round_take(funded_round: FundedRound, action: str, *, actor, reason: str = "",
               ip: str | None = None) -> FundedRound:
    return transition(funded_round, action, user=actor, reason=reason, ip=ip)


# --- proposals (the agency officer) -------------------------------------------------------------------------

def _refuse_round(funded_round: FundedRound, scheme, today: datetime.date) -> None:
    if funded_round.status != RoundStatus.OPEN:
        raise AgencyError(_("The round “%(round)s” is not open for proposals.") % {"round": funded_round})
    if not funded_round.opens_on <= today <= funded_round.closes_on:
        raise AgencyError(_("The round “%(round)s” takes proposals from %(start)s to %(end)s.") % {
            "round": funded_round, "start": dates.day(funded_round.opens_on),
            "end": dates.day(funded_round.closes_on)})
    if not funded_round.schemes.filter(pk=scheme.pk).exists():
        raise AgencyError(_("The round “%(round)s” does not fund %(scheme)s.") % {
            "round": funded_round, "scheme": scheme.code})
    if refusal := scope_refusal(scheme.code):
        raise AgencyError(refusal)


def _refuse_over_quota(funded_round: FundedRound, agency, wanted: int, *, lock: bool = True) -> None:
    quota = quota_of(funded_round, agency, lock=lock)
    if quota["used"] + wanted > quota["places"]:
        raise AgencyError(ngettext(
            "%(agency)s has %(places)d funded places in “%(round)s” and %(used)d are used: %(left)d left for "
            "%(wanted)d person, %(over)d too many.",
            "%(agency)s has %(places)d funded places in “%(round)s” and %(used)d are used: %(left)d left for "
            "%(wanted)d people, %(over)d too many.", wanted) % {
            "agency": agency, "places": quota["places"], "round": funded_round, "used": quota["used"],
            "left": quota["left"], "wanted": wanted, "over": quota["used"] + wanted - quota["places"]})


def proposal_refusal(funded_round: FundedRound, scheme, agency, wanted: int, *,
                     today: datetime.date | None = None) -> str | None:
    """Why :func:`cohort_propose` would refuse ``wanted`` more proposals of ``agency`` now (the round not open, or
    not enough places left), or None: the preview shows it in place of its button, from the same rules."""
    try:
        _refuse_round(funded_round, scheme, today or timezone.localdate())
        _refuse_over_quota(funded_round, agency, wanted, lock=False)
    except AgencyError as exc:
        return exc.message
    return None


def cohort_propose(*, actor, funded_round: FundedRound, scheme, rows: list[importing.Row],
                   today: datetime.date | None = None) -> Cohort:
    """Propose the people of ``rows`` and invite each. Every row is checked again here, whatever the preview said;
    one faulty row, or one place too many, and nothing is saved. They join the round's open cohort of the scheme
    (:func:`open_cohort`), so people proposed one by one share the agency's letters."""
    agency = agency_of(actor)
    if agency is None or not actor.has_role(Role.AGENCY_OFFICER):
        raise AgencyError(_("Only an agency officer of a perangkat daerah proposes staff."))
    if not rows:
        raise AgencyError(_("Nobody to propose: every row has a problem, or the list is empty."))
    today = today or timezone.localdate()
    with transaction.atomic():
        _refuse_round(funded_round, scheme, today)
        _refuse_over_quota(funded_round, agency, len(rows))
        checked = importing.check_rows([importing.Row(**{**r.__dict__, "problems": []}) for r in rows],
                                       agency=agency, funded_round=funded_round, scheme=scheme, today=today)
        faulty = [r for r in checked if not r.ok]
        if faulty:
            raise AgencyError(_("Line %(line)d: %(problem)s") % {"line": faulty[0].line,
                                                                  "problem": faulty[0].problems[0]})
        cohort = open_cohort(agency, funded_round, scheme) or Cohort.objects.create(
            agency=agency, round=funded_round, scheme=scheme, created_by=actor)
        for row in checked:
            proposal = Proposal.objects.create(cohort=cohort, nip=row.nip, name=row.name, email=row.email.lower(),
                                               needs_confirmation=row.standing == roster.UNKNOWN)
            audit_record(actor=actor, obj=proposal, action=PROPOSAL_MACHINE.code("proposed"), to_state="proposed",
                         note=f"{funded_round} · {scheme.code}")
            _invite(proposal, actor=actor)
    return cohort


def open_cohort(agency, funded_round: FundedRound, scheme) -> Cohort | None:
    """The agency's cohort of the scheme in the round that no signed letter closes yet: new proposals join it
    (a cohort per latecomer would cost the Kepala PD and the Sekretaris Daerah four signatures each). Once one of
    its letters is signed, the people it lists are fixed and the next proposal starts a new cohort."""
    return (Cohort.objects.filter(agency=agency, round=funded_round, scheme=scheme)
            .exclude(letters__status=LetterStatus.SIGNED).order_by("-created_at", "-id").first())


def _invitee_account(proposal: Proposal) -> User | None:
    profile = ApplicantProfile.objects.select_related("user").filter(nip=proposal.nip).first()
    if profile is not None:
        return profile.user
    return User.objects.filter(email__iexact=proposal.email, is_active=True).first()


def invitation_url(proposal: Proposal) -> str:
    return reverse("agencies:invitation", args=[proposal.token])


def _invite(proposal: Proposal, *, actor) -> None:
    """The invitation: in the portal and by e-mail to an account that exists, else by e-mail to the address
    given (the link lets them register, and the notice appears in the portal once they have)."""
    user = _invitee_account(proposal)
    # Someone the portal did not know is not linked before they confirm the agency: the agency's pages and letters
    # read nothing of an account only its officer's typed address points to.
    transition(proposal, "invited", user=actor, invited_user=None if proposal.needs_confirmation else user)
    context = {"proposal": proposal, "agency": proposal.cohort.agency.name, "scheme": proposal.cohort.scheme,
               "round": proposal.cohort.round, "name": proposal.name}
    if user is not None:
        notify(user, template=INVITATION, context=context, url=invitation_url(proposal),
               key=f"agency-invitation:{proposal.pk}")
        return
    subject, body = render_message(INVITATION, {**context, "url": absolute_url(invitation_url(proposal))}, "id")
    send_email_later(to=[proposal.email], subject=subject, body=body)


def invitation_accept(proposal: Proposal, *, user, ip: str | None = None) -> Application:
    """The invited civil servant starts (or finds) their application for the proposed scheme from the invitation:
    the proposal is linked to it and so is the round. A second visit returns the same application."""
    if proposal.application_id and proposal.application.applicant_id == user.pk:
        return proposal.application
    action = allowed_actions(proposal, user, only=("applied",))["applied"]
    if not action.allowed:  # the same rule the invitation page applies to its button
        raise AgencyError(action.reason)
    confirmed = {"confirmed_at": timezone.now()} if proposal.needs_confirmation else {}
    with transaction.atomic():
        app = application_start(user=user, scheme=proposal.cohort.scheme)
        transition(proposal, "applied", user=user, ip=ip, application=app, invited_user=user, **confirmed)
    return app


def invitation_decline(proposal: Proposal, *, user, ip: str | None = None) -> Proposal:
    """The invited person declines (they do not work at the agency, or do not want it now): the proposal lapses
    and its place is free again; the agency learns nothing more of them."""
    return transition(proposal, "declined", user=user, ip=ip)


def proposal_withdraw(proposal: Proposal, *, actor, reason: str, ip: str | None = None) -> Proposal:
    """Withdraw a proposal (the place is freed); the person invited is told why."""
    with transaction.atomic():
        proposal = transition(proposal, "withdrawn", user=actor, reason=reason, ip=ip)
        if proposal.invited_user is not None:
            notify(proposal.invited_user, template="agencies/email/withdrawn",
                   context={"proposal": proposal, "agency": proposal.cohort.agency.name, "reason": reason,
                            "scheme": proposal.cohort.scheme}, key=f"agency-withdrawn:{proposal.pk}")
    return proposal


# --- memberships (the LSP administrator, through the staff form) ------------------------------------------------

def membership_save(*, actor, user, agency, position: str = "") -> AgencyMembership | None:
    """Scope an agency officer or head to their agency (None: the account no longer speaks for one)."""
    current = AgencyMembership.objects.filter(user=user).first()
    before = current.agency.name if current else ""
    if agency is None:
        if current is not None:
            current.delete()
            audit_record(actor=actor, obj=user, action="agencies.membership.saved", from_state=before)
        return None
    membership, _created = AgencyMembership.objects.update_or_create(
        user=user, defaults={"agency": agency, "position": position.strip()})
    if before != agency.name:
        audit_record(actor=actor, obj=user, action="agencies.membership.saved", from_state=before,
                     to_state=agency.name)
    user.__dict__.pop("_agency_of", None)
    return membership
