"""A database that blinks under a request (PostgreSQL restarted, a failover, a connection cut) is never a 500
(issue 45 item 5).

``CONN_HEALTH_CHECKS`` (settings) replaces a connection that died between two requests. One that dies while a
request is in flight raises ``OperationalError`` or ``InterfaceError``:

- in the view, :class:`DatabaseUnavailableMiddleware` closes the broken connection and, for a read (GET, HEAD)
  outside a transaction, runs the view once more on a fresh connection; when that fails too, or for a write (never
  replayed: the person decides), it answers **503** with ``Retry-After`` and a page in the person's language;
- in a middleware before the view (the session read by the login check), the 500 handler
  (:func:`certportal.views.error_500`) answers the same 503 page.

The page touches no database. An ERROR line in the log names the request and the error.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import get_language

log = logging.getLogger(__name__)
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10
SAFE = ("GET", "HEAD")


def close_broken() -> bool:
    """Close every connection that broke (a fresh one is opened on next use); False when one is inside a
    transaction (``atomic``), where nothing may be retried."""
    retryable = True
    for conn in connections.all(initialized_only=True):
        if conn.in_atomic_block:
            retryable = False
            continue
        try:
            conn.close()
        except DATABASE_ERRORS:  # the socket is gone: drop it anyway
            conn.connection = None
    return retryable


def unavailable_response(request: HttpRequest | None, exc: BaseException) -> HttpResponse:
    """503 with ``Retry-After``: the database did not answer; the person is asked to try again shortly."""
    log.error("Database unavailable during %s %s: %s: %s", getattr(request, "method", "-"),
              getattr(request, "path", "-"), type(exc).__name__, str(exc).strip()[:300])
    html = loader.get_template("503.html").render({"LANGUAGE_CODE": get_language(), "seconds": RETRY_AFTER_SECONDS})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view's database error: one retry of a read on a fresh connection, else the 503 page (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception):
        if not isinstance(exc, DATABASE_ERRORS):
            return None
        retryable = close_broken()
        match = request.resolver_match
        if retryable and request.method in SAFE and match is not None and not getattr(request, "_db_retried", False):
            request._db_retried = True
            log.warning("Database error during %s %s, retried once: %s", request.method, request.path, exc)
            try:
                return match.func(request, *match.args, **match.kwargs)
            except DATABASE_ERRORS as again:
                close_broken()
                return unavailable_response(request, again)
        return unavailable_response(request, exc)
