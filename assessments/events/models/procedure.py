"""The SOP an event follows, kept as a versioned procedure record (seed 002's identity block)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Procedure(models.Model):
    """One version of a standard operating procedure: its number, name, dates, who approved it and its legal basis.
    An event keeps the version in force when it was planned (``Event.procedure``); a revision is a new version, so
    an event's page always names the version it followed."""

    number = models.CharField(_("SOP number"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=300)
    issuer = models.CharField(_("issued by"), max_length=300, blank=True)
    made_on = models.DateField(_("date made"))
    revised_on = models.DateField(_("date revised"), null=True, blank=True)
    effective_on = models.DateField(_("in force from"))
    approved_by = models.CharField(_("approved by"), max_length=300)
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)

    class Meta:
        verbose_name = _("standard operating procedure")
        verbose_name_plural = _("standard operating procedures")
        ordering = ["number", "-version"]
        constraints = [models.UniqueConstraint(fields=["number", "version"], name="unique_procedure_version")]

    def __str__(self) -> str:
        return f"SOP {self.number} v{self.version}"
