"""Who is asking: the client's address, read the same way by every part of the portal.

Behind a reverse proxy ``REMOTE_ADDR`` is the proxy. Each trusted proxy appends the address it saw to
``X-Forwarded-For`` (nginx: ``$proxy_add_x_forwarded_for``), so with ``TRUSTED_PROXY_COUNT = n`` the client is the
n-th address from the right: everything further left was written by the client and may be forged. With the
default 0 the header is ignored and ``REMOTE_ADDR`` is the client.

Used by the login lockout (``AXES_CLIENT_IP_CALLABLE``), the per-address limits (``certportal.ratelimit``
callers), document-access logs and every audit row (``ClientAddressMiddleware`` keeps the address of the current
request for ``certportal.audit.services.audit_record``).

Written here rather than taken from django-ipware: ipware looks through a dozen headers (``X-Real-IP``,
``Client-IP``...) that a proxy passes through untouched and prefers public over private addresses, both of which
let a client choose its own address unless every option is turned off; the rule above is one line.
"""

import ipaddress
from contextvars import ContextVar

from django.conf import settings

_current: ContextVar[str | None] = ContextVar("client_ip", default=None)


def _valid(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address for ``request`` (None if nothing usable was given)."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:  # fewer hops than configured: reached the portal around the proxy; trust nothing
        return remote
    return _valid(forwarded[-hops])


def current_client_ip() -> str | None:
    """The client address of the request being served in this thread (None in tasks and shells)."""
    return _current.get()


class ClientAddressMiddleware:
    """Works out the client address once per request: ``request.client_ip`` and ``current_client_ip()``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip = client_ip(request)
        token = _current.set(request.client_ip)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
