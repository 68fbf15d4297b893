"""The scale benchmark's printout: each page's pace against the bare list, its query counts at both sizes, its
errors and plans, and a verdict; and the failures that make the run exit non-zero."""

from __future__ import annotations

from scale.counts import Counted
from scale.pages import Page

GOAL = 0.7


def failures(plan: list[Page], small: dict[str, Counted], big: dict[str, Counted],
             served: dict[str, tuple[float, int]]) -> list[str]:
    """What breaks the run (the tiny CI run fails on it): a page that answers an error, in-process or under
    gunicorn, and a query count that moves between the two sizes. A pace below the goal is reported, not failed."""
    found = []
    for page in plan:
        counted, before = big[page.label], small.get(page.label)
        if counted.status not in page.answers:
            found.append(f"{page.label}: HTTP {counted.status}")
        if before is None:
            found.append(f"{page.label}: no query count at the smaller size")
        elif before.queries != counted.queries:
            found.append(f"{page.label}: {before.queries} queries at the smaller size, {counted.queries} at the larger")
        if served.get(page.label, (0, 0))[1]:
            found.append(f"{page.label}: {served[page.label][1]} error answers under gunicorn")
    return found


def ratio(page: Page, plan: list[Page], served: dict[str, tuple[float, int]]) -> float:
    """The page's pace over the bare list's; for a page measured ``against`` another, what it checks per second
    (requests × ``per_request``) over what that page checks per second."""
    if not page.against:
        return served[page.label][0] / (served[plan[0].label][0] or 1.0)
    other = next(p for p in plan if p.label == page.against)
    return served[page.label][0] * page.per_request / ((served[other.label][0] * other.per_request) or 1.0)


def table(plan: list[Page], small: dict[str, Counted], big: dict[str, Counted],
          served: dict[str, tuple[float, int]], args) -> None:
    print(f"\ngunicorn 2 sync workers, {args.clients} keep-alive clients, {args.rounds} alternating rounds of "
          f"{args.seconds:g} s per page (median req/s); queries at the first step's size, at full size, and on a "
          f"second page of the same list (another page or filter)")
    print(f"{'page':<40}{'req/s':>8}{'ratio':>7}{'errors':>7}{'q@small':>8}{'q@full':>8}{'q@other':>8}  verdict")
    for page in plan:
        rps, errors = served[page.label]
        q_small = small[page.label].queries if page.label in small else -1
        counted = big[page.label]
        misses = [f"HTTP {counted.status}"] if counted.status not in page.answers else []
        misses += ["queries grow"] if q_small != counted.queries else []
        misses += [f"seq scan on {', '.join(counted.scans)}"] if counted.scans else []
        misses += [f"big read: {'; '.join(counted.reads)}"] if counted.reads else []
        misses += ["errors"] if errors else []
        pace = ratio(page, plan, served)
        held = pace >= GOAL or page.diagnostic
        verdict = "OK" if held and not misses else " ".join(["MISS", *(f"({m})" for m in misses)])
        verdict += " (diagnostic: the recompute after a change, not held to the goal)" if page.diagnostic else ""
        print(f"{page.label:<40}{rps:>8.1f}{pace:>7.2f}{errors:>7}{q_small:>8}{counted.queries:>8}"
              f"{counted.other:>8}  {verdict}")
    for page in (p for p in plan if p.against and p.against in served):
        print(f"({page.label}: its ratio is the certificates checked per second through one call of "
              f"{page.per_request} codes, {served[page.label][0]:.1f} calls/s x {page.per_request}, over those "
              f"checked per second one by one through {page.against}, {served[page.against][0]:.1f}/s; the other "
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
