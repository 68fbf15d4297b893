"""The verifier's queue as a reader asks for it: its filters, its search, its order and what its pages are read
from (the page, its CSV/XLSX exports and their background jobs all start here)."""

from __future__ import annotations

import datetime
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.http import QueryDict

from . import selectors, services
from .forms import NEEDS_ACTION, NEEDS_ACTION_STATES, QueueFilterForm
from .models import Application, Status
from .search import AT, WORDS, NameStartsWith, condition
from .selectors import applications_visible_to

# What the queue, its exports and its rows show (the scheme's long texts stay in the database).
QUEUE_COLUMNS = ("id", "applicant_name", "nip", "org_unit", "status", "submitted_at", "completed_at", "deadline",
                 "scheme__id", "scheme__code")
SEARCH_MATCHES = 1000  # a search finding at most this many dossiers is read once, counted and ordered here
# "Needs my action": new and resubmitted dossiers first (0), then the complete ones (1); an index holds this order.
ACTION_GROUP = Case(When(status=Status.COMPLETE, then=Value(1)), default=Value(0), output_field=IntegerField())
# What a search reads of each match: its order and status, and the columns its row shows (the name indexes hold
# them all, so a page of a search reads no row of the table: migration 0014)
MATCH_KEYS = ("id", "status", "deadline", "submitted_at", "applicant_name", "nip", "org_unit", "scheme_id")
Match = namedtuple("Match", MATCH_KEYS)


@dataclass
class Queue:
    """The queue for one request: the form, every matching dossier in the page's order (``qs``; the exports
    write :meth:`for_export`, the same with its columns and clocks), the counts per status, the number on the
    pages, and what the pages are read from."""

    form: QueueFilterForm
    qs: QuerySet | None
    counts: dict[str, int]
    total: int
    view: str | None = None
    ordered: list[Match] | None = None  # a search's matches in the page's order, read and sorted here
    parts: list[tuple[QuerySet, int]] | None = None  # "needs my action" in a deadline state: two index ranges
    paged: Sequence | None = None  # a name searched from the start of its words: pages read by the database

    def __post_init__(self) -> None:
        if self.qs is None:  # a search read here: its dossiers, for the exports
            self.qs = _Lazy(lambda: Application.objects.filter(pk__in=[m.id for m in self.ordered])
                            .order_by(*_db_order(self.view)))

    def for_export(self) -> QuerySet:
        """``qs`` with the columns the exports write and each dossier's clock (subqueries: one query)."""
        from certportal.sla import services as sla

        return sla.annotate_deadline(self.qs.select_related("scheme").only(*QUEUE_COLUMNS), services.CLOCK)

    def pages(self, columns: tuple[str, ...]):
        """What the paginator pages: rows of ``columns`` (named tuples), each page read by one or two queries."""
        if self.ordered is not None:  # the matches themselves: they carry every column a row shows
            return self.ordered
        if self.paged is not None:
            return self.paged
        if self.parts is not None:
            return _Chained([(qs.values_list(*columns, named=True), n) for qs, n in self.parts])
        return self.qs.values_list(*columns, named=True)


class _Lazy:
    """A queryset made when first used (the exports of a search; its page never needs it)."""

    def __init__(self, make) -> None:
        self._make, self._qs = make, None

    def __getattr__(self, name):
        if self._qs is None:
            self._qs = self._make()
        return getattr(self._qs, name)


class _Chained(Sequence):
    """Ordered querysets one after the other, each with its known length: a slice reads from each part it spans
    (the first page of the first part is the first entries of its index range)."""

    def __init__(self, parts: list[tuple[QuerySet, int]]) -> None:
        self.parts = parts

    def __len__(self) -> int:
        return sum(n for _qs, n in self.parts)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        start, stop = index.start or 0, len(self) if index.stop is None else index.stop
        rows, before = [], 0
        for qs, n in self.parts:
            low, high = max(start - before, 0), min(stop - before, n)
            if low < high:
                rows += list(qs[low:high])
            before += n
        return rows


