"""Reads: which applications (and documents) a user may see.

CONTRACT: :func:`applications_visible_to` is the only gate. Assessors see what the assessments app decides
(their own test events' participants) through the extension point :data:`VISIBILITY`: the applicants app stands below
the assessments app and never reaches up to it.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable
from functools import reduce

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from certportal.accounts.models import Role
from certportal.registry import ExtensionPoint

from .models import Application, DocumentFile, Status, StatusCount

COUNTS_VERSION_KEY = "applicants:queue:version"
SEE_ALL = (Role.VERIFIER, Role.LSP_ADMIN, Role.SUPERVISOR, Role.QUALITY)

VISIBILITY = ExtensionPoint(
    "applicants.visibility",
    "fn(user, queryset) -> queryset, keyed by role: another app decides what that role sees of the applications "
    "(a filter of ``queryset``); without one, the role sees none", keyed=True)


def applications_visible_to(user) -> QuerySet[Application]:
    qs = Application.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.has_role(*SEE_ALL):
        return qs
    parts = []
    if user.has_role(Role.APPLICANT):
        parts.append(qs.filter(applicant=user))
    for role, fn in VISIBILITY.by_key().items():
        if user.has_role(role):
            parts.append(fn(user, qs))
    if not parts:
        return qs.none()
    return reduce(operator.or_, parts)


def may_manage(user) -> bool:
    """Verifiers (and LSP admins) act on dossiers; supervisors and quality only read."""
    return bool(user.is_authenticated and user.has_role(Role.VERIFIER, Role.LSP_ADMIN))


def files_visible_to(user) -> QuerySet[DocumentFile]:
    return DocumentFile.objects.filter(document__application__in=applications_visible_to(user))


def _counts_version() -> int:
    return cache.get_or_set(COUNTS_VERSION_KEY, 1, None)


def queue_changed() -> None:
    """Forget every cached count (called after each status change commits)."""
    try:
        cache.incr(COUNTS_VERSION_KEY)
    except ValueError:
        cache.set(COUNTS_VERSION_KEY, 2, None)


def status_counts(user, queryset: QuerySet, *, key: dict) -> dict[str, int]:
    """Applications per status in ``queryset`` (the queue with every filter but the status one).

    Counting 100,000 rows on every page view would cost more than the page itself, so the result is cached
    for ``APPLICANTS_QUEUE_COUNTS_SECONDS`` per filter combination; every status change invalidates all counts
    at once (a version number in the cache), so a verifier sees their own action reflected immediately.
    """
    return cached_figures(user, "counts", key,
                          lambda: dict(queryset.order_by().values_list("status").annotate(n=Count("id"))))


def counted_by_the_database(user) -> bool:
    """Whether the counts kept by the database's triggers (:class:`~applicants.models.StatusCount`) answer for
    ``user``: on PostgreSQL, for a reader who sees every application (what the queue and the recap show them)."""
    return connection.vendor == "postgresql" and user.has_role(*SEE_ALL)


def kept_status_counts(*, scheme=None, units: list[str] | None = None) -> dict[str, int]:
    """Applications per status (drafts left out) of a scheme and of some units, summed from the kept counts: a
    few thousand rows (an index range for a scheme), not millions of applications."""
    rows = StatusCount.objects.exclude(status=Status.DRAFT)
    if scheme is not None:
        rows = rows.filter(scheme=scheme)
    if units is not None:
        rows = rows.filter(org_unit__in=units)
    return {status: n for status, n in rows.values_list("status").annotate(total=Sum("n")).order_by() if n}


def kept_unit_recap(groups: dict[str, set], *, scheme=None) -> list[dict]:
    """Per unit: its applications (drafts left out) and how many are in each group of statuses, summed from the
    kept counts; units with none are left out."""
    rows = StatusCount.objects.exclude(status=Status.DRAFT)
    if scheme is not None:
        rows = rows.filter(scheme=scheme)
    sums = {key: Sum("n", filter=Q(status__in=states), default=0) for key, states in groups.items()}
    return list(rows.order_by().values("org_unit").annotate(total=Sum("n"), **sums).filter(total__gt=0)
                .order_by("org_unit"))


def cached_figures(user, kind: str, key: dict, compute: Callable):
    """``compute()`` cached like the queue's counts: per reader scope and ``key``, for
    ``APPLICANTS_QUEUE_COUNTS_SECONDS``, forgotten at once by any status change (:func:`queue_changed`)."""
    seconds = settings.APPLICANTS_QUEUE_COUNTS_SECONDS
    if not seconds:
        return compute()
    who = "all" if user.has_role(*SEE_ALL) else f"u{user.pk}"
    digest = hashlib.sha1(repr(sorted(key.items())).encode(), usedforsecurity=False).hexdigest()[:16]
    cache_key = f"applicants:queue:{kind}:{_counts_version()}:{who}:{digest}"
    found = cache.get(cache_key)
    if found is None:
        found = compute()
        cache.set(cache_key, found, seconds)
    return found


# The distinct units of the applications, read off the index on ``org_unit`` by a skip scan (one probe per unit:
# dozens or hundreds, however many applications).
UNITS_SQL = """
    WITH RECURSIVE u(v) AS (
        SELECT min(org_unit) FROM applicants_application
        UNION ALL
        SELECT (SELECT min(org_unit) FROM applicants_application WHERE org_unit > u.v) FROM u WHERE u.v IS NOT NULL
    ) SELECT v FROM u WHERE v IS NOT NULL"""


def units_matching(user, term: str) -> list[str]:
    """The units (perangkat daerah) whose name contains ``term``, any case: the queue's unit filter then asks for
    these names (a range of the (unit, status, deadline) index each) instead of matching every row's unit text
    (a trigram bitmap rechecked row by row: 0.3 s at a million applications for a unit word found in 7 %)."""
    from django.db import connection

    def every_unit() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(UNITS_SQL)
            return [row[0] for row in cursor.fetchall()]

    wanted = term.strip().upper()
    return [unit for unit in cached_figures(user, "units", {}, every_unit) if wanted in unit.upper()]


def filter_deadline_state(queryset: QuerySet, state: str, clock: str, today=None) -> QuerySet:
    """The applications whose open, running clock is ``on_track``, ``due_soon`` or ``overdue`` today, read from
    ``Application.deadline``: the services keep it a copy of the open clock's target date (set when the clock
    starts or resumes, cleared when it stops or is cancelled); a returned dossier's clock is paused, so it is in
    no state. A range on the queue's own index instead of a look-up of each row's clock (``EXISTS`` per row: 0.2
    to 0.4 s a query at a million applications)."""
    from certportal.sla import services as sla

    if state not in sla.OPEN_STATES:  # the queue's form offers only these
        raise ValueError(f"unknown deadline state: {state}")
    today = today or sla.local_date()
    soon = sla.warn_date(sla.get_policy(clock), today)
    queryset = queryset.filter(deadline__isnull=False).exclude(status=Status.RETURNED)
    if state == sla.OVERDUE:
        return queryset.filter(deadline__lt=today)
    if state == sla.DUE_SOON:
        return queryset.filter(deadline__gte=today, deadline__lte=soon)
    return queryset.filter(deadline__gt=soon)
