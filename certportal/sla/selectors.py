"""Read-only queries of the SLA area: the supervisor dashboard's figures and the calendar listing."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q

from certportal import versions

from . import periods, services
from .models import CalendarDay, Clock, SlaPolicy
from .periods import Tally
from .registry import describe, responsible_many, role_members, tracked_for
from .sweep import _objects_for, soon_dates

FINISHED = periods.FINISHED
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


def compliance_by_month(tally: Tally, policies: dict[int, SlaPolicy]) -> list[MonthRow]:
    """One row per month and service with a finished clock, by month and policy code."""
    rows = [MonthRow(month, policies[policy_id].code, policies[policy_id].name, cell.total, cell.met,
                     cell.within_target) for (month, policy_id), cell in tally.cells.items()]
    return sorted(rows, key=lambda row: (row.month, row.policy_code))


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


def completion_by_service(tally: Tally, policies: dict[int, SlaPolicy]) -> list[ServiceRow]:
    """Every policy (in code order) with its finished clocks: met, average and 90th percentile of the working
    days taken, from the histogram of the days."""
    days: dict[int, Counter] = defaultdict(Counter)
    met: Counter = Counter()
    for (_month, policy_id), cell in tally.cells.items():
        days[policy_id].update(cell.days)
        met[policy_id] += cell.met
    result = []
    for policy in policies.values():
        histogram = days.get(policy.pk, Counter())
        total = sum(histogram.values())
        avg = round(sum(d * n for d, n in histogram.items()) / total, 1) if total else None
        result.append(ServiceRow(policy, total, met[policy.pk], avg, _percentile(histogram, 90)))
    return result


def _percentile(histogram: Counter, pct: float) -> int | None:
    """:func:`percentile` of the values a histogram counts (value -> how many)."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(math.ceil(pct / 100 * total) - 1, 0)
    for value in sorted(histogram):
        rank -= histogram[value]
        if rank < 0:
            return value
    return None


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


def at_risk(today: date, limit: int = 100, members: dict | None = None) -> tuple[list[RiskRow], int]:
    """Open, running items that are due soon or overdue now, most urgent first.

    Queries: the count, the rows, then per tracked type the items (with their relations) and their
    responsible staff: constant, whatever the number of items."""
    soon = soon_dates(today)
    per_policy = Q(pk__in=[])
    for policy_id, day in soon.items():
        per_policy |= Q(policy_id=policy_id, target_due__lte=day)
    running = Clock.objects.filter(outcome=Clock.Outcome.OPEN, paused_since__isnull=True,
                                   target_due__lte=max(soon.values(), default=today))
    counted = running.aggregate(total=Count("pk", filter=per_policy), overdue=Count("pk", filter=Q(target_due__lt=today)),
                                due_today=Count("pk", filter=Q(target_due=today)))
    total = counted["total"]
    _keep_running_counts(today, (counted["overdue"], counted["due_today"]))  # the same scan: the work queue's
    qs = running.filter(per_policy)
    clocks = list(qs.select_related("policy").order_by("target_due", "pk")[:limit])
    objects = _objects_for(clocks)
    people = people_for(objects, members)
    rows = []
    for clock in clocks:
        key = (clock.content_type_id, clock.object_id)
        obj = objects.get(key)
        label, url = describe(obj) if obj is not None else (str(clock), "")
        state = services.OVERDUE if clock.target_due < today else services.DUE_SOON
        rows.append(RiskRow(clock, label, url, state, people.get(key, [])))
    return rows, total


def people_for(objects: dict[tuple[int, int], object], members: dict | None = None) -> dict[tuple[int, int], list]:
    """The responsible staff of each loaded item, resolved once per tracked type (``members``: of each role, read
    once per dashboard)."""
    by_type: dict[int, list] = defaultdict(list)
    for (ct_id, _pk), obj in objects.items():
        by_type[ct_id].append(obj)
    found = {}
    for ct_id, objs in by_type.items():
        for pk, users in responsible_many(type(objs[0]), objs, members).items():
            found[(ct_id, pk)] = users
    return found


def _person(user) -> str:
    return user.full_name or user.email


