"""Each page's query count, answer and query plans, in-process through Django's test client."""

from __future__ import annotations

import json
import random
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from scale.page import Page
from scale.plans import SEQ, big_reads
from scale.sizes import Sizes


@dataclass
class Counted:
    """What one page did: its queries on the measured path and on the other path, its answer, the plan of its
    main query, the big tables any of its queries reads by a Seq Scan (``scans``), the other scans that read a big
    table whole or a big share of it (``reads``, :mod:`scale.plans`), and (query, plan) of each flagged query
    other than the main one."""

    queries: int
    other: int
    status: int
    main_query: str = ""
    plan: list[str] = field(default_factory=list)
    scans: list[str] = field(default_factory=list)
    reads: list[str] = field(default_factory=list)
    flagged: list[tuple[str, list[str]]] = field(default_factory=list)


BIG_TABLE_ROWS = 50_000  # a table this big is "big", and a scan estimated to read this many rows reads a big share


def big_tables(least_rows: int) -> dict[str, int]:
    """Tables the planner believes hold at least ``least_rows`` rows (after ANALYZE)."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind IN ('r', 'p') "
                  "AND relnamespace = 'public'::regnamespace AND reltuples >= %s", [least_rows])
        return dict(c.fetchall())


def explain(sql: str) -> list[str]:
    """EXPLAIN's text, one line a row (what the printout shows)."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("EXPLAIN " + sql)
        return [row[0] for row in c.fetchall()]


def explain_json(sql: str) -> dict:
    """EXPLAIN (FORMAT JSON)'s one element: {"Plan": {...}} (what the check reads)."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("EXPLAIN (FORMAT JSON) " + sql)
        found = c.fetchone()[0]
        return (json.loads(found) if isinstance(found, str) else found)[0]


def _plans(captured: list[dict], big: dict[str, int], least_rows: int) -> dict:
    """Counted's plan fields for a page's queries: its main query (the one the planner deems dearest) and plan,
    "table (rows)" for each big table a Seq Scan reads, "table: how" for each other scan that reads a big table
    whole or a big share of it, and each other query so flagged with its plan. Without big tables (the tiny run)
    only the slowest query is EXPLAINed."""
    # a UNION (the queue's search by name, word position by word position) starts with "(SELECT"
    selects = [q["sql"] for q in captured if q["sql"].lstrip(" (").upper().startswith(("SELECT", "WITH"))]
    if not selects:
        return {}
    if not big:
        slowest = max((q for q in captured if q["sql"] in selects), key=lambda q: float(q["time"]))["sql"]
        return {"main_query": slowest, "plan": explain(slowest)}
    plans = {sql: explain_json(sql) for sql in selects}
    found = {sql: big_reads(plan, big, least_rows) for sql, plan in plans.items()}
    main = max(plans, key=lambda sql: plans[sql]["Plan"]["Total Cost"])
    return {"main_query": main, "plan": explain(main),
            "scans": sorted({f"{table} ({big[table]:,} rows)" for reads in found.values()
                             for table, how in reads if how == SEQ}),
            "reads": sorted({f"{table}: {how}" for reads in found.values() for table, how in reads if how != SEQ}),
            "flagged": [(sql, explain(sql)) for sql, reads in found.items() if reads and sql != main]}


def request(client, page: Page, path: str, body: str | None):
    """One request of ``page`` through Django's test client: a GET, or a POST of ``body`` with its headers."""
    headers = dict(page.headers)
    if page.method == "GET":
        return client.get(path, headers=headers)
    return client.post(path, body or "", content_type=headers.pop("Content-Type", "application/json"),
                       headers=headers)


def query_counts(plan: list[Page], cookies: dict[str, str], big: dict[str, int] | None = None,
                 least_rows: int = BIG_TABLE_ROWS) -> dict[str, Counted]:
    """Per page: its queries on the measured path (the first term of the page's own fixed draw, so that a run of
    some pages counts the paths a run of all counted) and on the other path, the first answer that is not among
    the page's answers (else the last), and, given the big tables, its plans (a scan estimated to read
    ``least_rows`` rows of a big table reads a big share of it)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    found = {}
    for page in plan:
        r = random.Random(page.label)  # each page's own draw: the same path whichever pages a run measures
        client = Client()
        if cookies[page.role]:
            client.cookies["sessionid"] = cookies[page.role]
        counts, statuses, first = [], [], []
        for path, body in ((page.make(r), page.body(r) if page.body else None), (page.other_path, page.other_body)):
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
        found[page.label] = Counted(counts[0], counts[1], status,
                                    **(_plans(first[:-1], big, least_rows) if big is not None else {}))
    return found


CODE = "(code)"  # the key under which the kept counts name the code that took them


def code_version() -> str:
    """The commit the portal is at, with "+changes" when its tracked files differ from it ("" outside git)."""
    root = Path(__file__).resolve().parents[2]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                              check=True).stdout.strip()
        changed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                                 capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
    return head + ("+changes" if changed else "")


def saved_counts(first: Sizes, plan: list[Page], cookies) -> dict[str, Counted]:
    """Query counts at the first step's size: measured when the data is that size, then kept in the database (a
    later run on the full data, which only tops the tables up, still compares with them), with the code version
    that took them: a page whose queries changed since then can show "queries grow" (or shrink) that is only the
    change, and the run says so."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("CREATE TABLE IF NOT EXISTS bench_scale_counts (applications bigint PRIMARY KEY, counts text)")
        c.execute("SELECT counts FROM bench_scale_counts WHERE applications = %s", [first.applications])
        row = c.fetchone()
        if row:
            found = json.loads(row[0])
            taken = found.pop(CODE, "an unnamed version")
            kept = {k: Counted(*v[:3]) for k, v in found.items()}
            if not {page.label for page in plan} <= set(kept):
                print("(the counts at the first step's size were kept by an earlier version of the pages: a page "
                      "added or renamed since has none, and a page changed since may differ; --fresh counts again)")
            elif taken != code_version():
                print(f"(the counts at the first step's size were taken with the code at {taken}, this run's is at "
                      f"{code_version() or 'an unnamed version'}: a page whose queries changed since may differ "
                      "between the two sizes for that reason alone; --fresh counts again)")
            return kept
        c.execute("SELECT count(*) FROM applicants_application")
        if c.fetchone()[0] > first.applications:
            print("(the database holds more than the first step already and no counts were kept: use --fresh)")
            return {}
        counts = query_counts(plan, cookies)
        kept = {k: [v.queries, v.other, v.status] for k, v in counts.items()}
        kept[CODE] = code_version()
        c.execute("INSERT INTO bench_scale_counts VALUES (%s, %s)", [first.applications, json.dumps(kept)])
        return counts
