"""Public forms and look-ups limited per address: a fixed-window counter in the Django cache (Redis in production,
so every web process shares it; the local-memory cache on the embedded default).

``over_limit("complaints", ip, limit=10, seconds=3600)`` counts this call and says whether the address has gone
past ``limit`` calls in the current window (windows start on the clock: each minute, each hour). A limit of 0 turns
the check off. ``reached``/``count`` do the same for failures only: ``reached`` asks without counting, ``count``
counts one after it happened.

Redis down (certportal/cache.py), the counts are lost for the outage: every check allows, and the cache logs it
(allow-and-log; docs/operations/runbook.md, "When Redis is down").
"""

import time

from django.core.cache import cache


def over_limit(scope: str, who: str | None, *, limit: int, seconds: int) -> bool:
    if not limit:
        return False
    key = f"ratelimit:{scope}:{who or '-'}:{int(time.time() // seconds)}"
    cache.add(key, 0, timeout=seconds + 10)
    try:
        count = cache.incr(key)
    except ValueError:  # the key left the cache between add and incr
        cache.set(key, 1, timeout=seconds + 10)
        count = 1
    return count > limit


def reached(scope: str, who: str | None, *, limit: int, seconds: int) -> bool:
    """Whether the address already has ``limit`` calls counted by :func:`count` in the current window, without
    counting this one: for limits on failures (count a miss after it happens, refuse once the misses are spent)."""
    if not limit:
        return False
    return (cache.get(f"ratelimit:{scope}:{who or '-'}:{int(time.time() // seconds)}") or 0) >= limit


def count(scope: str, who: str | None, *, seconds: int) -> None:
    """Count one call (a miss) in the current window for :func:`reached`."""
    over_limit(scope, who, limit=1, seconds=seconds)
