"""Version numbers kept in the cache: what is kept under a version is forgotten by moving the version.

A kept value is stored under (or beside) the version it was read at, and read back only while the version is the
same. A writer moves the version (:func:`move`) now and again when its transaction commits: a page drawn between
the save and the commit read the old rows, and what it keeps is stored under the version before the second move,
so it is never read back. A version missing from the cache (never moved, or evicted) starts at a random number,
never at one that something was kept under before. The work queues and the homes' lists
(:mod:`certportal.workqueue`, one version per model read) and the header's unread count
(:mod:`certportal.notifications.unread`, one per person), the report figures (:mod:`certportal.figures`, one per
namespace) and the SLA dashboard (:mod:`certportal.sla`, one for it and one per month) keep what they read this
way.
"""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import transaction


def current(keys: list[str]) -> dict[str, int]:
    """Each key's version, in one round trip to the cache (and one more per version started)."""
    found = cache.get_many(keys)
    for key in set(keys) - found.keys():
        found[key] = start(key)
    return found


def start(key: str) -> int:
    """The version of ``key``, started at a random number if it has none (another process may start it first)."""
    cache.add(key, secrets.randbits(62), None)
    return cache.get(key)


def move(*keys: str) -> None:
    """Move each version now and when the transaction commits (at once outside a transaction)."""
    move_now(*keys)
    transaction.on_commit(lambda: move_now(*keys))


def move_now(*keys: str) -> None:
    """Move each version now only (for a caller that moves them again on commit itself)."""
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # missing: a new random start
            cache.set(key, secrets.randbits(62), None)
