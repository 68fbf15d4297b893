"""The scheme's own records (ISO/IEC 17024 8; BNSP's guideline on schemes): the validation of a scheme version
before it is offered, and its later reviews, each with who reviewed it, what they found, the conclusion and the
next review date. Imported by :mod:`schemes.models` so that Django finds the model under ``schemes``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 4000


class SchemeReview(models.Model):
    class Kind(models.TextChoices):
        VALIDATION = "validation", _("Validation before use")
        REVIEW = "review", _("Periodic review")

    class Outcome(models.TextChoices):
        FIT = "fit", _("Fit for use")
        REVISE = "revise", _("To be revised")

    scheme = models.ForeignKey("schemes.Scheme", verbose_name=_("certification scheme"), on_delete=models.PROTECT,
                               related_name="reviews")
    kind = models.CharField(_("kind of record"), max_length=12, choices=Kind.choices)
    held_on = models.DateField(_("date of the review"))
    reviewers = models.TextField(_("reviewed by"), max_length=TEXT_MAX)
    findings = models.TextField(_("findings of the review"), max_length=TEXT_MAX)
    outcome = models.CharField(_("conclusion"), max_length=8, choices=Outcome.choices)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scheme validation or review")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme"], condition=models.Q(kind="validation"),
                                    name="one_validation_per_scheme_version"),
            models.CheckConstraint(condition=models.Q(next_review_on__isnull=True)
                                   | models.Q(next_review_on__gt=models.F("held_on")),
                                   name="scheme_review_next_after_held"),
        ]

    def __str__(self) -> str:
        from certportal.dates import day

        return f"{self.get_kind_display()} {day(self.held_on)}"
