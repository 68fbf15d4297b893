"""Reads of the competence records: the list of people in a constant number of queries whatever their number, a
person's page, and the assessors' periodic requirements for the duties."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from assessments.models import Assessor
from certportal.accounts.models import Role, UserRole

from . import rules
from .models import CompetenceCriterion, CompetenceRecord


def may_write(user) -> bool:
    return bool(user.is_authenticated and user.has_role(*rules.WRITERS))


def may_read_person(user, person) -> bool:
    return may_write(user) or (user.is_authenticated and user.pk == person.pk)


def people(role: str = "") -> QuerySet:
    """Active people holding a role whose competence the LSP keeps, their roles and assessor read with them."""
    roles = [role] if role in rules.COMPETENCE_ROLES else list(rules.COMPETENCE_ROLES)
    return (get_user_model().objects.filter(is_active=True, role_links__role__in=roles).distinct()
            .select_related("assessor").order_by("full_name", "pk")
            .prefetch_related(Prefetch("role_links", queryset=UserRole.objects.order_by("role"))))


def active_criteria() -> list[CompetenceCriterion]:
    return list(CompetenceCriterion.objects.filter(is_active=True))


def assessor_of(user):
    try:
        return user.assessor
    except get_user_model().assessor.RelatedObjectDoesNotExist:
        return None


@dataclass
class PersonRow:
    """A person on a day: their roles, the criteria of those roles met and missing, the roles not authorised and,
    for an assessor, the MET licence and the three periodic requirements."""

    person: object
    roles: list
    met: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    unauthorised: list = field(default_factory=list)
    standings: list = field(default_factory=list)
    assessor: object = None
    licence_state: str = ""

    @property
    def criteria_total(self) -> int:
        return len(self.met) + len(self.missing)

    @property
    def warnings(self) -> int:
        return len(self.missing) + len(self.unauthorised) + sum(s.warns for s in self.standings) + (
            self.licence_state in ("expiring", "expired"))


def row_for(person, records, criteria, today: datetime.date) -> PersonRow:
    roles = [link.role for link in person.role_links.all() if link.role in rules.COMPETENCE_ROLES]
    row = PersonRow(person, [Role(r) for r in roles])
    met = rules.met_criteria(records)
    for criterion in rules.criteria_of(criteria, roles):
        (row.met if criterion.pk in met else row.missing).append(criterion)
    authorised = rules.authorised_roles(records, today)
    row.unauthorised = [Role(r) for r in roles if r not in authorised]
    assessor = assessor_of(person)
    if Role.ASSESSOR in roles and assessor is not None:
        row.assessor, row.licence_state = assessor, assessor.licence_state(today)
        row.standings = rules.standings(records, today)
    return row


def rows(persons, today: datetime.date) -> list[PersonRow]:
    """The rows of a page of people: two queries whatever their number (the criteria, the records)."""
    persons = list(persons)
    criteria = active_criteria()
    records = defaultdict(list)
    for record in CompetenceRecord.objects.filter(person__in=[p.pk for p in persons]).only(
            "person_id", "kind", "done_on", "role", "criterion_id", "outcome", "hours", "valid_until"):
        records[record.person_id].append(record)
    return [row_for(p, records[p.pk], criteria, today) for p in persons]


def records_of(person) -> QuerySet:
    return (CompetenceRecord.objects.filter(person=person)
            .select_related("criterion", "by_user", "event__scheme", "scheme", "recorded_by")
            .prefetch_related("evidence"))


def assessor_standings(today: datetime.date) -> list[tuple]:
    """(assessor, standing) for every active assessor and each of their periodic requirements: two queries."""
    assessors = list(Assessor.objects.filter(is_active=True).select_related("user"))
    records = defaultdict(list)
    for record in CompetenceRecord.objects.filter(person__in=[a.user_id for a in assessors],
                                                  kind__in=rules.ASSESSOR_KINDS).only(
            "person_id", "kind", "done_on", "outcome", "hours"):
        records[record.person_id].append(record)
    return [(a, s) for a in assessors for s in rules.standings(records[a.user_id], today)]


def assessor_warnings(assessors, today: datetime.date) -> dict:
    """{assessor pk: [the standings that warn]} for a page of assessors: one query (``events.assessor_warnings``)."""
    records = defaultdict(list)
    for record in CompetenceRecord.objects.filter(person__in=[a.user_id for a in assessors],
                                                  kind__in=rules.ASSESSOR_KINDS).only(
            "person_id", "kind", "done_on", "outcome", "hours"):
        records[record.person_id].append(record)
    return {a.pk: [s for s in rules.standings(records[a.user_id], today) if s.warns] for a in assessors}
