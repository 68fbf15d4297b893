"""Read-only queries of the SLA area: the supervisor dashboard's figures and the calendar listing."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from . import services
from .models import CalendarDay, Clock, SlaPolicy
from .registry import describe, responsible_many, role_members, tracked_for
from .sweep import _objects_for, soon_dates

FINISHED = (Clock.Outcome.MET, Clock.Outcome.BREACHED)
DASHBOARD_VERSION_KEY = "sla:dashboard:version"


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

    @property
    def people_shown(self) -> list:
        """A few names per row: a whole team (200 verifiers) in each of 100 rows made the page slow to read
        and to render."""
        return self.people[:PEOPLE_SHOWN]

    @property
    def people_more(self) -> int:
        return max(len(self.people) - PEOPLE_SHOWN, 0)


PEOPLE_SHOWN = 3


def at_risk(today: date, limit: int = 100) -> tuple[list[RiskRow], int]:
    """Open, running items that are due soon or overdue now, most urgent first.

    Queries: the count, the rows, then per tracked type the items (with their relations) and their
    responsible staff: constant, whatever the number of items."""
    soon = soon_dates(today)
    per_policy = Q(pk__in=[])
    for policy_id, day in soon.items():
        per_policy |= Q(policy_id=policy_id, target_due__lte=day)
    qs = Clock.objects.filter(per_policy, outcome=Clock.Outcome.OPEN, paused_since__isnull=True,
                              target_due__lte=max(soon.values(), default=today))
    total = qs.count()
    clocks = list(qs.select_related("policy").order_by("target_due", "pk")[:limit])
    objects = _objects_for(clocks)
    people = people_for(objects)
    rows = []
    for clock in clocks:
        key = (clock.content_type_id, clock.object_id)
        obj = objects.get(key)
        label, url = describe(obj) if obj is not None else (str(clock), "")
        state = services.OVERDUE if clock.target_due < today else services.DUE_SOON
        rows.append(RiskRow(clock, label, url, state, people.get(key, [])))
    return rows, total


def people_for(objects: dict[tuple[int, int], object]) -> dict[tuple[int, int], list]:
    """The responsible staff of each loaded item, resolved once per tracked type."""
    by_type: dict[int, list] = defaultdict(list)
    for (ct_id, _pk), obj in objects.items():
        by_type[ct_id].append(obj)
    found = {}
    for ct_id, objs in by_type.items():
        for pk, users in responsible_many(type(objs[0]), objs).items():
            found[(ct_id, pk)] = users
    return found


def _person(user) -> str:
    return user.full_name or user.email


def breaches_by_member(since: date, today: date) -> list[tuple[str, int]]:
    """Items breached in the period (stopped after the limit, or still open past it), per responsible person.

    Counted in SQL per tracked type; a type whose staff is a role is never loaded item by item (everyone with
    the role answers for each item). Other types load their breached items once, in one query."""
    breached = Clock.objects.filter(
        Q(outcome=Clock.Outcome.BREACHED, stop_date__gte=since) | Q(outcome=Clock.Outcome.OPEN, limit_due__lt=today))
    per_type = dict(breached.order_by().values_list("content_type_id").annotate(n=Count("id")))
    counts: Counter = Counter()
    for ct_id, n in per_type.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        entry = tracked_for(model) if model is not None else None
        if entry is None:
            counts[""] += n
        elif entry.role:
            members = role_members(entry.role)
            for person in members:
                counts[_person(person)] += n
            if not members:
                counts[""] += n
        else:
            _count_item_by_item(counts, model, breached.filter(content_type_id=ct_id))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _count_item_by_item(counts: Counter, model, clocks) -> None:
    ids = list(clocks.values_list("object_id", flat=True))
    objs = list(model._default_manager.filter(pk__in=ids)) if ids else []
    people = responsible_many(model, objs)
    if len(ids) > len(objs):
        counts[""] += len(ids) - len(objs)  # items deleted since: nobody answers for them any more
    for obj in objs:
        for person in people.get(obj.pk) or [None]:
            counts[_person(person) if person else ""] += 1


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


def dashboard_changed(**_kwargs) -> None:
    """Forget every kept dashboard (a signal receiver: any clock saved or deleted; bulk writers call it)."""
    try:
        cache.incr(DASHBOARD_VERSION_KEY)
    except ValueError:
        cache.set(DASHBOARD_VERSION_KEY, 2, None)


def dashboard_key(today: date, months: int) -> str:
    """The kept dashboard's name: its version (any clock saved or deleted moves it), day, period, language and
    working calendar."""
    from django.utils.translation import get_language

    from .calendar import stamp

    version = cache.get_or_set(DASHBOARD_VERSION_KEY, 1, None)
    return f"sla:dashboard:{version}:{today.isoformat()}:{months}:{get_language()}:{stamp()}"


def cached_dashboard(today: date, months: int = 12) -> dict:
    """:func:`dashboard`, kept ``SLA_DASHBOARD_CACHE_SECONDS`` per day, period, language and working calendar:
    its figures are the same for every reader (nothing personal), and computing them reads every open clock
    (0.2 s and more at 100,000 clocks). Any clock saved or deleted forgets them at once."""
    seconds = settings.SLA_DASHBOARD_CACHE_SECONDS
    if not seconds:
        return dashboard(today, months)
    key = dashboard_key(today, months)
    found = cache.get(key)
    if found is None:
        found = dashboard(today, months)
        cache.set(key, found, seconds)
    return found


def calendar_entries(year: int):
    from . import calendar as cal

    cal.ensure_years([year])
    return CalendarDay.objects.filter(date__range=(date(year, 1, 1), date(year, 12, 31)))


def year_summary(year: int) -> dict:
    from . import calendar as cal

    first, last = date(year, 1, 1), date(year, 12, 31)
    calendar = cal.WorkCalendar.load(first, last)
    return {"working_days": calendar.between(first - timedelta(days=1), last)}
