"""The finished clocks' figures of the SLA dashboard (compliance per month and per service, breaches per type),
kept per closed period so that a recompute reads only today's stopped clocks.

A clock counts in the month of its stop date (a local date, Asia/Jakarta), and a finished clock (met or breached)
never changes through the services: ``start_clock`` returns it unchanged, and pausing, resuming, stopping and
cancelling need an open clock (a cancelled clock has no stop date and counts nowhere; restarted, it is open
again). So the figures of the days before today are final, and are kept: each closed month's, and the current
month's days before today (``FROZEN_SECONDS``). What could still change a day before today is a clock stopped with
a date in the past (``stop_clock(at=...)``), edited or deleted: then the months of its stop date as read and as
saved are forgotten (:func:`stop_dates_of`, :func:`forget`: a version per month, moved at once and again when the
transaction commits); a bulk write that sends no signal forgets them all. Each period's tally keeps per month and policy the counts and a histogram of the working
days taken (which the 90th percentile needs whole), and per content type the breaches.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, F, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from certportal import versions

from .models import Clock

FINISHED = (Clock.Outcome.MET, Clock.Outcome.BREACHED)
FROZEN_SECONDS = 40 * 86400  # kept past the longest month: a closed month's figures no longer change
GENERATION_KEY = "sla:frozen:generation"


@dataclass
class Cell:
    """One month and service: clocks finished, met, within the target, and the working days each took."""

    total: int = 0
    met: int = 0
    within_target: int = 0
    days: Counter = field(default_factory=Counter)

    def add(self, other: Cell) -> None:
        self.total += other.total
        self.met += other.met
        self.within_target += other.within_target
        self.days.update(other.days)


@dataclass
class Tally:
    """Finished clocks of a period: a :class:`Cell` per (month, policy id), breaches per content type id."""

    cells: dict[tuple[date, int], Cell] = field(default_factory=dict)
    breached: Counter = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        for key, cell in other.cells.items():
            self.cells.setdefault(key, Cell()).add(cell)
        self.breached.update(other.breached)


def tallies(start: date, end: date | None = None) -> dict[date, Tally]:
    """The finished clocks stopped from ``start`` to before ``end`` (or since ``start``), per month: one grouped
    query, a range of the ``(outcome, stop_date)`` index."""
    clocks = Clock.objects.filter(outcome__in=FINISHED, stop_date__gte=start)
    if end is not None:
        clocks = clocks.filter(stop_date__lt=end)
    rows = (clocks.annotate(month=TruncMonth("stop_date"), within=Case(
                When(stop_date__lte=F("target_due"), then=Value(True)), default=Value(False)))
            .values_list("month", "policy_id", "content_type_id", "outcome", "within", "elapsed_working_days")
            .annotate(n=Count("*")).order_by())
    found: dict[date, Tally] = {}
    for month, policy_id, ct_id, outcome, within, elapsed, n in rows:
        tally = found.setdefault(month, Tally())
        cell = tally.cells.setdefault((month, policy_id), Cell())
        cell.total += n
        cell.met += n if outcome == Clock.Outcome.MET else 0
        cell.within_target += n if within else 0
        cell.days[elapsed or 0] += n
        if outcome == Clock.Outcome.BREACHED:
            tally.breached[ct_id] += n
    return found


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_key(day: date) -> str:
    return f"sla:frozen:month:{day.year:04d}-{day.month:02d}"


def _frozen(since: date, today: date) -> Tally:
    """The kept tallies of the closed months from ``since`` and of this month's days before today; those not
    kept are computed in one query (a range from the first missing period to the end of the last)."""
    current = today.replace(day=1)
    periods, start = [], since
    while start < current:
        periods.append((start, _next_month(start)))
        start = periods[-1][1]
    if today > current:
        periods.append((current, today))
    moved = versions.current([GENERATION_KEY, *(_month_key(s) for s, _e in periods)])
    keys = {f"{_month_key(s)}:{moved[GENERATION_KEY]}:{moved[_month_key(s)]}:{e.toordinal()}": (s, e)
            for s, e in periods}
    found = cache.get_many(list(keys))
    missing = {key: period for key, period in keys.items() if key not in found}
    if missing:
        computed = tallies(min(s for s, _e in missing.values()), max(e for _s, e in missing.values()))
        kept = {key: computed.get(s, Tally()) for key, (s, _e) in missing.items()}
        cache.set_many(kept, FROZEN_SECONDS)
        found.update(kept)
    total = Tally()
    for tally in found.values():
        total.add(tally)
    return total


def finished_since(since: date, today: date) -> Tally:
    """Every clock finished from ``since`` (the first of a month): the kept periods before today, and today's
    (and any later stop date) read now. Without the dashboard's cache, all of it read now."""
    if not settings.SLA_DASHBOARD_CACHE_SECONDS:
        total = Tally()
        for tally in tallies(since).values():
            total.add(tally)
        return total
    total = _frozen(since, today)
    for tally in tallies(today).values():
        total.add(tally)
    return total


def stop_dates_of(clock: Clock) -> set[date] | None:
    """The stop dates a save or delete of ``clock`` may move figures from or to: as read and as it is now (None:
    any, when it was read without its stop date)."""
    read = getattr(clock, "stop_date_read", None)
    if read is not None and not isinstance(read, date):
        return None
    clock.stop_date_read = clock.stop_date
    return {day for day in (read, clock.stop_date) if day is not None}


def forget(stop_dates: set[date] | None) -> None:
    """Forget the kept figures of the months of ``stop_dates`` (None: of every month, as after a bulk write of
    clocks, which sends no signal). A stop dated today or later is in no kept period (they end before today): a
    clock stopped now forgets nothing kept. "Today" is taken when this runs, so a stop signed before midnight and
    committed after it forgets the month it closed."""
    if stop_dates is None:
        versions.move_now(GENERATION_KEY)
        return
    today = timezone.localdate()
    for month in {day.replace(day=1) for day in stop_dates if day < today}:
        versions.move_now(_month_key(month))
