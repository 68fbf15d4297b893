"""The competence map of an agency (issue 29 item 5, bounded by issue 47): per position (*jabatan*) of its staff,
the schemes the agency recorded that the position needs, who holds them with a valid certificate, who lacks them,
and the competency units still missing.

A province's agency has thousands of staff (12,000 at the national size of the harness), so the map is drawn in two
steps, each reading the agency's own rows off indexes (its roster entries and the certificates' agency stamp), never
every profile or certificate of the province:

- :func:`summary`: one card per position with counts, and the names of holders and of those lacking a need up to
  :data:`NAMES_SHOWN` per cell; computed over every person of the agency and kept per agency and day
  (``certportal.figures``, namespace :data:`agencies.roster.FIGURES`, forgotten by any change of a certificate,
  profile, roster entry or position need), so a view reads it from the cache.
- :func:`position_people`: one position's people, a page of :data:`PEOPLE_PER_PAGE` at a time, each with the
  schemes held, lacking and the units missing (the per-person table the map used to draw in full).

:func:`everyone` gives every person's row for the export (a download, not a page view).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.paginator import Paginator

from applicants.models import Agency, ApplicantProfile
from assessments.certificates.models import Certificate
from certportal import figures
from schemes.models import SchemeUnit

from .models import PositionNeed
from .people import group_filter
from .roster import FIGURES, staff_q

NAMES_SHOWN = 30  # names per cell of the map; the rest are counted and listed on the position's own page
PEOPLE_PER_PAGE = 50


def key_of(position: str) -> str:
    """One position however it is spelt: spaces collapsed, case folded."""
    return " ".join(position.split()).casefold()


@dataclass
class Person:
    name: str
    nip: str
    held: list[str] = field(default_factory=list)  # scheme codes held (valid certificates)
    missing: list[str] = field(default_factory=list)  # scheme codes the position needs and they lack
    missing_units: list[str] = field(default_factory=list)  # unit codes of those, not held through another scheme


@dataclass
class Need:
    code: str
    name: str
    need_id: int
    holders: list[str] = field(default_factory=list)  # the first NAMES_SHOWN names
    lacking: list[str] = field(default_factory=list)
    holders_count: int = 0
    lacking_count: int = 0

    @property
    def holders_more(self) -> int:
        return self.holders_count - len(self.holders)

    @property
    def lacking_more(self) -> int:
        return self.lacking_count - len(self.lacking)


@dataclass
class PositionMap:
    position: str  # as the first person (or need) of the position spells it
    key: str
    spellings: set[str] = field(default_factory=set)  # every spelling of the position among the staff
    count: int = 0  # people holding the position
    needs: list[Need] = field(default_factory=list)
    units_lacking: list[tuple[str, str, int]] = field(default_factory=list)  # (code, title, people lacking it)
    also_held: list[str] = field(default_factory=list)  # schemes held here that the position does not need


@dataclass(frozen=True)
class _Row:
    user_id: int
    position: str
    name: str
    nip: str


class _Facts:
    """What the map is computed from for some people of an agency: their valid certificates, the agency's needs
    and the units of every scheme involved. Three queries, whatever the number of people."""

    def __init__(self, agency: Agency, today: datetime.date, users: list[int] | None = None):
        valid = (Certificate.objects.filter(agency=agency)  # the agency stamp (cert_agency_expiry_idx)
                 .filter(group_filter("valid", today) | group_filter("expiring", today)))
        if users is not None:
            valid = valid.filter(application__applicant_id__in=users)
        self.held: dict[int, dict[str, int]] = defaultdict(dict)  # user -> scheme code -> scheme version id
        for user_id, scheme_id, code in valid.values_list("application__applicant_id", "application__scheme_id",
                                                          "application__scheme__code"):
            self.held[user_id][code] = scheme_id
        self.needs: dict[str, list[tuple[PositionNeed, str]]] = defaultdict(list)
        for need in PositionNeed.objects.filter(agency=agency).select_related("scheme").order_by("scheme__code"):
            self.needs[key_of(need.position)].append((need, need.position))
        scheme_ids = ({n.scheme_id for needs in self.needs.values() for n, _p in needs}
                      | {s for codes in self.held.values() for s in codes.values()})
        self.units: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for scheme_id, code, title in (SchemeUnit.objects.filter(scheme_id__in=scheme_ids).order_by("position")
                                       .values_list("scheme_id", "unit__code", "unit__title")):
            self.units[scheme_id].append((code, title))

    def person(self, row: _Row, key: str) -> tuple[Person, list[tuple[str, str]]]:
        """The person's row of the map, and the units (code, title) they lack for what their position needs."""
        held = self.held[row.user_id]
        held_units = {code for scheme_id in held.values() for code, _title in self.units[scheme_id]}
        needs = [n for n, _p in self.needs[key]]
        missing = sorted({n.scheme.code for n in needs} - set(held))
        wanted = {u for n in needs if n.scheme.code in missing for u in self.units[n.scheme_id]}
        gaps = sorted(u for u in wanted if u[0] not in held_units)
        return Person(row.name, row.nip, sorted(held), missing, [code for code, _t in gaps]), gaps


