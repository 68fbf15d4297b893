"""SLA policies and the clocks that track each item against them (counted in working days).

The working-day calendar lives here too: the working weekdays, and the days that break the weekly rule
(public holidays and joint leave seeded from the ``holidays`` package, closures and exceptional working
days added by an LSP administrator).
"""

import datetime

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkWeek(models.Model):
    """One row: the weekdays that are working days (0 = Monday ... 6 = Sunday)."""

    weekdays = models.JSONField(_("working weekdays"), default=list)
    # Office hours, local time (settings.TIME_ZONE, WIB): time standards in minutes and hours count only these.
    office_start = models.TimeField(_("office hours start"), default=datetime.time(8, 0))
    office_end = models.TimeField(_("office hours end"), default=datetime.time(16, 0))

    class Meta:
        verbose_name = _("working week")
        verbose_name_plural = _("working week")

    def __str__(self) -> str:
        return ", ".join(str(d) for d in self.weekdays)


class CalendarDay(models.Model):
    """A date that breaks the weekly rule: a day off on a weekday, or a working day on a weekend."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday")
        JOINT_LEAVE = "joint_leave", _("Joint leave (cuti bersama)")
        CLOSURE = "closure", _("Office closure")
        WORKING = "working", _("Exceptional working day")

    class Source(models.TextChoices):
        SEED = "seed", _("National calendar")
        ADMIN = "admin", _("Added by an administrator")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("description"), max_length=200)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ADMIN)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"

    @property
    def is_working(self) -> bool:
        return self.kind == self.Kind.WORKING


class SeededYear(models.Model):
    """A year whose national holidays were copied from the ``holidays`` package (never re-seeded, so an
    administrator's removal of a seeded day sticks)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    seeded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.year)


class SlaPolicy(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    target_days = models.PositiveSmallIntegerField(_("target (working days)"))
    limit_days = models.PositiveSmallIntegerField(_("limit (working days)"))
    warn_days = models.PositiveSmallIntegerField(_("warn when due within (working days)"), default=2)
    pause_states = models.JSONField(_("states that pause the clock"), default=list, blank=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Clock(models.Model):
    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        BREACHED = "breached", _("Breached")
        CANCELLED = "cancelled", _("Cancelled")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    policy = models.ForeignKey(SlaPolicy, on_delete=models.PROTECT, related_name="clocks")
    # The policy's numbers are copied at start: a later change of policy applies to new items only.
    target_days = models.PositiveSmallIntegerField()
    limit_days = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    start_date = models.DateField()
    target_due = models.DateField(null=True, blank=True)
    limit_due = models.DateField(null=True, blank=True)
    paused_since = models.DateField(null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(default=0)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_date = models.DateField(null=True, blank=True)
    # Working days from start to stop, minus the days spent paused (frozen at stop for the dashboard).
    elapsed_working_days = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "policy"], name="unique_clock_per_item")
        ]
        indexes = [
            models.Index(fields=["outcome", "target_due"], name="clock_open_target_idx"),
            models.Index(fields=["outcome", "limit_due"], name="clock_open_limit_idx"),
            models.Index(fields=["outcome", "stop_date"], name="clock_outcome_stop_idx"),
            # The dashboard's figures of open clocks, each an index range of the open ones only (not the
            # history): the items at risk in their order and their count (index-only) ...
            models.Index(fields=["target_due", "id"], include=["policy"], name="clock_at_risk_idx",
                         condition=models.Q(outcome="open", paused_since__isnull=True)),
            # ... the open items past their limit counted per type (index-only) ...
            models.Index(fields=["limit_due", "content_type"], name="clock_open_late_idx",
                         condition=models.Q(outcome="open")),
            # ... and the items of a type whose staff is resolved item by item: its open ones past the limit
            # and its breached ones of the period, a range of that type each.
            models.Index(fields=["content_type", "limit_due"], include=["object_id"], name="clock_type_late_idx",
                         condition=models.Q(outcome="open")),
            models.Index(fields=["content_type", "stop_date"], include=["object_id"],
                         name="clock_type_breached_idx", condition=models.Q(outcome="breached")),
        ]

    def __str__(self) -> str:
        return f"{self.policy.code} #{self.object_id}"

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remember the stop date as read: a save that moves it makes the dashboard forget the month it left
        (``selectors.dashboard_changed``)."""
        clock = super().from_db(db, field_names, values)
        clock.stop_date_read = clock.__dict__.get("stop_date", UNKNOWN)
        return clock

    def refresh_from_db(self, using=None, fields=None, from_queryset=None) -> None:
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "stop_date" in fields:
            self.stop_date_read = self.__dict__.get("stop_date", UNKNOWN)


UNKNOWN = object()  # a clock read without its stop date


class Notice(models.Model):
    """One reminder threshold reached by one clock. The row is claimed (INSERTed) before anything is sent,
    in the same transaction as the notifications: the unique constraint makes each notice exactly-once even
    when two sweeps overlap or a worker dies and the task is retried."""

    class Threshold(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")
        ESCALATED = "escalated", _("Limit breached (escalated)")

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="notices")
    threshold = models.CharField(max_length=20, choices=Threshold.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("SLA notice")
        verbose_name_plural = _("SLA notices")
        constraints = [models.UniqueConstraint(fields=["clock", "threshold"], name="unique_notice_per_threshold")]

    def __str__(self) -> str:
        return f"{self.clock_id} {self.threshold}"
