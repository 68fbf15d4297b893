"""A yearly disposal list and its items: who is past their retention period, and what was done."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certportal import personal_data


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
    # the uploaded import files (``certportal.personal_data.register_upload``): deleted with their reading
    REGISTER_FILE = "register", _("Certificate register file (import)")
    ROSTER_FILE = "roster", _("Roster file (import)")
    ADOPTION_FILE = "adoption", _("Assessors' or test sites' file (import)")


FILE_KINDS = (DisposalKind.REGISTER_FILE, DisposalKind.ROSTER_FILE, DisposalKind.ADOPTION_FILE)  # a file, not a person: no pseudonym


class DropReason(models.TextChoices):
    """Why someone listed is left out when the list is checked again (approval, the job): the step of the rule
    (``rules.RULES``) that no longer holds. The apps' own steps use the app's name and label
    (``certportal.personal_data.register_in_use``)."""

    GONE = "gone", _("The record no longer exists")
    ACCOUNT = "account", _("The account is no longer only an applicant's (a staff role, or already anonymised)")
    OPEN_APPLICATION = "open_application", _("An application is in progress (a draft included)")
    SENT_APPLICATION = "sent_application", _("An application was sent")
    RECENT_APPLICATION = "recent_application", _("An application was started or changed within the period")
    LOGGED_IN = "logged_in", _("Logged in within the period")
    REOPENED = "reopened", _("The record is being handled again")
    RECENTLY_CLOSED = "recently_closed", _("Closed within the period")
    NOTHING_LEFT = "nothing_left", _("Nothing of the person is left on the record")


def drop_reason_label(code: str) -> str:
    if code in DropReason.values:
        return str(DropReason(code).label)
    check = next((c for c in personal_data.in_use_checks() if c.app == code), None)
    return str(check.label) if check else code


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
    # the account (applicant, unused account), complaint, misuse report or import (the file's job)
    object_id = models.PositiveBigIntegerField()
    # Who it is while the list awaits approval (the approver must see it); the pseudonym once anonymised. An import
    # file's name, kept (the file is no person; its pseudonym is empty).
    label = models.CharField(_("person"), max_length=200)
    ended_on = models.DateField(_("record ended on"))
    pseudonym = models.CharField(_("pseudonym"), max_length=40)
    files_deleted = models.PositiveIntegerField(_("files deleted"), default=0)
    done_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # Left out when the list was checked again (at approval or when the job ran): the person no longer qualifies.
    dropped_reason = models.CharField(_("left out because"), max_length=40, blank=True)
    dropped_at = models.DateTimeField(_("left out at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disposal item")
        verbose_name_plural = _("disposal items")
        ordering = ["kind", "ended_on", "id"]
        constraints = [models.UniqueConstraint(fields=["disposal", "kind", "object_id"], name="disposal_item_once")]

    def __str__(self) -> str:
        return self.label

    @property
    def is_file(self) -> bool:
        return self.kind in FILE_KINDS

    @property
    def dropped_because(self) -> str:
        return drop_reason_label(self.dropped_reason) if self.dropped_reason else ""