def filtered_queue(user, params, page_size: int | None = None) -> Queue:
    """The queue with the filters applied, its counts per status and the source of its pages.

    Without a status in the request it opens on "needs my action": new and resubmitted dossiers first, oldest
    first (nothing has a deadline before the completeness check), then the complete ones by deadline. "All"
    (an empty status) and each status keep the deadline order the index serves. ``page_size`` (the page's):
    a search by name reads the page the request asks for with its counts."""
    params = params.copy() if params else QueryDict(mutable=True)
    if "status" not in params:
        params["status"] = NEEDS_ACTION
    form = QueueFilterForm(params)
    form.is_valid()  # a field with an error (a search too long to run) is left out; the others still filter
    data = form.cleaned_data
    units = selectors.units_matching(user, data["unit"]) if data.get("unit") else None
    qs = _filtered(user, data, units)
    if data.get("q") and _by_words(data):
        return _words_in_the_database(form, qs, data, page_size)
    if data.get("q"):
        found = _searched(qs, data["q"], inside=bool(data.get("inside")))
        if found is not None:
            return _read_here(form, found)
        qs = _matching(qs, data["q"], inside=bool(data.get("inside")))
    if data.get("q") or data.get("deadline") or not selectors.counted_by_the_database(user):
        counts = selectors.status_counts(user, qs, key=_counts_key(data))
    else:  # the kept counts of the scheme and units: a small table, whatever the number of applications
        counts = selectors.cached_figures(user, "counts", _counts_key(data), lambda: selectors.kept_status_counts(
            scheme=data.get("scheme"), units=units))
    return _in_the_database(form, qs, counts, data)


def _filtered(user, data: dict, units: list[str] | None) -> QuerySet:
    qs = applications_visible_to(user).exclude(status=Status.DRAFT)
    if data.get("scheme"):
        qs = qs.filter(scheme=data["scheme"])
    if units is not None:
        qs = qs.filter(org_unit__in=units)
    if data.get("deadline"):
        qs = selectors.filter_deadline_state(qs, data["deadline"], services.CLOCK)
    return qs


def _counts_key(data: dict) -> dict:
    from certportal.sla import services as sla
    from certportal.sla.calendar import stamp as calendar_stamp

    key = {k: str(v) for k, v in data.items() if k != "status" and v}
    if data.get("deadline"):  # the deadline states move with the day and the working calendar
        key["calendar"] = f"{sla.local_date()}:{calendar_stamp()}"
    return key


def _total(counts: dict[str, int], view: str | None) -> int:
    """How many dossiers the view shows, from the counts per status ("needs my action": three statuses)."""
    if view == NEEDS_ACTION:
        return sum(counts.get(s, 0) for s in NEEDS_ACTION_STATES)
    return counts.get(view, 0) if view else sum(counts.values())


def _in_the_database(form, qs: QuerySet, counts: dict, data: dict) -> Queue:
    """The queue counted (kept a minute) and paged by the database, in an index's order."""
    view = data.get("status")
    order = (F("deadline").asc(nulls_last=True), F("submitted_at").asc(nulls_last=True), "id")
    if view != NEEDS_ACTION:
        if view:
            qs = qs.filter(status=view)
        # ``deadline`` mirrors the open clock's target date and is indexed with the tie-breakers, so the first
        # page of 100,000 rows comes straight off the index; the clock's own figures are annotated for the rows.
        return Queue(form, qs.order_by(*order), counts, _total(counts, view))
    qs = qs.filter(status__in=NEEDS_ACTION_STATES)
    queue = Queue(form, qs.order_by(ACTION_GROUP, *order), counts, _total(counts, view))
    if data.get("deadline"):
        # A deadline range within "needs my action": the index runs (group, deadline, ...), so each group is a
        # range of it in order; one query in that order would read every dossier of the range and sort them.
        new = counts.get(Status.SUBMITTED, 0) + counts.get(Status.RESUBMITTED, 0)
        grouped = qs.alias(action_group=ACTION_GROUP)
        queue.parts = [(grouped.filter(action_group=0).order_by(*order), new),
                       (grouped.filter(action_group=1).order_by(*order), counts.get(Status.COMPLETE, 0))]
    return queue


