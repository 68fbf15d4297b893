"""Demo: a password-spraying attempt two hours ago, shown on the supervisor's dashboard (idempotent)."""

import datetime

from django.utils import timezone

from .models import LoginSpray

ADDRESS = "203.0.113.45"  # an address reserved for documentation


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
