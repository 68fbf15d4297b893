"""The agency's view of its people (issue 29 item 5): their applications, their certificates by state, the
surveillance due; the competence map of each position (*jabatan*) is :mod:`agencies.competence`.

An agency's people are the civil servants the rule of :mod:`agencies.roster` gives it: the province's roster lists
their NIP at the agency, or, for a NIP the roster lacks, their own profile names it. Having been proposed by the
agency adds nobody (a proposal of someone unknown is taken up only once the person confirms the agency in their
profile). Both are read as they are now: someone who moved to another agency shows on the new agency's pages, with
the certificates they hold.

CONTRACT: :func:`scope_of` is the only gate: an officer or head of a perangkat daerah sees their own agency and
nothing else (an account not linked to an agency sees nothing); the supervisor sees every agency, or the one they
choose, and so does the Sekretaris Daerah (the province). Every list here costs the same number of queries whatever its length.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from applicants.models import Agency, Application
from assessments.certificates.models import Certificate
from assessments.certificates.services.reminders import add_months
from assessments.certificates.services.surveillance import next_due
from certportal.accounts.models import Role
from schemes.models import Scheme

from .selectors import AGENCY_ROLES, agency_of

# The Sekretaris Daerah serves the whole province (docs/roles/agency.md): they read every agency's people, as the
# supervisor does, and record nothing (the position needs are the agency's own).
PROVINCE_READERS = (Role.SUPERVISOR, Role.REGIONAL_SECRETARY)
READERS = (*AGENCY_ROLES, *PROVINCE_READERS)
EXPIRING_MONTHS = 6  # "expiring" = valid and ending within this many months
SURVEILLANCE_AHEAD_DAYS = 30  # "surveillance due" = evidence missing for an anniversary within this many days
GROUPS = ("valid", "expiring", "suspended", "expired", "withdrawn", "surveillance")


@dataclass(frozen=True)
class Scope:
    """Whose people a reader sees: one agency, every agency (``everyone``), or nobody (neither)."""

    agency: Agency | None
    everyone: bool = False
    chooses: bool = False  # the supervisor may choose an agency

    @property
    def nobody(self) -> bool:
        return self.agency is None and not self.everyone


def scope_of(user, chosen: str | None = None) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(None)
    if user.has_role(*AGENCY_ROLES):
        return Scope(agency_of(user))
    if user.has_role(*PROVINCE_READERS):
        agency = Agency.objects.filter(pk=int(chosen)).first() if chosen and chosen.isdigit() else None
        return Scope(agency, everyone=agency is None, chooses=True)
    return Scope(None)


def _people(scope: Scope, path: str) -> Q | None:
    """The rows whose application (``path`` leads to it) is of a person of the scope now; None for nobody. The
    application's ``agency`` is the rule of :mod:`agencies.roster` kept up to date (``roster.restamp``): one
    agency's applications are read off an index, latest first, not tested one by one (issue 47)."""
    if scope.everyone:
        return Q()
    if scope.agency is None:
        return None
    return Q(**{f"{path}agency": scope.agency})


def applications_for(scope: Scope) -> QuerySet[Application]:
    qs = (Application.objects.select_related("scheme", "applicant__applicant_profile")
          .order_by("-updated_at", "-id"))
    match = _people(scope, "")
    if match is None:
        return qs.none()
    return qs.filter(match)


def certificates_for(scope: Scope) -> QuerySet[Certificate]:
    qs = (Certificate.objects.select_related("application__scheme", "application__applicant__applicant_profile")
          .order_by("expires_on", "id"))
    match = _people(scope, "")  # the certificate's own copy of its application's agency (cert_agency_expiry_idx)
    if match is None:
        return qs.none()
    return qs.filter(match)


def _suspended_now(today: datetime.date) -> Q:
    return Q(status=Certificate.Status.SUSPENDED) & (Q(suspended_until__isnull=True) | Q(suspended_until__gte=today))


def group_filter(group: str, today: datetime.date) -> Q:
    """The certificates of one state, as ``Certificate.state`` reads it, with "expiring" split off "valid"."""
    in_date = ~Q(status=Certificate.Status.WITHDRAWN) & Q(expires_on__gte=today)
    soon = add_months(today, EXPIRING_MONTHS)
    return {
        "withdrawn": Q(status=Certificate.Status.WITHDRAWN),
        "expired": ~Q(status=Certificate.Status.WITHDRAWN) & Q(expires_on__lt=today),
        "suspended": in_date & _suspended_now(today),
        "expiring": in_date & ~_suspended_now(today) & Q(expires_on__lte=soon),
        "valid": in_date & ~_suspended_now(today) & Q(expires_on__gt=soon),
    }[group]


def group_counts(certificates: QuerySet[Certificate], today: datetime.date) -> dict[str, int]:
    """How many certificates are in each state: one query."""
    return certificates.aggregate(**{g: Count("id", filter=group_filter(g, today)) for g in GROUPS[:-1]})


def group_of(cert: Certificate, today: datetime.date) -> str:
    state = cert.state(today)
    if state == "valid" and cert.expires_on <= add_months(today, EXPIRING_MONTHS):
        return "expiring"
    return state


def surveillance_due(certificates: QuerySet[Certificate], today: datetime.date) -> list[Certificate]:
    """In-date certificates of yearly-surveillance schemes whose next anniversary without evidence is past or
    within :data:`SURVEILLANCE_AHEAD_DAYS`, soonest first (``cert.surveillance_due``). Two queries."""
    horizon = today + datetime.timedelta(days=SURVEILLANCE_AHEAD_DAYS)
    candidates = (certificates.filter(application__scheme__surveillance=Scheme.Surveillance.YEARLY)
                  .filter(~Q(status=Certificate.Status.WITHDRAWN), expires_on__gte=today)
                  .prefetch_related("surveillance_reports"))
    due = []
    for cert in candidates:
        when = next_due(cert, {r.due_on for r in cert.surveillance_reports.all()})
        if when is not None and when <= horizon:
            cert.surveillance_due = when
            due.append(cert)
    return sorted(due, key=lambda c: (c.surveillance_due, c.pk))
