"""Assessors (Asesor Kompetensi): their licence and scope, and the conflicts of interest they declare."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Assessor(models.Model):
    """A licensed competency assessor (Asesor Kompetensi)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
                                related_name="assessor")
    registration_number = models.CharField(_("registration number"), max_length=60, unique=True)  # the MET number
    nip = models.CharField(_("NIP"), max_length=18, blank=True, default="")  # a civil servant's, as registered
    licence_valid_from = models.DateField(_("licence valid from"), null=True, blank=True)
    licence_valid_until = models.DateField(_("licence valid until"))
    schemes = models.ManyToManyField("schemes.Scheme", verbose_name=_("schemes in scope"), blank=True,
                                     related_name="assessors")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("assessor")
        verbose_name_plural = _("assessors")
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return f"{self.user.full_name} ({self.registration_number})"

    def licence_valid_on(self, day: datetime.date) -> bool:
        return self.is_active and self.licence_valid_until >= day

    def in_scope(self, scheme) -> bool:
        """A scheme is in scope by its code, so a new version of a scheme stays in scope."""
        return self.schemes.filter(code=scheme.code).exists()

    def licence_state(self, today: datetime.date | None = None) -> str:
        """inactive / expired / expiring (within LICENCE_EXPIRING_DAYS) / valid, derived from the date."""
        today = today or timezone.localdate()
        if not self.is_active:
            return "inactive"
        if self.licence_valid_until < today:
            return "expired"
        if self.licence_valid_until <= today + datetime.timedelta(days=LICENCE_EXPIRING_DAYS):
            return "expiring"
        return "valid"

    @property
    def licence_state_label(self) -> str:
        return str(LICENCE_STATES[self.licence_state()])

    @property
    def licence_state_colour(self) -> str:
        return LICENCE_STATE_COLOURS[self.licence_state()]


# An assessor licence is renewed through BNSP, which takes weeks, and events are planned weeks ahead:
# the list warns three months before the licence ends.
LICENCE_EXPIRING_DAYS = 90
LICENCE_STATES = {"valid": _("Valid"), "expiring": _("Expires soon"), "expired": _("Expired"),
                  "inactive": _("Inactive")}
LICENCE_STATE_COLOURS = {"valid": "success", "expiring": "warning", "expired": "danger", "inactive": "secondary"}


class ConflictOfInterest(models.Model):
    """An assessor's declaration that they must not assess this person (e.g. a relative, a direct report)."""

    assessor = models.ForeignKey(Assessor, on_delete=models.CASCADE, related_name="conflicts")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("participant"), on_delete=models.CASCADE,
                               related_name="+")
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["assessor", "person"], name="unique_conflict")]

    def __str__(self) -> str:
        return f"{self.assessor} ≠ {self.person}"

