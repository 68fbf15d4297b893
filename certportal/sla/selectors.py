"""Read-only queries of the SLA area: the supervisor dashboard's figures and the calendar listing."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from . import services
from .models import CalendarDay, Clock, SlaPolicy
from .registry import describe, responsible_for
from .sweep import _objects_for, soon_dates

FINISHED = (Clock.Outcome.MET, Clock.Outcome.BREACHED)


def percentile(values: list[int], pct: float) -> float | None:
    """Nearest-rank percentile (the value a person can find in the sorted list)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(pct / 100 * len(ordered)) - 1, 0)]


def month_start(today: date, months_back: int) -> date:
    year, month = today.year, today.month - months_back + 1
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1)


@dataclass
class MonthRow:
    month: date
    policy_code: str
    policy_name: str
    total: int
    met: int
    within_target: int

    @property
    def compliance(self) -> float:
        return round(100 * self.met / self.total, 1) if self.total else 0.0


def compliance_by_month(since: date) -> list[MonthRow]:
    rows = (Clock.objects.filter(outcome__in=FINISHED, stop_date__gte=since)
            .annotate(month=TruncMonth("stop_date"))
            .values("month", "policy__code", "policy__name")
            .annotate(total=Count("id"), met=Count("id", filter=Q(outcome=Clock.Outcome.MET)),
                      within_target=Count("id", filter=Q(stop_date__lte=F("target_due"))))
            .order_by("month", "policy__code"))
    return [MonthRow(r["month"], r["policy__code"], r["policy__name"], r["total"], r["met"], r["within_target"])
            for r in rows]


@dataclass
class ServiceRow:
    policy: SlaPolicy
    total: int
    met: int
    average: float | None
    p90: float | None

    @property
    def compliance(self) -> float:
        return round(100 * self.met / self.total, 1) if self.total else 0.0


def completion_by_service(since: date) -> list[ServiceRow]:
    values: dict[int, list[int]] = defaultdict(list)
    met: Counter = Counter()
    rows = Clock.objects.filter(outcome__in=FINISHED, stop_date__gte=since).values_list(
        "policy_id", "elapsed_working_days", "outcome")
    for policy_id, elapsed, outcome in rows:
        values[policy_id].append(elapsed or 0)
        met[policy_id] += outcome == Clock.Outcome.MET
    result = []
    for policy in SlaPolicy.objects.all():
        days = values.get(policy.pk, [])
        avg = round(sum(days) / len(days), 1) if days else None
        result.append(ServiceRow(policy, len(days), met[policy.pk], avg, percentile(days, 90)))
    return result


@dataclass
class RiskRow:
    clock: Clock
    label: str
    url: str
    state: str
    people: list

    @property
    def state_label(self) -> str:
        return services.state_label(self.state)


def at_risk(today: date, limit: int = 100) -> tuple[list[RiskRow], int]:
    """Open, running items that are due soon or overdue now, most urgent first."""
    soon = soon_dates(today)
    per_policy = Q(pk__in=[])
    for policy_id, day in soon.items():
        per_policy |= Q(policy_id=policy_id, target_due__lte=day)
    qs = Clock.objects.filter(per_policy, outcome=Clock.Outcome.OPEN, paused_since__isnull=True,
                              target_due__lte=max(soon.values(), default=today))
    total = qs.count()
    clocks = list(qs.select_related("policy", "content_type").order_by("target_due", "pk")[:limit])
    objects = _objects_for(clocks)
    rows = []
    for clock in clocks:
        obj = objects.get((clock.content_type_id, clock.object_id))
        label, url = describe(obj) if obj is not None else (str(clock), "")
        state = services.OVERDUE if clock.target_due < today else services.DUE_SOON
        rows.append(RiskRow(clock, label, url, state, responsible_for(obj) if obj is not None else []))
    return rows, total


def breaches_by_member(since: date, today: date) -> list[tuple[str, int]]:
    """Items breached in the period (stopped after the limit, or still open past it), per responsible person."""
    clocks = list(Clock.objects.filter(
        Q(outcome=Clock.Outcome.BREACHED, stop_date__gte=since)
        | Q(outcome=Clock.Outcome.OPEN, limit_due__lt=today)).select_related("content_type"))
    objects = _objects_for(clocks)
    counts: Counter = Counter()
    for clock in clocks:
        obj = objects.get((clock.content_type_id, clock.object_id))
        people = responsible_for(obj) if obj is not None else []
        for person in people or [None]:
            counts[(person.full_name or person.email) if person else ""] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def dashboard(today: date, months: int = 12) -> dict:
    since = month_start(today, months)
    risk, risk_total = at_risk(today)
    return {
        "today": today, "since": since, "months": months,
        "by_month": compliance_by_month(since),
        "by_service": completion_by_service(since),
        "at_risk": risk, "at_risk_total": risk_total,
        "breaches": breaches_by_member(since, today),
    }


def calendar_entries(year: int):
    from . import calendar as cal

    cal.ensure_years([year])
    return CalendarDay.objects.filter(date__range=(date(year, 1, 1), date(year, 12, 31)))


def year_summary(year: int) -> dict:
    from . import calendar as cal

    first, last = date(year, 1, 1), date(year, 12, 31)
    calendar = cal.WorkCalendar.load(first, last)
    return {"working_days": calendar.between(first - timedelta(days=1), last)}
