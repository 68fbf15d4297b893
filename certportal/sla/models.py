"""SLA policies and the clocks that track each item against them (counted in working days)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    stopped_at = models.DateTimeField(null=True, blank=True)
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
        ]

    def __str__(self) -> str:
        return f"{self.policy.code} #{self.object_id}"
