"""A Redis cache that never fails a request: Redis down, every cache call degrades to a miss.

The portal caches only what it can compute again (counts, the calendar, rendered dashboards) and counts the public
forms' rate limits there. When Redis does not answer (refused, timed out, restarting) :class:`FailSoftRedisCache`

* answers a read with the default (a miss: the page computes the value from the database),
* drops a write (``set``/``add`` report nothing stored; ``incr`` answers as if the count had just started, so a rate
  limit lets the request through: allow-and-log, docs/operations/runbook.md),
* remembers the invalidations it could not make (``delete``, ``incr`` of a version key) and makes them once Redis
  answers again, so no page shows a value that changed during the outage for longer than it would anyway,
* stops asking Redis for ``CACHE_RETRY_SECONDS`` after a failure (no request pays a timeout per cache call), and
* logs a warning when Redis goes away (again every minute while it stays away) and one line when it is back.

``/healthz`` reports the cache as ``down`` meanwhile (:func:`cache_status`).
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)
LOG_EVERY_SECONDS = 60
MAX_REPLAY = 1000  # invalidations kept for when Redis is back (beyond it, the oldest are dropped)


class _State:
    """Per process: Redis answered or not, since when, and what could not be invalidated meanwhile."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.down_since: float | None = None
        self.logged_at = 0.0
        self.replay: list[tuple[str, str, int]] = []  # ("delete" | "incr", full key, delta)


_state = _State()


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.RedisError, OSError)


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {"socket_connect_timeout": settings.CACHE_TIMEOUT_SECONDS,
                                        "socket_timeout": settings.CACHE_TIMEOUT_SECONDS,
                                        **params.get("OPTIONS", {})}}
        super().__init__(server, params)

    # --- the guard ---------------------------------------------------------------------------------------------

    def _call(self, default, operation, *args, replay: tuple[str, str, int] | None = None):
        if time.monotonic() < _state.down_until:
            self._remember(replay)
            return default
        try:
            value = operation(*args)
        except _redis_errors() as exc:
            self._went_down(exc)
            self._remember(replay)
            return default
        if _state.down_since is not None:
            self._came_back()
        return value

    @staticmethod
    def _remember(replay):
        if replay:
            with _state.lock:
                _state.replay = [*_state.replay[-(MAX_REPLAY - 1):], replay]

    @staticmethod
    def _went_down(exc: BaseException) -> None:
        now = time.monotonic()
        with _state.lock:
            _state.down_until = now + settings.CACHE_RETRY_SECONDS
            first = _state.down_since is None
            if first:
                _state.down_since = now
            if first or now - _state.logged_at >= LOG_EVERY_SECONDS:
                _state.logged_at = now
                log.warning("Cache (Redis) not answering, pages compute without it and rate limits let requests "
                            "through: %s", exc)

    def _came_back(self) -> None:
        with _state.lock:
            if _state.down_since is None:
                return
            seconds = time.monotonic() - _state.down_since
            _state.down_since, pending, _state.replay = None, _state.replay, []
        log.warning("Cache (Redis) answers again after %.0f s; making %s invalidation(s) missed meanwhile",
                    seconds, len(pending))
        for what, key, delta in pending:
            try:
                if what == "delete":
                    self._cache.delete(key)
                else:
                    self._cache.incr(key, delta)
            except ValueError:  # the version key is gone: its next reader starts afresh
                pass
            except _redis_errors():
                return

    # --- Django's cache API, each call guarded -------------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call(False, self._cache.add, key, value, self.get_backend_timeout(timeout))

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call(default, self._cache.get, key, default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._call(None, self._cache.set, key, value, self.get_backend_timeout(timeout))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call(False, self._cache.touch, key, self.get_backend_timeout(timeout))

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call(False, self._cache.delete, key, replay=("delete", key, 0))

    def get_many(self, keys, version=None):
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        found = self._call({}, self._cache.get_many, key_map.keys())
        return {key_map[k]: v for k, v in found.items()}

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call(False, self._cache.has_key, key)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call(delta, self._cache.incr, key, delta, replay=("incr", key, delta))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        safe = {self.make_and_validate_key(key, version=version): value for key, value in data.items()}
        self._call(None, self._cache.set_many, safe, self.get_backend_timeout(timeout))
        return []

    def delete_many(self, keys, version=None):
        for key in keys:
            self.delete(key, version=version)

    def clear(self):
        return self._call(False, self._cache.clear)

    def ping(self) -> bool:
        """Whether Redis answers now (asked even while the guard holds back, for /healthz)."""
        try:
            ok = bool(self._cache.get_client(write=True).ping())
        except _redis_errors():
            return False
        if ok and _state.down_since is not None:
            _state.down_until = 0.0
            self._came_back()
        return ok


def cache_status() -> str:
    """'ok' or 'down' for a Redis cache, 'local' for a cache in this process (the embedded default)."""
    from django.core.cache import caches

    backend = caches["default"]
    if isinstance(backend, FailSoftRedisCache):
        return "ok" if backend.ping() else "down"
    if isinstance(backend, RedisCache):
        try:
            return "ok" if backend._cache.get_client(write=True).ping() else "down"
        except Exception:
            return "down"
    return "local"