def _matching(qs: QuerySet, text: str, *, inside: bool) -> QuerySet:
    """What a search asks: digits are the start of a NIP; a name is matched from the start of any of its words
    (:mod:`applicants.search`: ranges of B-tree indexes), and anywhere in the name (the trigram index: "ulan"
    finds Wulan) when ``inside`` asks for it."""
    return qs.filter(condition(text, inside=inside))


def _by_words(data: dict) -> bool:
    """A name searched from the start of its words (not a NIP, not a part of a word)."""
    return not data.get("inside") and not data["q"].replace(" ", "").isdigit()


class _Words:
    """A name searched from the start of its words, in the database: the matches are a UNION of an index-only
    range per word position (a match found at two of its words is one row: the rows are the same), grouped per
    status and paged in the view's order there. No row of the table is read (the indexes carry every column a row
    shows), and no match travels to Python but the page's.

    The ranges' SQL is compiled by the ORM once, with the word position as a parameter, and repeated for each
    position (compiling six querysets twice cost about 8 ms of a request: more than the queries). The position
    reaches PostgreSQL as a literal (Django binds parameters on the client), so each range still matches its
    expression index."""

    def __init__(self, qs: QuerySet, text: str, view: str | None) -> None:
        part = qs.filter(NameStartsWith(text, positions=(AT,))).order_by().values_list(*MATCH_KEYS)
        compiler = part.query.get_compiler(using=part.db)
        sql, params = compiler.as_sql()
        self.compiler = compiler
        self.converters = compiler.get_converters([s[0] for s in compiler.select[:len(MATCH_KEYS)]])
        wrap = "({})" if connection.features.supports_parentheses_in_compound else "{}"
        self.union = " UNION ".join(wrap.format(sql) for _ in range(WORDS))
        self.union_params = [n if p is AT else p for n in range(1, WORDS + 1) for p in params]
        self.columns = ", ".join(f"m.{name}" for name in MATCH_KEYS)
        self.view = view

    def _chosen(self) -> tuple[str, list]:
        """The page's matches: the view's status or statuses, and their order (``_db_order``'s)."""
        order = "m.deadline ASC NULLS LAST, m.submitted_at ASC NULLS LAST, m.id ASC"
        if self.view == NEEDS_ACTION:
            marks = ", ".join(["%s"] * len(NEEDS_ACTION_STATES))
            return (f"WHERE m.status IN ({marks}) ORDER BY CASE WHEN m.status = %s THEN 1 ELSE 0 END, {order}",
                    [*NEEDS_ACTION_STATES, Status.COMPLETE])
        if self.view:
            return f"WHERE m.status = %s ORDER BY {order}", [self.view]
        return f"ORDER BY {order}", []

    def _matches(self, rows) -> list[Match]:
        if self.converters:  # SQLite hands dates back as text
            rows = self.compiler.apply_converters(rows, self.converters)
        return [Match._make(row) for row in rows]

    def read(self, low: int, high: int) -> tuple[dict[str, int], list[Match]]:
        """The counts per status and the matches ``[low:high]`` of the view, by one query (one reading of the
        indexes, the counts and the page of the same moment)."""
        chosen, chosen_params = self._chosen()
        blanks = ", ".join(["NULL"] * len(MATCH_KEYS[2:]))  # after the count, the id (NULL) and the status
        sql = (f"WITH m AS ({self.union}) "  # noqa: S608 (the SQL is the ORM's and this module's; values are parameters)
               f"SELECT count(*), NULL, m.status, {blanks} FROM m GROUP BY m.status "
               f"UNION ALL SELECT * FROM (SELECT CAST(NULL AS INTEGER), {self.columns} FROM m {chosen} LIMIT %s OFFSET %s) p")
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.union_params, *chosen_params, max(high - low, 0), low])
            found = cursor.fetchall()
        counts = {row[2]: row[0] for row in found if row[1] is None}
        page = self._matches(row[1:] for row in found if row[1] is not None)
        group = (lambda m: m.status == Status.COMPLETE) if self.view == NEEDS_ACTION else (lambda m: False)
        page.sort(key=lambda m: (group(m), *_order(m)))  # the order the query gave (UNION ALL promises none)
        return counts, page

    def page(self, low: int, high: int) -> list[Match]:
        chosen, chosen_params = self._chosen()
        sql = f"WITH m AS ({self.union}) SELECT {self.columns} FROM m {chosen} LIMIT %s OFFSET %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.union_params, *chosen_params, high - low, low])
            return self._matches(cursor.fetchall())


