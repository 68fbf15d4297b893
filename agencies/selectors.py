"""Reads of the agencies app: who speaks for which agency, what each person may see, places used in a round.

CONTRACT: :func:`cohorts_visible_to` and :func:`proposals_visible_to` are the only gates to cohorts and
proposals; an officer or head of a perangkat daerah sees their own agency's and nothing else.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet

from applicants.models import Agency, Application
from certportal.accounts.models import Role

from .models import PLACE_HOLDING, AgencyMembership, Cohort, FundedRound, Proposal, RoundQuota, RoundStatus

AGENCY_ROLES = (Role.AGENCY_OFFICER, Role.AGENCY_HEAD)
PROVINCE_WIDE = (Role.REGIONAL_SECRETARY, Role.LSP_ADMIN, Role.SUPERVISOR)


def agency_of(user) -> Agency | None:
    """The agency an officer or head of a perangkat daerah is scoped to; None for everyone else (the Sekretaris
    Daerah serves every agency of the province)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_agency_of", False)
    if cached is not False:
        return cached
    membership = AgencyMembership.objects.select_related("agency").filter(user=user).first()
    user._agency_of = membership.agency if membership else None
    return user._agency_of


def cohorts_visible_to(user) -> QuerySet[Cohort]:
    qs = Cohort.objects.select_related("agency", "round", "scheme", "created_by")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.has_role(*PROVINCE_WIDE):
        return qs
    agency = agency_of(user)
    if agency is not None and user.has_role(*AGENCY_ROLES):
        return qs.filter(agency=agency)
    return qs.none()


def proposals_visible_to(user) -> QuerySet[Proposal]:
    return Proposal.objects.filter(cohort__in=cohorts_visible_to(user)).select_related(
        "cohort__agency", "cohort__round", "cohort__scheme", "application")


def places_used(funded_round: FundedRound, agency) -> int:
    """The funded places of ``agency`` in the round held by proposals not withdrawn."""
    return Proposal.objects.filter(cohort__round=funded_round, cohort__agency=agency,
                                   status__in=PLACE_HOLDING).count()


def quota_places(funded_round: FundedRound, agency) -> int:
    quota = RoundQuota.objects.filter(round=funded_round, agency=agency).first()
    return quota.places if quota else 0


def quota_of(funded_round: FundedRound, agency, *, lock: bool = False) -> dict:
    """The agency's funded places in the round, how many are used and how many are left. ``lock`` locks the quota
    row (inside a transaction), so two officers proposing at once cannot both take the last place."""
    quotas = RoundQuota.objects.filter(round=funded_round, agency=agency)
    quota = (quotas.select_for_update() if lock else quotas).first()
    places = quota.places if quota else 0
    used = places_used(funded_round, agency)
    return {"agency": agency, "places": places, "used": used, "left": max(places - used, 0)}


def quota_table(funded_round: FundedRound) -> list[dict]:
    """Per agency with places in the round: the places, how many are used, how many are left."""
    used = dict(Proposal.objects.filter(cohort__round=funded_round, status__in=PLACE_HOLDING)
                .values_list("cohort__agency").annotate(n=Count("id")).values_list("cohort__agency", "n"))
    rows = []
    for quota in funded_round.quotas.select_related("agency"):
        n = used.get(quota.agency_id, 0)
        rows.append({"agency": quota.agency, "places": quota.places, "used": n, "left": max(quota.places - n, 0)})
    return rows


def open_places(user, *, today: datetime.date) -> list[tuple[FundedRound, dict]]:
    """The open rounds that give the user's agency places, each with the agency's row of :func:`quota_table`
    (places, used, left): three queries whatever the rounds, the agencies and the proposals, read once a request
    (the agency's home shows them and its work queue counts them)."""
    cached = getattr(user, "_open_places", None)
    if cached is not None and cached[0] == today:
        return cached[1]
    agency = agency_of(user)
    rounds = list(rounds_open_for(agency, today=today)) if agency else []
    places = dict(RoundQuota.objects.filter(round__in=rounds, agency=agency).values_list("round", "places"))
    used = dict(Proposal.objects.filter(cohort__round__in=rounds, cohort__agency=agency, status__in=PLACE_HOLDING)
                .values_list("cohort__round").annotate(n=Count("id")).values_list("cohort__round", "n"))
    found = [(r, {"agency": agency, "places": places[r.pk], "used": used.get(r.pk, 0),
                  "left": max(places[r.pk] - used.get(r.pk, 0), 0)}) for r in rounds if r.pk in places]
    user._open_places = (today, found)
    return found


def rounds_open_for(agency, *, today: datetime.date) -> QuerySet[FundedRound]:
    """The open rounds whose dates include ``today`` and that give ``agency`` places."""
    return (FundedRound.objects.filter(status=RoundStatus.OPEN, opens_on__lte=today, closes_on__gte=today,
                                       quotas__agency=agency, quotas__places__gt=0)
            .prefetch_related("schemes").distinct())


def proposal_for_application(app: Application) -> Proposal | None:
    """The (not withdrawn) proposal an application was started from: it carries the round; None for a
    self-funded applicant (seed 000: the participant pays), who applies outside any quota."""
    return (Proposal.objects.select_related("cohort__round", "cohort__agency")
            .filter(application=app).exclude(status="withdrawn").first())


def proposals_for_nip(nip: str) -> QuerySet[Proposal]:
    return Proposal.objects.filter(nip=nip).select_related("cohort__scheme", "cohort__agency", "cohort__round")


def already_proposed(funded_round: FundedRound, scheme, nips: list[str], *, agency=None) -> set[str]:
    """Those of ``nips`` already proposed (not withdrawn) for the scheme in the round, by ``agency`` or by any
    (another agency's proposal is named only of the agency's own people: ``agencies.importing``)."""
    qs = Proposal.objects.filter(cohort__round=funded_round, cohort__scheme__code=scheme.code, nip__in=nips,
                                 status__in=PLACE_HOLDING)
    return set((qs.filter(cohort__agency=agency) if agency is not None else qs).values_list("nip", flat=True))


def agency_people(agency) -> QuerySet:
    from certportal.accounts.models import User

    return User.objects.filter(agency_membership__agency=agency).filter(
        Q(role_links__role=Role.AGENCY_OFFICER) | Q(role_links__role=Role.AGENCY_HEAD)).distinct()
