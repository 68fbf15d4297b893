"""Each page's query count, answer and query plans, in-process through Django's test client."""

from __future__ import annotations

import json
import random
import re
import time
from dataclasses import dataclass, field

from scale.pages import Page
from scale.sizes import Sizes

SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")


@dataclass
class Counted:
    """What one page did: its queries on the measured path and on the other path, its answer, the plan of its
    main query and the big tables any of its queries reads whole."""

    queries: int
    other: int
    status: int
    main_query: str = ""
    plan: list[str] = field(default_factory=list)
    scans: list[str] = field(default_factory=list)


def big_tables(least_rows: int) -> dict[str, int]:
    """Tables the planner believes hold at least ``least_rows`` rows (after ANALYZE)."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind IN ('r', 'p') "
                  "AND relnamespace = 'public'::regnamespace AND reltuples >= %s", [least_rows])
        return dict(c.fetchall())


def explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as c:
        c.execute("EXPLAIN " + sql)
        return [row[0] for row in c.fetchall()]


COST = re.compile(r"cost=[\d.]+\.\.([\d.]+)")


def _cost(plan: list[str]) -> float:
    found = COST.search(plan[0]) if plan else None
    return float(found.group(1)) if found else 0.0


def _plans(captured: list[dict], big: dict[str, int]) -> tuple[str, list[str], list[str]]:
    """(the main query: the one the planner deems dearest, its plan, and "table (rows)" for each big table read
    by a Seq Scan in any query of the page). Without big tables (the tiny run) only the slowest query is
    EXPLAINed."""
    selects = [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    if not selects:
        return "", [], []
    if not big:
        slowest = max((q for q in captured if q["sql"] in selects), key=lambda q: float(q["time"]))["sql"]
        return slowest, explain(slowest), []
    plans = {sql: explain(sql) for sql in selects}
    scans = {f"{table} ({big[table]:,} rows)" for plan in plans.values()
             for table in SEQ_SCAN.findall("\n".join(plan)) if table in big}
    main = max(plans, key=lambda sql: _cost(plans[sql]))
    return main, plans[main], sorted(scans)


def request(client, page: Page, path: str, body: str | None):
    """One request of ``page`` through Django's test client: a GET, or a POST of ``body`` with its headers."""
    headers = dict(page.headers)
    if page.method == "GET":
        return client.get(path, headers=headers)
    return client.post(path, body or "", content_type=headers.pop("Content-Type", "application/json"),
                       headers=headers)


def query_counts(plan: list[Page], cookies: dict[str, str], big: dict[str, int] | None = None) -> dict[str, Counted]:
    """Per page: its queries on the measured path (the first term of a fixed draw) and on the other path, the
    first answer that is not among the page's answers (else the last), and, given the big tables, its plans."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    found = {}
    r = random.Random(1)
    for page in plan:
        client = Client()
        if cookies[page.role]:
            client.cookies["sessionid"] = cookies[page.role]
        counts, statuses, first = [], [], []
        for path, body in ((page.make(r), page.body(r) if page.body else None), (page.other, page.other_body)):
            request(client, page, path, body)  # the first request of a path warms per-process caches (calendar)
            with CaptureQueriesContext(connection) as ctx:
                t = time.monotonic()
                response = request(client, page, path, body)
                if getattr(response, "streaming", False):
                    b"".join(response.streaming_content)
                ms = (time.monotonic() - t) * 1000
            counts.append(len(ctx.captured_queries))
            first = first or [*ctx.captured_queries, {"sql": "", "time": str(ms / 1000)}]
            statuses.append(response.status_code)
        status = next((s for s in statuses if s not in page.answers), statuses[-1])
        found[page.label] = Counted(counts[0], counts[1], status)
        if big is not None:
            found[page.label].main_query, found[page.label].plan, found[page.label].scans = _plans(first[:-1], big)
    return found


def saved_counts(first: Sizes, plan: list[Page], cookies) -> dict[str, Counted]:
    """Query counts at the first step's size: measured when the data is that size, then kept in the database (a
    later run on the full data, which only tops the tables up, still compares with them)."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("CREATE TABLE IF NOT EXISTS bench_scale_counts (applications bigint PRIMARY KEY, counts text)")
        c.execute("SELECT counts FROM bench_scale_counts WHERE applications = %s", [first.applications])
        row = c.fetchone()
        if row:
            kept = {k: Counted(*v[:3]) for k, v in json.loads(row[0]).items()}
            if set(kept) != {page.label for page in plan}:
                print("(the counts at the first step's size were kept by an earlier version of the pages: a page "
                      "added or renamed since has none, and a page changed since may differ; --fresh counts again)")
            return kept
        c.execute("SELECT count(*) FROM applicants_application")
        if c.fetchone()[0] > first.applications:
            print("(the database holds more than the first step already and no counts were kept: use --fresh)")
            return {}
        counts = query_counts(plan, cookies)
        kept = {k: [v.queries, v.other, v.status] for k, v in counts.items()}
        c.execute("INSERT INTO bench_scale_counts VALUES (%s, %s)", [first.applications, json.dumps(kept)])
        return counts