class _Paged(Sequence):
    """A length known from the counts, the page asked for read with them, and any other slice read by
    :meth:`_Words.page`."""

    def __init__(self, words: _Words, total: int, low: int, rows: list[Match]) -> None:
        self.words, self.total, self.low, self.rows = words, total, low, rows

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        low, high = index.start or 0, self.total if index.stop is None else min(index.stop, self.total)
        if low >= high:
            return []
        if self.low <= low and high <= self.low + len(self.rows):
            return self.rows[low - self.low:high - self.low]
        return self.words.page(low, high)


def _words_in_the_database(form, qs: QuerySet, data: dict, page_size: int | None) -> Queue:
    """A name searched from the start of its words: counted, and the page asked for (``page`` of the request,
    ``page_size`` rows) read, by one query."""
    view = data.get("status")
    words = _Words(qs, data["q"], view)
    low = (_page_number(form.data.get("page")) - 1) * page_size if page_size else 0
    counts, rows = words.read(low, low + (page_size or 0))
    total = _total(counts, view)
    found = qs.filter(NameStartsWith(data["q"]))
    if view == NEEDS_ACTION:
        found = found.filter(status__in=NEEDS_ACTION_STATES)
    elif view:
        found = found.filter(status=view)
    queue = Queue(form, found.order_by(*_db_order(view)), counts, total, view=view)
    queue.paged = _Paged(words, total, low, rows)
    return queue


def _page_number(value) -> int:
    """The page a request asks for, as the paginator reads it (anything but a whole number from 1: the first)."""
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


def _searched(qs: QuerySet, text: str, *, inside: bool) -> list[Match] | None:
    """A search by NIP or by a part of a word: its matches (``MATCH_KEYS``), read once (a new term on nearly every
    request, so nothing to keep); None when there are more than ``SEARCH_MATCHES`` (the database counts and pages
    them). A name from the start of its words is :class:`_Words`'s."""
    found = _matching(qs, text, inside=inside).order_by().values_list(*MATCH_KEYS)
    read = list(found[:SEARCH_MATCHES + 1])
    return None if len(read) > SEARCH_MATCHES else [Match._make(m) for m in read]


def _read_here(form, matches: list[Match]) -> Queue:
    """A search's few hundred matches counted per status and put in the page's order here, its page drawn from
    them (before, the database read and sorted every match again for the page)."""
    counts: dict[str, int] = {}
    for match in matches:
        counts[match.status] = counts.get(match.status, 0) + 1
    view = form.cleaned_data.get("status")
    if view == NEEDS_ACTION:
        chosen = [m for m in matches if m[1] in NEEDS_ACTION_STATES]
    else:
        chosen = [m for m in matches if m[1] == view] if view else matches
    total = _total(counts, view)
    chosen.sort(key=lambda m: (*((m[1] == Status.COMPLETE,) if view == NEEDS_ACTION else ()), *_order(m)))
    return Queue(form, None, counts, total, ordered=chosen, view=view)


def _order(match: Match) -> tuple:
    """The index's order (deadline, then submitted, NULLs last, then id) for a match read here."""
    deadline, submitted = match.deadline, match.submitted_at
    return (deadline is None, deadline or datetime.date.min, submitted is None,
            submitted or datetime.datetime.min.replace(tzinfo=datetime.UTC), match.id)


def _db_order(view) -> tuple:
    order = (F("deadline").asc(nulls_last=True), F("submitted_at").asc(nulls_last=True), "id")
    return (ACTION_GROUP, *order) if view == NEEDS_ACTION else order
