"""A yearly disposal list and its items: who is past their retention period, and what was done."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DisposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved: anonymisation queued")
    DONE = "done", _("Anonymised")
    CANCELLED = "cancelled", _("Cancelled")


class DisposalKind(models.TextChoices):
    APPLICANT = "applicant", _("Applicant's personal data")
    COMPLAINT = "complaint", _("Complainant's contact data")
    MISUSE = "misuse", _("Misuse reporter's data")
    UNUSED_ACCOUNT = "account", _("Account that never applied")


class DisposalList(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=DisposalStatus.choices,
                              default=DisposalStatus.PROPOSED)
    periods = models.JSONField(_("retention periods applied (years)"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    done_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disposal list")
        verbose_name_plural = _("disposal lists")
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return str(_("Disposal list %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("quality:disposal-detail", args=[self.pk])


class DisposalItem(models.Model):
    disposal = models.ForeignKey(DisposalList, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("record"), max_length=10, choices=DisposalKind.choices)
    object_id = models.PositiveBigIntegerField()  # the account (applicant, unused account), complaint or misuse report
    # Who it is while the list awaits approval (the approver must see it); the pseudonym once anonymised.
    label = models.CharField(_("person"), max_length=200)
    ended_on = models.DateField(_("record ended on"))
    pseudonym = models.CharField(_("pseudonym"), max_length=40)
    files_deleted = models.PositiveIntegerField(_("files deleted"), default=0)
    done_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disposal item")
        verbose_name_plural = _("disposal items")
        ordering = ["kind", "ended_on", "id"]
        constraints = [models.UniqueConstraint(fields=["disposal", "kind", "object_id"], name="disposal_item_once")]

    def __str__(self) -> str:
        return self.label
