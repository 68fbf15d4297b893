"""What the agencies app adds to the applicants app's rules and reads (registered in ``AgenciesConfig.ready``).

- Naming participants respects the round: a funded applicant (started from an agency's proposal) is named only
  once the round has opened and within the fiscal year whose budget pays for it; a self-funded applicant (seed 000:
  the participant pays) is named outside any round.
- The naming page shows how each candidate is funded.
- Agency officers and heads see the applications started from their agency's proposals, of people who are the
  agency's by the rule of ``agencies.roster``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import RoundStatus
from .selectors import agency_of, proposal_for_application


def naming_refusal(app, user, at) -> str | None:
    proposal = proposal_for_application(app)
    if proposal is None:
        return None
    funded_round = proposal.cohort.round
    if funded_round.status == RoundStatus.DRAFT:
        return _("%(name)s is proposed in the round “%(round)s”, which is not open yet.") % {
            "name": app.applicant_name or app.applicant, "round": funded_round}
    if at.year > funded_round.fiscal_year:
        return _("%(name)s is funded by “%(round)s” from the budget of fiscal year %(year)d, which has ended; the "
                 "agency proposes them again in a round of this year, or they apply self-funded.") % {
            "name": app.applicant_name or app.applicant, "round": funded_round.name, "year": funded_round.fiscal_year}
    return None


def funding_label(app) -> str:
    proposal = proposal_for_application(app)
    if proposal is None:
        return _("Self-funded")
    return _("Funded: %(round)s (%(agency)s)") % {"round": proposal.cohort.round, "agency": proposal.cohort.agency}


def agency_applications(user, queryset):
    agency = agency_of(user)
    if agency is None:
        return queryset.none()
    from .roster import staff_q

    # started from its proposal, and its person now (agencies.roster): one who moved elsewhere is no longer shown
    return queryset.filter(agency_proposal__cohort__agency=agency).filter(staff_q(agency, "applicant"))


def pleno_interest(user, participants) -> str | None:
    """A member of an agency (its officer or head) has an interest in that agency's candidates: kept out of the
    pleno deciding them (ISO/IEC 17024 4.3, 9.4). Provided to ``assessments.events.hooks`` as ``interest_in``."""
    agency = agency_of(user)
    if agency is None:
        return None
    theirs = [p.name for p in participants if _of_agency(p.application, agency)]
    if not theirs:
        return None
    return _("%(name)s works at %(agency)s, the agency of %(who)s: the candidates' own agency does not decide on "
             "them.") % {"name": user.full_name, "agency": agency.name, "who": ", ".join(theirs)}


def _of_agency(app, agency) -> bool:
    """The application's agency is ``agency``: by its profile's unit, or by the agency that proposed it."""
    if app.org_unit == agency.name:
        return True
    proposal = proposal_for_application(app)
    return proposal is not None and proposal.cohort.agency_id == agency.pk
