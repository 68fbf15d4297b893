"""A periodic report to BNSP: its period, the figures frozen when it was made (or last recomputed), its status."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    SEMESTER = "semester", _("Semester")
    YEAR = "year", pgettext_lazy("period", "Year")


# How many of each kind a year holds, and how many months each lasts.
PARTS = {PeriodKind.QUARTER: 4, PeriodKind.SEMESTER: 2, PeriodKind.YEAR: 1}


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft: figures may be recomputed")
    SENT = "sent", _("Sent to BNSP")


class PeriodicReport(models.Model):
    kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(pgettext_lazy("period", "year"))
    part = models.PositiveSmallIntegerField(_("quarter or semester"), default=1)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    letter_number = models.CharField(_("letter number"), max_length=80)
    figures = models.JSONField(_("figures"), default=dict, editable=False)
    computed_at = models.DateTimeField(_("figures computed at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_reference = models.CharField(_("BNSP receipt or delivery reference"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("periodic report to BNSP")
        verbose_name_plural = _("periodic reports to BNSP")
        ordering = ["-starts_on", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "year", "part"], name="quality_report_one_per_period")]

    def __str__(self) -> str:
        return str(_("Report to BNSP, %(period)s") % {"period": self.period_label})

    def get_absolute_url(self) -> str:
        return reverse("quality:report-detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return str(_("year %(year)s") % {"year": self.year})
        if self.kind == PeriodKind.SEMESTER:
            return str(_("semester %(part)s %(year)s") % {"part": self.part, "year": self.year})
        return str(_("quarter %(part)s %(year)s") % {"part": self.part, "year": self.year})


def period_bounds(kind: str, year: int, part: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the period (a quarter 1–4, a semester 1–2, the year: part 1)."""
    parts = PARTS[PeriodKind(kind)]
    if not 1 <= part <= parts:
        raise ValueError(f"{kind} {part}")
    months = 12 // parts
    first = datetime.date(year, (part - 1) * months + 1, 1)
    end_month = part * months
    last = (datetime.date(year + 1, 1, 1) if end_month == 12 else datetime.date(year, end_month + 1, 1))
    return first, last - datetime.timedelta(days=1)
