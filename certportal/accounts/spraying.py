"""Password spraying: failed logins counted per address across accounts, on top of django-axes's lock of one
account from one address (``AXES_LOCKOUT_PARAMETERS``).

The failures are read from axes's own table (``AccessAttempt``: one row per account and address, its failures
and the time of the last one), so every web process sees the same count whatever the cache. When an address has
failed ``LOGIN_ADDRESS_FAILURE_LIMIT`` times (any accounts) within ``AXES_COOLOFF_TIME``, every login from it is
refused before the password is even checked — a right password for another account included — until the window
has passed since its last failure; the login page says so. Each such episode is kept as a :class:`LoginSpray`
(address, accounts tried, when, logins refused) for the supervisor's dashboard. Another address is not affected.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from certportal import figures

from .models import LoginSpray

SPRAYS = "accounts.sprays"


def _window() -> datetime.timedelta:
    cooloff = settings.AXES_COOLOFF_TIME
    return cooloff if isinstance(cooloff, datetime.timedelta) else datetime.timedelta(hours=float(cooloff or 0.25))


def address_failures(ip: str | None) -> tuple[int, list[str], datetime.datetime | None]:
    """Failed logins from ``ip`` within the window: (how many, which accounts, when the last was)."""
    from axes.models import AccessAttempt

    if not ip:
        return 0, [], None
    recent = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=timezone.now() - _window())
    totals = recent.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    accounts = sorted({u for u in recent.values_list("username", flat=True) if u})
    return totals["failures"] or 0, accounts, totals["last"]


def blocked_until(ip: str | None) -> datetime.datetime | None:
    """When logins from ``ip`` are allowed again, or None when they are now."""
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    if not limit or not ip:
        return None
    failures, accounts, last = address_failures(ip)
    if failures < limit:
        return None
    _record(ip, failures, accounts, last)
    return last + _window()


def login_refused(ip: str) -> None:
    """A login from a blocked address was refused (its password never checked)."""
    spray = _current(ip).first()
    if spray is not None:
        LoginSpray.objects.filter(pk=spray.pk).update(refused=F("refused") + 1)
        figures.forget(SPRAYS)


def _current(ip: str):
    return LoginSpray.objects.filter(ip_address=ip, last_at__gte=timezone.now() - _window()).order_by("-last_at")


def _record(ip: str, failures: int, accounts: list[str], last) -> None:
    with transaction.atomic():
        spray = _current(ip).select_for_update().first()
        if spray is None:
            spray = LoginSpray(ip_address=ip, started_at=timezone.now())
        spray.failures = max(spray.failures, failures)
        spray.accounts = sorted(set(spray.accounts) | set(accounts))[:LoginSpray.ACCOUNTS_KEPT]
        spray.last_at = last or timezone.now()
        spray.save()
        transaction.on_commit(lambda: figures.forget(SPRAYS))


def on_login_failed(sender, credentials=None, request=None, **kwargs) -> None:
    """After a failed login (and axes's count of it): record the address's episode once it passes the limit."""
    from certportal.net import client_ip

    if request is not None:
        blocked_until(client_ip(request))


def recent_sprays(days: int = 30) -> list[LoginSpray]:
    """The episodes of the last ``days`` days, newest first (one query), kept a minute for every reader of the
    SLA dashboard (``certportal.figures``) and forgotten whenever an episode is recorded or a login refused."""
    return figures.kept(SPRAYS, days, lambda: list(
        LoginSpray.objects.filter(last_at__gte=timezone.now() - datetime.timedelta(days=days))[:50]))
