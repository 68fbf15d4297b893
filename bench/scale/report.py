"""The scale benchmark's printout: each page's pace against the bare list (wall clock and the workers' CPU), its
query counts at both sizes, its errors and plans, and a verdict; and the failures that make the run exit non-zero.

The verdict is the wall-clock ratio: a page's requests per second over the bare list's, each page near the line
measured again in interleaved rounds (``Served.rounds``: the median of the per-round ratios). The CPU ratio (the
bare list's CPU a request in the gunicorn workers over the page's) is printed beside it and not used: it leaves out
PostgreSQL's time (most of the bare list's own cost is its ``COUNT(*)``), so a page whose query grew slow would pass
on it."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from scale.counts import Counted
from scale.page import Page

GOAL = 0.7
NEAR = 0.15  # a page this close to the goal, or below it, is measured again before the verdict


@dataclass(frozen=True)
class Served:
    """A page under gunicorn: its median requests per second over the alternating rounds, its error answers, the
    gunicorn workers' CPU seconds a request (``cpu``), and, when measured again near the line, the ratio of each
    interleaved round against its baseline (``rounds``) and the CPU ratio over those rounds (``cpu_ratio``)."""

    rps: float
    errors: int = 0
    cpu: float = 0.0
    rounds: tuple[float, ...] = ()
    cpu_ratio: float = 0.0


def baseline(page: Page, plan: list[Page]) -> Page:
    """The page a page's pace is divided by: the one it is measured ``against``, else the bare list."""
    return next(p for p in plan if p.label == page.against) if page.against else plan[0]


def ratio(page: Page, plan: list[Page], served: dict[str, Served]) -> float:
    """The page's pace over the bare list's (the median of its interleaved rounds when measured again); for a page
    measured ``against`` another, what it checks per second (requests × ``per_request``) over what that page checks
    per second."""
    if served[page.label].rounds:
        return statistics.median(served[page.label].rounds)
    other = baseline(page, plan)
    return served[page.label].rps * page.per_request / ((served[other.label].rps * other.per_request) or 1.0)


def cpu_ratio(page: Page, plan: list[Page], served: dict[str, Served]) -> float:
    """The baseline's worker CPU per thing checked over the page's (higher is cheaper; 0 when not measured)."""
    if served[page.label].cpu_ratio:
        return served[page.label].cpu_ratio
    mine, other = served[page.label].cpu / page.per_request, baseline(page, plan)
    return served[other.label].cpu / other.per_request / mine if mine else 0.0


def held(page: Page, plan: list[Page]) -> bool:
    """Whether the page's pace is held to the goal: not the bare list itself, not a diagnostic page."""
    return page is not plan[0] and not page.diagnostic


def near(plan: list[Page], served: dict[str, Served], most: int = 0) -> list[Page]:
    """The pages held to the goal whose pace is within ``NEAR`` of it or below it, lowest first (``most``: only
    that many of them; 0: all)."""
    found = sorted((p for p in plan if held(p, plan) and ratio(p, plan, served) < GOAL + NEAR),
                   key=lambda p: ratio(p, plan, served))
    return found[:most] if most else found


def slow(plan: list[Page], served: dict[str, Served]) -> list[str]:
    """The pace verdict: each page held to the goal (and served, with its baseline) whose ratio is below it."""
    paced = [p for p in plan if held(p, plan) and {p.label, baseline(p, plan).label} <= served.keys()]
    return [f"{p.label}: pace {ratio(p, plan, served):.2f} of the {baseline(p, plan).label}, below the goal {GOAL}"
            f"{_spread(served[p.label])}" for p in paced if ratio(p, plan, served) < GOAL]


def _spread(served: Served) -> str:
    r = served.rounds
    return f" (median of {len(r)} interleaved rounds, {min(r):.2f}–{max(r):.2f})" if r else ""


