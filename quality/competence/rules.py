"""What the LSP requires of its people, read from their records' dates (no query here: the callers hand the
records over, read once for a whole list).

The LSP's choices (docs/roles/quality.md), for its assessors beside the MET licence BNSP issues:

- a **witnessed assessment** every :data:`WITNESS_YEARS` years: an assessment observed by a lead assessor or a
  member of the LSP, not "not satisfactory";
- **monitoring** of their performance every :data:`MONITORING_YEARS` year (ISO/IEC 17024 6.2.2);
- **continuing professional development** of :data:`CPD_HOURS` hours in the last year (a rolling year: the hours of
  the activities dated within a year before today).

Each requirement has the day it runs out (``until``): a year (three for witnessing) after the last record that
counts, for CPD a year after the activity that completes the hours, counting back from the newest. Like the MET
licence (:data:`assessments.events.models.assessors.LICENCE_EXPIRING_DAYS`) the lists warn
:data:`EXPIRING_DAYS` days before; the periodic duties (:mod:`quality.system.duties`) remind their owners."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from assessments.events.models.assessors import LICENCE_EXPIRING_DAYS
from certportal.accounts.models import Role

from .models import Outcome, RecordKind

WITNESS_YEARS = 3
MONITORING_YEARS = 1
CPD_HOURS = 20
EXPIRING_DAYS = LICENCE_EXPIRING_DAYS
# whose competence the LSP keeps: its own personnel and the service's staff (not the applicants nor the agencies)
COMPETENCE_ROLES = (Role.LSP_ADMIN, Role.VERIFIER, Role.ASSESSOR, Role.TUK_HEAD, Role.QUALITY,
                    Role.COMPLAINT_OFFICER, Role.SUPERVISOR)
WRITERS = (Role.LSP_ADMIN, Role.QUALITY)  # who keeps the criteria and records (the others read their own)
ASSESSOR_KINDS = (RecordKind.WITNESSING, RecordKind.MONITORING, RecordKind.CPD)

STATES = {"valid": _("Up to date"), "expiring": _("Due soon"), "overdue": _("Overdue"),
          "missing": _("None recorded")}
COLOURS = {"valid": "success", "expiring": "warning", "overdue": "danger", "missing": "danger"}
NAMES = {"witnessing": _("Witnessed assessment"), "monitoring": _("Monitoring"),
         "cpd": _("Continuing professional development")}


def years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def state_on(until: datetime.date | None, today: datetime.date) -> str:
    if until is None:
        return "missing"
    if until < today:
        return "overdue"
    return "expiring" if until <= today + datetime.timedelta(days=EXPIRING_DAYS) else "valid"


@dataclass
class Standing:
    """One of an assessor's periodic requirements on a day: until when it holds, and its state."""

    code: str  # witnessing, monitoring, cpd
    until: datetime.date | None
    state: str
    hours: int | None = None  # CPD: the hours of the last year

    @property
    def name(self) -> str:
        return str(NAMES[self.code])

    @property
    def label(self) -> str:
        if self.code == "cpd" and self.state in ("overdue", "missing"):
            return str(_("Short: %(hours)s of %(needed)s hours") % {"hours": self.hours or 0, "needed": CPD_HOURS})
        return str(STATES[self.state])

    @property
    def colour(self) -> str:
        return COLOURS[self.state]

    @property
    def warns(self) -> bool:
        return self.state != "valid"


def _last_counted(records, kind: str) -> datetime.date | None:
    days = [r.done_on for r in records if r.kind == kind and r.outcome != Outcome.UNSATISFACTORY]
    return max(days, default=None)


def cpd_until(records) -> datetime.date | None:
    """A year after the activity that completes :data:`CPD_HOURS` hours, counting back from the newest."""
    total = 0
    for record in sorted((r for r in records if r.kind == RecordKind.CPD), key=lambda r: r.done_on, reverse=True):
        total += record.hours or 0
        if total >= CPD_HOURS:
            return years_after(record.done_on, 1)
    return None


def cpd_hours(records, today: datetime.date) -> int:
    return sum(r.hours or 0 for r in records
               if r.kind == RecordKind.CPD and r.done_on <= today <= years_after(r.done_on, 1))


def standings(records, today: datetime.date) -> list[Standing]:
    """An assessor's three periodic requirements on ``today``, from their records (any order)."""
    witnessed = _last_counted(records, RecordKind.WITNESSING)
    monitored = _last_counted(records, RecordKind.MONITORING)
    cpd = cpd_until(records)
    return [
        Standing("witnessing", years_after(witnessed, WITNESS_YEARS) if witnessed else None,
                 state_on(years_after(witnessed, WITNESS_YEARS) if witnessed else None, today)),
        Standing("monitoring", years_after(monitored, MONITORING_YEARS) if monitored else None,
                 state_on(years_after(monitored, MONITORING_YEARS) if monitored else None, today)),
        Standing("cpd", cpd, state_on(cpd, today), cpd_hours(records, today)),
    ]


def authorised_roles(records, today: datetime.date) -> set[str]:
    """The roles a person holds a current authorisation for."""
    return {r.role for r in records if r.kind == RecordKind.AUTHORISATION and r.done_on <= today
            and (r.valid_until is None or r.valid_until >= today)}


def criteria_of(criteria, roles) -> list:
    return [c for c in criteria if c.role in roles]


def met_criteria(records) -> set[int]:
    return {r.criterion_id for r in records if r.criterion_id}
