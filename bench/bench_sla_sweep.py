"""Benchmark: the SLA reminder sweep over 100,000 open items, against an indexed count query in the same run.

    .venv/bin/python bench/bench_sla_sweep.py [--items 100000] [--due-percent 1] [--repeat 5]
    .venv/bin/python bench/bench_sla_sweep.py --tiny    # 200 items, seconds (the CI's run)

Builds its data in a throwaway PostgreSQL database (``cp_bench_sla_<pid>`` on the server of DATABASE_URL,
default postgres://postgres@127.0.0.1:5432; SQLite in a temporary folder when no server answers), and prints

* baseline: ``SELECT count(*)`` of open clocks due by today (one indexed query);
* the sweep when nothing is due, first with 10% of the items, then with all of them (the cost must not grow);
* the sweep when 1% is due (every due item gets one notice: claim row + in-portal notification + e-mail,
  e-mail kept in memory), and the sweep run again right after (nothing left to send).

Each figure is the median of ``--repeat`` runs (the first 1%-due sweep runs once: it changes the data), with its
ratio to the baseline. Exit status 1 when the nothing-due sweep runs more queries with all the items than with a
tenth. The database is dropped at the end.
"""

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _db import run_in_process, timed  # noqa: E402


def build(start: int, count: int, today, policy, staff) -> None:
    """``count`` tracked items (User rows) with an open clock each, due 10 to 30 working days from now."""
    from django.contrib.contenttypes.models import ContentType

    from certportal.accounts.models import User
    from certportal.sla.models import Clock

    ct = ContentType.objects.get_for_model(User)
    users = User.objects.bulk_create(
        [User(email=f"item{i}@bench.go.id", full_name=f"Item {i}", password="!") for i in range(start, start + count)],
        batch_size=5000)
    now = __import__("django.utils.timezone", fromlist=["now"]).now()
    Clock.objects.bulk_create([
        Clock(content_type=ct, object_id=u.pk, policy=policy, target_days=14, limit_days=30, started_at=now,
              start_date=today, target_due=today + timedelta(days=14 + i % 20),
              limit_due=today + timedelta(days=42 + i % 20))
        for i, u in enumerate(users)], batch_size=5000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--due-percent", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--tiny", action="store_true", help="200 items, one run of each (the CI's run)")
    args = parser.parse_args()
    if args.tiny:
        args.items, args.repeat = 200, 1

    run_in_process("cp_bench_sla", run, args)


def queries(fn) -> int:
    """How many queries ``fn`` runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def run(args) -> int:
    """Measure; print; return 1 when the nothing-due sweep's query count grew with the items (else 0)."""
    from django.core import mail
    from django.db import connection

    from certportal.accounts.models import Role, User, UserRole
    from certportal.sla.models import Clock, SlaPolicy
    from certportal.sla.registry import register_tracked
    from certportal.sla.services import local_date
    from certportal.sla.sweep import run_sweep

    mail.outbox = []
    today = local_date()
    staff = User.objects.create(email="staff@bench.go.id", full_name="Staff", password="!")
    boss = User.objects.create(email="boss@bench.go.id", full_name="Boss", password="!")
    UserRole.objects.create(user=boss, role=Role.SUPERVISOR)
    register_tracked(User, responsible=lambda obj: [staff], label=lambda obj: obj.full_name, url=lambda obj: "/")
    policy = SlaPolicy.objects.get(code="certification")
    run_sweep(today)  # seed the calendar years and warm up

    def baseline():
        Clock.objects.filter(outcome=Clock.Outcome.OPEN, target_due__lte=today).count()

    def analyze():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE sla_clock; ANALYZE sla_notice")

    small = args.items // 10
    figures = {}
    for first, count in ((0, small), (small, args.items - small)):
        build(first, count, today, policy, staff)
        analyze()
        figures[first + count] = (timed(baseline, args.repeat * 4), timed(lambda: run_sweep(today), args.repeat),
                                  queries(lambda: run_sweep(today)))
    return send_and_report(args, connection, today, figures)


def send_and_report(args, connection, today, figures: dict[int, tuple[float, float, int]]) -> int:
    """Make 1 % due, sweep (sending), sweep again; print every figure and the plans of the selections."""
    from django.core import mail

    from certportal.sla.models import Clock, Notice
    from certportal.sla.sweep import candidates, run_sweep, soon_dates

    plans = explain_selections(connection, candidates, soon_dates, today)
    due = int(args.items * args.due_percent / 100)
    ids = list(Clock.objects.order_by("?").values_list("pk", flat=True)[:due])
    Clock.objects.filter(pk__in=ids).update(target_due=today - timedelta(days=1))
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE sla_clock")
    start = time.perf_counter()
    result = run_sweep(today)
    first = time.perf_counter() - start
    again = timed(lambda: run_sweep(today), args.repeat)
    assert result.total == due == Notice.objects.count() == len(mail.outbox), (result.total, due)

    (small, (base_small, idle_small, q_small)), (items, (base, idle, q_all)) = sorted(figures.items())
    print(f"database: {connection.vendor}; open items: {items:,}; due: {due:,} ({args.due_percent}%)")
    rows = [
        (f"baseline: indexed count of due clocks ({small:,} items)", base_small, base_small),
        (f"baseline: indexed count of due clocks ({items:,} items)", base, base),
        (f"sweep, nothing due ({small:,} items, {q_small} queries)", idle_small, base_small),
        (f"sweep, nothing due ({items:,} items, {q_all} queries)", idle, base),
        (f"sweep, {due:,} due: sends {result.total:,} notices", first, base),
        ("sweep again right after (nothing left to send)", again, base),
    ]
    for label, seconds, ref in rows:
        print(f"{label:<58} {seconds * 1000:10.2f} ms   x{seconds / ref:8.1f} baseline")
    print(f"per notice sent: {first / max(result.total, 1) * 1000:.2f} ms; "
          f"nothing-due sweep 100% vs 10% of items: x{idle / idle_small:.2f}")
    for threshold, lines in plans.items():
        print(f"selection '{threshold}' with nothing due ({items:,} items):\n  " + "\n  ".join(lines))
    if q_small != q_all:
        print(f"FAILED the nothing-due sweep ran {q_small} queries at {small:,} items and {q_all} at {items:,}")
        return 1
    return 0


def explain_selections(connection, candidates, soon_dates, today) -> dict[str, list[str]]:
    """PostgreSQL's plan and timing of each selection the sweep makes (index scans, whatever the table size)."""
    if connection.vendor != "postgresql":
        return {}
    plans = {}
    for threshold in ("escalated", "overdue", "due_soon"):
        sql, params = candidates(threshold, today, soon_dates(today)).query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params)
            lines = [row[0] for row in cur.fetchall()]
        plans[threshold] = [ln for ln in lines if "Scan" in ln or "Execution Time" in ln]
    return plans


if __name__ == "__main__":
    main()
