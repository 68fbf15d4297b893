"""The one way a view follows a ``next`` parameter: only to a page of this site.

Every view that reads ``next`` (log-in, log-out, the language switch, the applicant's profile) asks
:func:`safe_next`; a test fails on any other module reading ``next`` from a request. It is Django's
``url_has_allowed_host_and_scheme`` (this host only, HTTPS kept when the request is secure), which refuses what a
hand-written ``startswith("/")`` lets through: ``//evil.example/phish``, ``/\\evil.example``, ``https:evil.example``,
``javascript:…`` and control characters.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

FIELD = "next"


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The request's ``next`` (posted, else in the address) when it leads to this site, else ``default`` (a URL
    name or a path, resolved; ``""`` stays ``""``)."""
    target = request.POST.get(FIELD) or request.GET.get(FIELD) or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return resolve_url(default) if default else ""


def keep_posted_next_safe(request: HttpRequest, default: str = "/") -> None:
    """Before handing the request to a Django view that follows the posted ``next`` by its own rules (the language
    switch, which would fall back to the Referer): replace it by :func:`safe_next`."""
    request.POST = request.POST.copy()
    request.POST[FIELD] = safe_next(request, default)


class SafeNextMixin:
    """For Django's class-based views that follow ``next`` (LoginView, LogoutView): through :func:`safe_next`."""

    def get_redirect_url(self):
        return safe_next(self.request)
