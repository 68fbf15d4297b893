"""The working-day calendar: weekly rule + dated exceptions, all in the database.

``add_working_days(d, n)`` is the n-th working day after ``d`` (``d`` itself not counted);
``working_days_between(a, b)`` counts the working days ``x`` with ``a < x <= b``;
``working_minutes_between(t0, t1)`` counts the minutes within office hours (``WorkWeek.office_start``/``office_end``,
default 08:00–16:00 local time) on working days, for time standards given in minutes or hours.
National holidays and joint leave (*cuti bersama*) of a year are copied from the ``holidays`` package
the first time that year is needed (the data migration seeds the current and next years up front).

The whole calendar (the weekly rule, the office hours, the few hundred dated exceptions, the seeded years) is small
and read on every queue page and for each done step of an event: it is kept in the cache for the day
(:func:`snapshot`) and forgotten as soon as an administrator changes it (``post_save``/``post_delete`` of
``CalendarDay``, ``WorkWeek``, ``SeededYear``, see ``SlaConfig.ready``), so a page reads it with no query and a
change is seen at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

DEFAULT_WEEKDAYS = [0, 1, 2, 3, 4]  # Monday to Friday
DEFAULT_OFFICE_HOURS = (time(8, 0), time(16, 0))  # WIB (settings.TIME_ZONE)
SEEDABLE_YEARS = range(2000, 2101)


def national_days(year: int) -> list[tuple[date, str, str]]:
    """(date, kind, name) for Indonesia's public holidays and joint leave in ``year``, from ``holidays``."""
    import holidays

    public = holidays.country_holidays("ID", years=year, categories=("public",), language="id")
    joint = holidays.country_holidays("ID", years=year, categories=("government",), language="id")
    days = [(d, "joint_leave", name) for d, name in joint.items()]
    days += [(d, "holiday", name) for d, name in public.items() if d not in joint]
    return sorted(days)


def seed_year(year: int, *, day_model=None, seeded_model=None) -> int:
    """Copy ``year``'s national days into the calendar once; returns how many days were added.

    Model classes may be passed in (the data migration uses its historical models).
    """
    if day_model is None:
        from .models import CalendarDay as day_model
        from .models import SeededYear as seeded_model
    if seeded_model.objects.filter(year=year).exists():
        return 0
    rows = [day_model(date=d, kind=kind, name=name[:200], source="seed") for d, kind, name in national_days(year)]
    try:
        with transaction.atomic():
            seeded_model.objects.create(year=year)
            # ignore_conflicts: a day an administrator entered before the seed keeps its entry
            day_model.objects.bulk_create(rows, ignore_conflicts=True)
    except IntegrityError:  # another process seeded the year at the same moment
        return 0
    forget()  # bulk_create sends no signal
    return len(rows)


CACHE_PREFIX = "sla:calendar:2:"  # 2: the snapshot holds the office hours (one kept before has none)
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Snapshot:
    """Everything the calendar holds: read with three queries, then kept in the cache for the day."""

    weekdays: tuple[int, ...]
    kinds: dict[date, str]
    years: frozenset[int]
    hours: tuple[time, time] = DEFAULT_OFFICE_HOURS  # (opens, closes) local time, :func:`office_hours`
    stamp: str = ""  # differs after every change: a key for figures cached from the calendar (queue counts)


def _cache_key() -> str:
    return f"{CACHE_PREFIX}{timezone.localdate().isoformat()}"


def _read() -> Snapshot:
    from .models import CalendarDay, SeededYear, WorkWeek

    week = WorkWeek.objects.filter(pk=1).first()
    weekdays = tuple(week.weekdays) if week and week.weekdays else tuple(DEFAULT_WEEKDAYS)
    return Snapshot(weekdays, dict(CalendarDay.objects.values_list("date", "kind")),
                    frozenset(SeededYear.objects.values_list("year", flat=True)), _hours(week), uuid.uuid4().hex[:12])


def _hours(week) -> tuple[time, time]:
    if week is None or not week.office_start or not week.office_end or week.office_end <= week.office_start:
        return DEFAULT_OFFICE_HOURS
    return week.office_start, week.office_end


def snapshot() -> Snapshot:
    """The calendar as of today, from the cache when a request of the day has read it already."""
    key = _cache_key()
    found = cache.get(key)
    if found is None:
        found = _read()
        cache.set(key, found, CACHE_SECONDS)
    return found


def stamp() -> str:
    return snapshot().stamp


