"""Reads: which applications (and documents) a user may see.

CONTRACT: :func:`applications_visible_to` is the only gate. Assessors see what the assessments app decides
(their own test events' participants) through :func:`register_visibility`: the applicants app stands below
the assessments app and never reaches up to it.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable
from functools import reduce

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, QuerySet

from certportal.accounts.models import Role

from .models import Application, DocumentFile

COUNTS_VERSION_KEY = "applicants:queue:version"
SEE_ALL = (Role.VERIFIER, Role.LSP_ADMIN, Role.SUPERVISOR, Role.QUALITY)

VisibilityHook = Callable[[object, QuerySet], QuerySet]
_HOOKS: dict[str, VisibilityHook] = {}


def register_visibility(role: str, fn: VisibilityHook) -> None:
    """Let another app decide what ``role`` sees: ``fn(user, queryset) -> queryset`` (a filter of ``queryset``)."""
    _HOOKS[str(role)] = fn


def applications_visible_to(user) -> QuerySet[Application]:
    qs = Application.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.has_role(*SEE_ALL):
        return qs
    parts = []
    if user.has_role(Role.APPLICANT):
        parts.append(qs.filter(applicant=user))
    for role, fn in _HOOKS.items():
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
