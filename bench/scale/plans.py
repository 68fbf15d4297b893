"""Which scans of a query plan read a big table whole, or a big share of it, read from ``EXPLAIN (FORMAT JSON)``.

A scan node on a big table is flagged when it is
- a Seq Scan (anywhere: under a Limit it still walks the table until enough rows pass its filter);
- an Index Scan or Index Only Scan without an index condition (the whole index, in its order), or whose estimated
  rows reach ``least_rows`` (a big share of the table) -- unless something above it stops it early: a Limit (the
  first 50 entries of an index in the page's order are fine), or a semi-join, anti-join or unique inner join that
  probes it (each probe stops at its first match). A Limit stops what is below it only through nodes that hand
  rows on as they come: a Sort, a Hash, an aggregate that is not sorted or a window reads all its input first,
  the inner side of a nested loop is read again for each outer row, and a sub-plan runs on its own;
- a Bitmap Heap Scan whose bitmap index scans have no index condition or estimate ``least_rows`` rows or more
  between them (a bitmap is built whole before its first row comes, whatever Limit is above it).

The estimates are the planner's (EXPLAIN without ANALYZE), per
execution of the node.
"""

from __future__ import annotations

SEQ = "Seq Scan"
INDEX = ("Index Scan", "Index Only Scan")
BITMAP = "Bitmap Heap Scan"
# Nodes that read all of their input before they give a row: a Limit above them does not stop their children.
READS_ALL = {"Sort", "Hash", "WindowAgg", "SetOp", "BitmapAnd", "BitmapOr", "Bitmap Heap Scan"}
ON_THEIR_OWN = {"InitPlan", "SubPlan"}  # sub-plans: run apart from the node they hang under


def _reads_all(node: dict) -> bool:
    if node["Node Type"] == "Aggregate":
        return node.get("Strategy") != "Sorted"  # a plain or hashed aggregate reads every row first
    return node["Node Type"] in READS_ALL


def _stopped(node: dict, child: dict, stopped: bool) -> bool:
    """Whether something above ``child`` (of ``node``) stops it early; ``stopped``: whether ``node`` is."""
    relation = child.get("Parent Relationship", "")
    if relation in ON_THEIR_OWN or _reads_all(node):
        return False
    if node["Node Type"] == "Nested Loop" and relation == "Inner":  # probed once per outer row
        return node.get("Join Type") in ("Semi", "Anti") or bool(node.get("Inner Unique"))
    return stopped or node["Node Type"] == "Limit"


def _bitmap_scans(node: dict) -> list[dict]:
    if node["Node Type"] == "Bitmap Index Scan":
        return [node]
    return [scan for child in node.get("Plans", ()) for scan in _bitmap_scans(child)]


def _why(node: dict, stopped: bool, least_rows: int) -> str | None:
    kind, rows = node["Node Type"], int(node.get("Plan Rows", 0))
    if kind == SEQ:
        return "Seq Scan"
    if kind in INDEX and not stopped:
        using = f"{kind} using {node.get('Index Name', '?')}"
        if "Index Cond" not in node:
            return f"{using}, no index condition"
        if rows >= least_rows:
            return f"{using}, {rows:,} rows estimated"
    if kind == BITMAP:
        scans = _bitmap_scans(node)
        if whole := [scan.get("Index Name", "?") for scan in scans if "Index Cond" not in scan]:
            return f"Bitmap Heap Scan of {', '.join(whole)}, no index condition"
        if (read := sum(int(scan.get("Plan Rows", 0)) for scan in scans)) >= least_rows:
            return f"Bitmap Heap Scan, {read:,} rows estimated"
    return None


def big_reads(plan: dict, big: dict[str, int], least_rows: int) -> list[tuple[str, str]]:
    """(table, what reads it) for each scan of ``plan`` (one element of EXPLAIN's JSON list, or its "Plan") that
    reads a table of ``big`` whole or a big share of it."""
    found = []

    def walk(node: dict, stopped: bool) -> None:
        table = node.get("Relation Name")
        if table in big and (why := _why(node, stopped, least_rows)):
            found.append((table, why))
        for child in node.get("Plans", ()):
            walk(child, _stopped(node, child, stopped))

    walk(plan.get("Plan", plan), False)
    return found
