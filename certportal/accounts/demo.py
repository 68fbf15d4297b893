"""Demo: the demo accounts' password, and a password-spraying attempt two hours ago, shown on the supervisor's
dashboard (idempotent)."""

import datetime
import functools

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from .models import LoginSpray

ADDRESS = "203.0.113.45"  # an address reserved for documentation
PASSWORD = "Demo-Portal-2026"  # noqa: S105 - printed on purpose: the demo accounts of a local portal (load_demo)


def set_password(user) -> None:
    """Give ``user`` the demo accounts' password (not saved). Hashed once per process and hasher: one PBKDF2 takes
    about a quarter of a second, and the demo makes three dozen accounts, a third of ``make run``'s ``load_demo``
    spent hashing the same password. The accounts share the salt with the password the README prints for all of
    them, so it tells nothing; an account's own password, once changed, is hashed afresh by Django as ever."""
    user.password = _hashed(PASSWORD, settings.PASSWORD_HASHERS[0])


@functools.cache
def _hashed(password: str, hasher: str) -> str:
    return make_password(password)


def load(stdout=None) -> None:
    if LoginSpray.objects.filter(ip_address=ADDRESS).exists():
        return
    start = timezone.now() - datetime.timedelta(hours=2)
    tried = ["pemohon@demo.go.id", "verifikator@demo.go.id", "asesor@demo.go.id", "admin.lsp@demo.go.id",
             *[f"pegawai{n}@contoh.go.id" for n in range(1, 12)]]
    LoginSpray.objects.create(ip_address=ADDRESS, started_at=start, last_at=start + datetime.timedelta(minutes=2),
                              failures=20, accounts=sorted(tried), refused=41)
    if stdout:
        stdout.write("  accounts: a password-spraying attempt from 203.0.113.45 (supervisor's dashboard)")
