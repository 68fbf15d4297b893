"""Making a periodic report (its figures computed and frozen), recomputing a draft, recording it sent to BNSP."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal.audit.services import audit_record
from certportal.workflow import transition

from . import figures
from .models import PeriodicReport, period_bounds
from .workflow import CREATED, ReportError, period_over_refusal


def report_create(*, actor, kind: str, year: int, part: int, letter_number: str, ip: str | None = None,
                  at=None) -> PeriodicReport:
    """The report of one period, its figures computed now; refused before the period is over, or twice."""
    at = at or timezone.now()
    starts_on, ends_on = period_bounds(kind, year, part)
    refusal = period_over_refusal(ends_on, at)
    if refusal:
        raise ReportError(refusal)
    if PeriodicReport.objects.filter(kind=kind, year=year, part=part).exists():
        raise ReportError(_("The report of this period already exists: open it, or recompute its figures."))
    try:
        with transaction.atomic():
            report = PeriodicReport.objects.create(
                kind=kind, year=year, part=part, starts_on=starts_on, ends_on=ends_on, created_by=actor,
                letter_number=letter_number.strip(), figures=figures.compute(starts_on, ends_on), computed_at=at)
            audit_record(actor=actor, obj=report, action=CREATED, to_state=report.status, ip_address=ip)
    except IntegrityError:  # the same form sent twice at once
        raise ReportError(_("The report of this period already exists: open it, or recompute its figures.")) from None
    return report


def report_recompute(report: PeriodicReport, *, actor, ip: str | None = None) -> PeriodicReport:
    now = timezone.now()
    return transition(report, "recomputed", user=actor, ip=ip, at=now,
                      figures=figures.compute(report.starts_on, report.ends_on), computed_at=now)


def report_send(report: PeriodicReport, *, actor, reference: str, ip: str | None = None) -> PeriodicReport:
    return transition(report, "sent", user=actor, ip=ip, reason=reference, sent_reference=reference.strip())
