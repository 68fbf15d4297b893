"""Demo of issue 30 item 5: the report of the last quarter that is over, as a draft the LSP admin may recompute and
send, and the quarter before it, already sent to BNSP. Idempotent (one report per period)."""

from __future__ import annotations

from django.utils import timezone

from certportal.accounts.models import User

from . import services
from .models import PeriodicReport


def _past_quarters(today, n: int) -> list[tuple[int, int]]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    found = []
    for _i in range(n):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        found.append((year, quarter))
    return found


def load(stdout) -> None:
    admin = User.objects.filter(email="admin.lsp@demo.go.id").first()
    if admin is None:
        stdout.write("quality.reports: LSP admin missing; no demo report")
        return
    last, before = _past_quarters(timezone.localdate(), 2)
    for (year, quarter), sent in ((before, True), (last, False)):
        if PeriodicReport.objects.filter(kind="quarter", year=year, part=quarter).exists():
            continue
        report = services.report_create(actor=admin, kind="quarter", year=year, part=quarter,
                                        letter_number=f"{quarter:03d}/LSP-BPSDM/LAP/{year}")
        if sent:
            services.report_send(report, actor=admin, reference=f"Tanda terima BNSP {quarter}/{year}")
    stdout.write("quality.reports: reports to BNSP of the last two quarters (one sent, one draft)")