def breaches_by_member(tally: Tally, since: date, today: date, members: dict | None = None) -> list[tuple[str, int]]:
    """Items breached in the period (stopped after the limit, or still open past it), per responsible person.

    Counted per tracked type: the stopped ones from the kept tallies, the open ones in SQL (an index-only range of
    the open clocks past their limit); a type whose staff is a role is never loaded item by item (everyone with
    the role answers for each item). Other types load their breached items once, in one query (a range of that
    type in two partial indexes)."""
    per_type = Counter(tally.breached)
    per_type.update(dict(Clock.objects.filter(outcome=Clock.Outcome.OPEN, limit_due__lt=today).order_by()
                         .values_list("content_type_id").annotate(n=Count("*"))))
    counts: Counter = Counter()
    for ct_id, n in per_type.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        entry = tracked_for(model) if model is not None else None
        if entry is None:
            counts[""] += n
        elif entry.role:
            people = members.get(entry.role) if members is not None else None
            if people is None:
                people = role_members(entry.role)
                if members is not None:
                    members[entry.role] = people
            for person in people:
                counts[_person(person)] += n
            if not people:
                counts[""] += n
        else:
            _count_item_by_item(counts, model, Clock.objects.filter(content_type_id=ct_id).filter(
                Q(outcome=Clock.Outcome.BREACHED, stop_date__gte=since)
                | Q(outcome=Clock.Outcome.OPEN, limit_due__lt=today)))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _count_item_by_item(counts: Counter, model, clocks) -> None:
    """Each breached clock counts for its item's people: an item breached twice (two policies) counts twice."""
    per_item = Counter(clocks.values_list("object_id", flat=True))
    objs = list(model._default_manager.filter(pk__in=list(per_item))) if per_item else []
    people = responsible_many(model, objs)
    gone = sum(per_item.values()) - sum(per_item[obj.pk] for obj in objs)
    if gone:
        counts[""] += gone  # items deleted since: nobody answers for them any more
    for obj in objs:
        for person in people.get(obj.pk) or [None]:
            counts[_person(person) if person else ""] += per_item[obj.pk]


def dashboard(today: date, months: int = 12) -> dict:
    since = month_start(today, months)
    policies = {policy.pk: policy for policy in SlaPolicy.objects.all()}
    tally = periods.finished_since(since, today)
    members: dict[str, list] = {}  # the members of each role that answers for a kind of item, read once
    risk, risk_total = at_risk(today, members=members)
    return {
        "today": today, "since": since, "months": months,
        "by_month": compliance_by_month(tally, policies),
        "by_service": completion_by_service(tally, policies),
        "at_risk": risk, "at_risk_total": risk_total,
        "breaches": breaches_by_member(tally, since, today, members),
    }


def dashboard_changed(instance: Clock | None = None, **_kwargs) -> None:
    """Forget every kept dashboard, and the kept figures of the months ``instance``'s stop date was and is in
    (a signal receiver: any clock saved or deleted); without ``instance`` (a bulk writer calls it), every month's.
    At once, and again when the transaction commits: a dashboard computed meanwhile from what was committed
    before is not kept under the new version."""
    stop_dates = periods.stop_dates_of(instance) if instance is not None else None

    def forget() -> None:
        versions.move_now(DASHBOARD_VERSION_KEY)
        periods.forget(stop_dates)

    forget()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(forget)


def running_counts(today: date) -> tuple[int, int]:
    """(overdue, due today) of the running clocks, for the supervisor's work queue: kept with the dashboard (the
    same for every supervisor, forgotten with it when any clock is saved or deleted; a recompute of the dashboard
    counts them in its own scan). Counted on each view, they read every overdue clock (60 ms at 200,000)."""
    seconds = settings.SLA_DASHBOARD_CACHE_SECONDS
    key = f"sla:running:{dashboard_version()}:{today.isoformat()}"
    found = cache.get(key) if seconds else None
    if found is None:
        running = Clock.objects.filter(outcome=Clock.Outcome.OPEN, paused_since__isnull=True, target_due__lte=today)
        counted = running.aggregate(overdue=Count("pk", filter=Q(target_due__lt=today)),
                                    due_today=Count("pk", filter=Q(target_due=today)))
        found = counted["overdue"], counted["due_today"]
        _keep_running_counts(today, found)
    return found


def _keep_running_counts(today: date, counts: tuple[int, int]) -> None:
    if settings.SLA_DASHBOARD_CACHE_SECONDS:
        cache.set(f"sla:running:{dashboard_version()}:{today.isoformat()}", counts,
                  settings.SLA_DASHBOARD_CACHE_SECONDS)


def dashboard_version() -> int:
    """The kept dashboard's version: any clock saved or deleted moves it."""
    return versions.current([DASHBOARD_VERSION_KEY])[DASHBOARD_VERSION_KEY]


def dashboard_key(today: date, months: int) -> str:
    """The kept dashboard's name: its version (any clock saved or deleted moves it), day, period, language and
    working calendar."""
    from django.utils.translation import get_language

    from .calendar import stamp

    return f"sla:dashboard:{dashboard_version()}:{today.isoformat()}:{months}:{get_language()}:{stamp()}"


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