def forget(**_kwargs) -> None:
    """Drop the cached calendar (a signal receiver too): now, and again when the change commits, so that no
    request can cache the old calendar in between."""
    key = _cache_key()
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def ensure_years(years: Iterable[int]) -> None:
    wanted = {y for y in years if y in SEEDABLE_YEARS}
    if not wanted or wanted <= snapshot().years:
        return
    from .models import SeededYear

    have = set(SeededYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    for year in sorted(wanted - have):
        seed_year(year)
    forget()


def working_weekdays() -> list[int]:
    return list(snapshot().weekdays)


@dataclass
class WorkCalendar:
    """The calendar loaded for a span of dates: answer many questions with one query."""

    first: date
    last: date
    weekdays: frozenset[int]
    off: set[date] = field(default_factory=set)
    on: set[date] = field(default_factory=set)

    @classmethod
    def load(cls, first: date, last: date) -> WorkCalendar:
        """The calendar from ``first`` to ``last``: no query when today's snapshot is cached."""
        from .models import CalendarDay

        ensure_years(range(first.year, last.year + 1))
        snap = snapshot()
        cal = cls(first, last, frozenset(snap.weekdays))
        for d, kind in snap.kinds.items():
            if first <= d <= last:
                (cal.on if kind == CalendarDay.Kind.WORKING else cal.off).add(d)
        return cal

    def covers(self, d: date) -> bool:
        return self.first <= d <= self.last

    def is_working(self, d: date) -> bool:
        if d in self.on:
            return True
        return d not in self.off and d.weekday() in self.weekdays

    def add(self, start: date, n: int) -> date | None:
        """The n-th working day after ``start``, or None when it falls beyond the loaded span."""
        d, count = start, 0
        while count < n:
            d += timedelta(days=1)
            if d > self.last:
                return None
            if self.is_working(d):
                count += 1
        return d

    def between(self, start: date, end: date) -> int:
        """The working days after ``start`` up to ``end``: whole weeks counted by arithmetic (each holds every
        weekday once), then the days left over, then the calendar's days off and working days in the range (a
        deadline a year away was a walk of 365 days, for each such row of a page)."""
        days = (end - start).days
        if days <= 0:
            return 0
        weeks, rest = divmod(days, 7)
        count = weeks * len(self.weekdays)
        count += sum((start.weekday() + i) % 7 in self.weekdays for i in range(1, rest + 1))
        for d in self.off:
            if start < d <= end and d not in self.on and d.weekday() in self.weekdays:
                count -= 1
        for d in self.on:
            if start < d <= end and d.weekday() not in self.weekdays:
                count += 1
        return count


def _span_for(n: int) -> int:
    return n * 2 + 45  # enough for Eid al-Fitr's week of leave plus weekends, in almost every case


def add_working_days(start: date, n: int, calendar: WorkCalendar | None = None) -> date:
    if calendar is not None and calendar.covers(start):
        found = calendar.add(start, n)
        if found is not None:
            return found
    span = _span_for(n)
    while True:
        found = WorkCalendar.load(start, start + timedelta(days=span)).add(start, n)
        if found is not None:
            return found
        if span > 366 * 20:
            raise ValueError("No working days in the calendar")
        span *= 2


def working_days_between(start: date, end: date, calendar: WorkCalendar | None = None) -> int:
    if end <= start:
        return 0
    if calendar is None or not (calendar.covers(start) and calendar.covers(end)):
        calendar = WorkCalendar.load(start, end)
    return calendar.between(start, end)


def is_working_day(d: date) -> bool:
    return WorkCalendar.load(d, d).is_working(d)


def office_hours() -> tuple[time, time]:
    """(start, end) of the working day, local time; the default when the work week was never set. Read off the
    calendar's snapshot: an event's page times each of its steps (it read the work week once a step)."""
    return snapshot().hours


def working_minutes_between(start: datetime, end: datetime, calendar: WorkCalendar | None = None,
                            hours: tuple[time, time] | None = None) -> int:
    """Minutes between two moments that fall within office hours on working days (a step done at 09:00 the next
    working morning after one started at 15:30 took 90 working minutes, not 17½ hours)."""
    from django.utils import timezone

    if end <= start:
        return 0
    start, end = timezone.localtime(start), timezone.localtime(end)
    if calendar is None or not (calendar.covers(start.date()) and calendar.covers(end.date())):
        calendar = WorkCalendar.load(start.date(), end.date())
    opens, closes = hours or office_hours()
    total, day = 0.0, start.date()
    while day <= end.date():
        if calendar.is_working(day):
            lo = max(start, datetime.combine(day, opens, tzinfo=start.tzinfo))
            hi = min(end, datetime.combine(day, closes, tzinfo=start.tzinfo))
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return int(total // 60)
