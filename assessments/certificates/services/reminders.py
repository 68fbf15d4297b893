"""Reminders before a certificate expires (issue 18 point 4): by default 6 and 3 months before the expiry date
(``ASSESSMENT_EXPIRY_REMINDER_MONTHS``), each exactly once, sent by the core's SLA sweep (registered in
``AssessmentsConfig.ready()`` through :func:`certportal.sla.registry.register_sweep`).

Exactly once like the clocks' notices: the :class:`ExpiryReminder` row is INSERTed under its unique constraint
before the holder is told, in the same transaction as the notification and the outbox e-mail; an overlapping sweep
blocks on it and skips. State-based: a sweep after days of downtime catches up. Nearer thresholds go first, and a
certificate that gets the 3-month reminder has its 6-month one marked as passed over (never sent late).
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from assessments.certificates.models import Certificate, ExpiryReminder
from certportal.notifications.services import notify


def add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def thresholds() -> list[int]:
    return sorted({m for m in settings.ASSESSMENT_EXPIRY_REMINDER_MONTHS if m > 0})


def due_for_reminder(months: int, today: datetime.date):
    """Valid certificates (issued, not replaced) expiring within ``months`` that have no reminder row for it."""
    done = ExpiryReminder.objects.filter(certificate=OuterRef("pk"), months=months)
    newer = Certificate.objects.filter(replaces=OuterRef("pk"))
    # an imported certificate whose holder has no account yet is reminded once they are linked (a re-import)
    held = Q(application__isnull=False) | Q(holder__isnull=False)
    return (Certificate.objects.filter(held, status=Certificate.Status.ISSUED, expires_on__gte=today,
                                       expires_on__lte=add_months(today, months))
            .filter(~Exists(done), ~Exists(newer))
            .select_related("application__applicant", "holder").order_by("pk"))


def remind(cert: Certificate, months: int, further: list[int]) -> bool:
    """Claim the reminder, mark the further thresholds passed over, tell the holder; all or nothing."""
    holder = cert.holder_account
    with transaction.atomic():
        try:
            with transaction.atomic():
                ExpiryReminder.objects.create(certificate=cert, months=months)
        except IntegrityError:
            return False
        ExpiryReminder.objects.bulk_create([ExpiryReminder(certificate=cert, months=m, sent=False) for m in further],
                                           ignore_conflicts=True)
        notify(holder, template="assessments/email/certificate_expiring",
               context={"cert": cert, "months": months}, url=reverse("assessments:holder-certificate",
                                                                     kwargs={"pk": cert.pk}),
               key=f"expiry:{cert.pk}:{months}")
    return True


def expiry_reminders_sweep(today: datetime.date) -> int:
    """Send every reminder that is due and not sent yet; returns how many went out."""
    sent = 0
    months = thresholds()
    for i, m in enumerate(months):
        for cert in due_for_reminder(m, today).iterator(chunk_size=500):
            sent += remind(cert, m, months[i + 1:])
    return sent