def failures(plan: list[Page], small: dict[str, Counted], big: dict[str, Counted],
             served: dict[str, Served], pace: bool = True) -> list[str]:
    """What breaks the run: a page that answers an error, in-process or under gunicorn, a query count that moves
    between the two sizes, and (``pace``: a full run, or ``--tiny --strict``) a page held to the goal below it."""
    found = []
    for page in plan:
        counted, before = big[page.label], small.get(page.label)
        if counted.status not in page.answers:
            found.append(f"{page.label}: HTTP {counted.status}")
        if before is None:
            found.append(f"{page.label}: no query count at the smaller size")
        elif before.queries != counted.queries:
            found.append(f"{page.label}: {before.queries} queries at the smaller size, {counted.queries} at the larger")
        if page.label in served and served[page.label].errors:
            found.append(f"{page.label}: {served[page.label].errors} error answers under gunicorn")
    return found + (slow(plan, served) if pace else [])


def _misses(page: Page, plan: list[Page], q_small: int, counted: Counted, served: dict[str, Served]) -> list[str]:
    misses = [f"HTTP {counted.status}"] if counted.status not in page.answers else []
    misses += ["queries grow"] if q_small != counted.queries else []
    misses += [f"seq scan on {', '.join(counted.scans)}"] if counted.scans else []
    misses += [f"big read: {'; '.join(counted.reads)}"] if counted.reads else []
    misses += ["errors"] if served[page.label].errors else []
    return misses + (["pace"] if held(page, plan) and ratio(page, plan, served) < GOAL else [])


def table(plan: list[Page], small: dict[str, Counted], big: dict[str, Counted],
          served: dict[str, Served], args) -> None:
    print(f"\ngunicorn 2 sync workers, {args.clients} keep-alive clients, {args.rounds} alternating rounds of "
          f"{args.seconds:g} s per page (median req/s); a page within {NEAR} of the goal {GOAL} or below it measured "
          f"again in interleaved rounds with its baseline (ratio: their median; spread: their min-max); cpu ms: "
          f"the gunicorn workers' CPU a request (PostgreSQL's not in it), cpu: the baseline's over the page's; "
          f"queries at the first step's size, at full size, and on a second page of the same list")
    print(f"{'page':<40}{'req/s':>8}{'ratio':>7}{'spread':>11}{'cpu ms':>8}{'cpu':>6}{'errors':>7}{'q@small':>8}"
          f"{'q@full':>8}{'q@other':>8}  verdict")
    for page in plan:
        s, counted = served[page.label], big[page.label]
        q_small = small[page.label].queries if page.label in small else -1
        misses = _misses(page, plan, q_small, counted, served)
        verdict = " ".join(["MISS", *(f"({m})" for m in misses)]) if misses else "OK"
        verdict += " (diagnostic: the recompute after a change, not held to the goal)" if page.diagnostic else ""
        spread = f"{min(s.rounds):.2f}-{max(s.rounds):.2f}" if s.rounds else ""
        print(f"{page.label:<40}{s.rps:>8.1f}{ratio(page, plan, served):>7.2f}{spread:>11}{s.cpu * 1000:>8.1f}"
              f"{cpu_ratio(page, plan, served):>6.2f}{s.errors:>7}{q_small:>8}{counted.queries:>8}"
              f"{counted.other:>8}  {verdict}")
    for page in (p for p in plan if p.against and p.against in served):
        print(f"({page.label}: its ratio is the certificates checked per second through one call of "
              f"{page.per_request} codes, {served[page.label].rps:.1f} calls/s x {page.per_request}, over those "
              f"checked per second one by one through {page.against}, {served[page.against].rps:.1f}/s; the other "
              f"ratios are a page's req/s over the bare list's)")


def plans(plan: list[Page], big: dict[str, Counted]) -> None:
    """Each page's main query (the planner's dearest) and its plan, then each other query of the page that reads a
    big table whole or a big share of it, with its plan; the flags name the tables and how they are read."""
    print("\nquery plans (EXPLAIN of each page's dearest query by the planner's cost, and of any other query of the "
          "page flagged; SEQ SCAN: a big table read by a Seq Scan; BIG READ: a big table read by an index scan "
          "without an index condition or of many rows that no Limit stops, or by a bitmap of many rows)")
    for page in plan:
        counted = big[page.label]
        flag = f"  SEQ SCAN: {', '.join(counted.scans)}" if counted.scans else ""
        flag += f"  BIG READ: {'; '.join(counted.reads)}" if counted.reads else ""
        print(f"[{page.label}]{flag}")
        for sql, lines in [(counted.main_query, counted.plan), *counted.flagged]:
            print(f"  {sql[:240]}")
            for line in lines:
                print(f"    {line}")
