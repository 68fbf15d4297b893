"""Public forms and look-ups limited per address: a fixed-window counter in the Django cache (Redis in production,
so every web process shares it; the local-memory cache on the embedded default).

``over_limit("complaints", ip, limit=10, seconds=3600)`` counts this call and says whether the address has gone
past ``limit`` calls in the current window (windows start on the clock: each minute, each hour). A limit of 0 turns
the check off.
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