def _rows(agency: Agency, positions: Iterable[str] | None = None) -> list[_Row]:
    qs = ApplicantProfile.objects.filter(staff_q(agency))
    if positions is not None:
        qs = qs.filter(position__in=list(positions))
    return [_Row(*values) for values in
            qs.order_by("full_name", "nip").values_list("user_id", "position", "full_name", "nip")]


def _compute(agency: Agency, today: datetime.date) -> list[PositionMap]:
    facts = _Facts(agency, today)
    maps: dict[str, PositionMap] = {}
    lacking_units: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    held_here: dict[str, set[str]] = defaultdict(set)
    for row in _rows(agency):
        key = key_of(row.position)
        position_map = maps.setdefault(key, PositionMap(row.position, key))
        if not position_map.needs:
            position_map.needs = [Need(n.scheme.code, n.scheme.name, n.pk) for n, _p in facts.needs[key]]
        position_map.spellings.add(row.position)
        position_map.count += 1
        person, gaps = facts.person(row, key)
        held_here[key].update(person.held)
        for unit in gaps:
            lacking_units[key][unit] += 1
        for need in position_map.needs:
            holds = need.code in person.held
            names = need.holders if holds else need.lacking
            if len(names) < NAMES_SHOWN:
                names.append(row.name)
            if holds:
                need.holders_count += 1
            else:
                need.lacking_count += 1
    for key, needs in facts.needs.items():  # a position the agency gave needs for and nobody holds yet
        if key not in maps:
            maps[key] = PositionMap(needs[0][1], key, needs=[Need(n.scheme.code, n.scheme.name, n.pk)
                                                             for n, _p in needs])
    for key, position_map in maps.items():
        position_map.units_lacking = [(code, title, n) for (code, title), n in sorted(lacking_units[key].items())]
        position_map.also_held = sorted(held_here[key] - {n.code for n in position_map.needs})
    return sorted(maps.values(), key=lambda m: m.key)


def summary(agency: Agency, today: datetime.date) -> list[PositionMap]:
    """Every position of the agency, with counts and the first names: kept per agency and day (module docstring)."""
    return figures.kept(FIGURES, ("competence", agency.pk, today), lambda: _compute(agency, today))


def position_people(agency: Agency, today: datetime.date, position_map: PositionMap, page_number) -> tuple:
    """The people of one position (``position_map`` from :func:`summary`), one page: (the page, its people).
    Five queries: the page's count and rows, then the facts of those people only."""
    qs = (ApplicantProfile.objects.filter(staff_q(agency), position__in=sorted(position_map.spellings))
          .order_by("full_name", "nip").values_list("user_id", "position", "full_name", "nip"))
    page = Paginator(qs, PEOPLE_PER_PAGE).get_page(page_number)
    rows = [_Row(*values) for values in page.object_list]
    facts = _Facts(agency, today, users=[r.user_id for r in rows])
    return page, [facts.person(row, position_map.key)[0] for row in rows]


def everyone(agency: Agency, today: datetime.date) -> list[tuple[str, Person]]:
    """(position, person) for every person of the agency, by position then name: the export's rows."""
    facts = _Facts(agency, today)
    rows = sorted(_rows(agency), key=lambda r: (key_of(r.position), r.name, r.nip))
    return [(row.position, facts.person(row, key_of(row.position))[0]) for row in rows]


def known_positions(maps: list[PositionMap]) -> list[str]:
    """The positions of the agency (for the need form's suggestions), one spelling each."""
    return sorted((m.position for m in maps), key=key_of)
