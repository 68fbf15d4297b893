"""The management system's own records (ISO/IEC 17024 10.2): internal audits and management reviews with their
findings, the corrective action each finding becomes, and the LSP's controlled documents with their versions.

- A :class:`SystemReview` (an internal audit or a management review) is recorded (date, scope or agenda,
  participants; an internal audit its auditor and the test events audited, none of which the auditor took part
  in), gets its findings, and is concluded with its conclusions.
- Each :class:`Finding` (the nonconformity) becomes one :class:`CorrectiveAction` with an owner (a staff user) and
  a due date counted in working days by the core's SLA clock ("corrective-action"); the owner records the
  correction and the cause found, adds evidence and reports it done; someone else (an LSP administrator or the
  quality reviewer) checks its effectiveness and closes it, or sends it back.
- A :class:`ControlledDocument` (quality manual, procedure, a scheme's document) has :class:`DocumentVersion` rows
  (file, label, effective date), each approved by someone other than its uploader. The version in force on a date
  is the approved one with the latest effective date not after it; superseded versions are kept.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certportal import dates
from certportal.files import StoredFile


class SystemReview(models.Model):
    class Kind(models.TextChoices):
        INTERNAL_AUDIT = "internal_audit", _("Internal audit")
        MANAGEMENT_REVIEW = "management_review", _("Management review")

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        CONCLUDED = "concluded", _("Concluded")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("date held"))
    scope = models.TextField(_("scope or agenda"))
    participants = models.TextField(_("participants"))
    # An internal audit's auditor and the test events whose records were audited: the auditor took no part in
    # them (ISO/IEC 17024 10.2.6, :func:`quality.system.selectors.involvement`), checked when it is recorded.
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("internal auditor"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="+")
    audited_events = models.ManyToManyField("assessments.Event", verbose_name=_("test events audited"), blank=True,
                                            related_name="+")
    # a management review's inputs (ISO/IEC 17024 10.2.5): {code: text}, codes in quality.system.review_inputs
    inputs = models.JSONField(_("inputs of the management review"), default=dict, blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECORDED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("internal audit or management review")
        verbose_name_plural = _("internal audits and management reviews")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {dates.day(self.held_on)}"

    def get_absolute_url(self) -> str:
        return reverse("quality:system-review", args=[self.pk])


class Finding(models.Model):
    class Severity(models.TextChoices):
        MAJOR = "major", _("Major nonconformity")
        MINOR = "minor", _("Minor nonconformity")
        OBSERVATION = "observation", _("Observation")
        DECISION = "decision", _("Decision or action of the management review")

    review = models.ForeignKey(SystemReview, on_delete=models.PROTECT, related_name="findings")
    number = models.PositiveSmallIntegerField(_("number"))
    clause = models.CharField(_("clause or requirement"), max_length=100, blank=True)
    severity = models.CharField(_("severity"), max_length=12, choices=Severity.choices)
    description = models.TextField(_("finding"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="quality_finding_number")]

    def __str__(self) -> str:
        return _("Finding %(number)s of %(review)s") % {"number": self.number, "review": self.review}


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Reported done")
    CLOSED = "closed", _("Closed")


class CorrectiveAction(models.Model):
    finding = models.OneToOneField(Finding, on_delete=models.PROTECT, related_name="action")
    description = models.TextField(_("corrective action"))
    # ISO/IEC 17024 10.2.7: what was done at once, the cause the owner found (before reporting it done), and the
    # check by someone else, when closing, that the action was effective (the cause removed, no recurrence)
    correction = models.TextField(_("correction (done at once)"), blank=True)
    cause = models.TextField(_("cause found"), blank=True)
    effectiveness = models.TextField(_("effectiveness check"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="corrective_actions",
                              verbose_name=_("owner"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    closing_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "status"], name="quality_action_owner_idx")]

    def __str__(self) -> str:
        return _("Corrective action %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("quality:system-action", args=[self.pk])

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status != ActionStatus.CLOSED and self.due_on < (today or timezone.localdate())


class ActionEvidence(StoredFile):
    upload_prefix = "quality/evidence"
    action = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE, related_name="evidence")
    note = models.CharField(_("note"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence of a corrective action")
        verbose_name_plural = _("evidence of corrective actions")
        ordering = ["pk"]


class ControlledDocument(models.Model):
    class Kind(models.TextChoices):
        MANUAL = "manual", _("Quality manual")
        PROCEDURE = "procedure", _("Procedure")
        SCHEME = "scheme", _("Scheme document")
        FORM = "form", _("Form or record template")

    code = models.CharField(_("document code"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("controlled document")
        verbose_name_plural = _("controlled documents")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("quality:system-document", args=[self.pk])


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Awaiting approval")
    APPROVED = "approved", _("Approved")


class DocumentVersion(StoredFile):
    upload_prefix = "quality/documents"
    document = models.ForeignKey(ControlledDocument, on_delete=models.PROTECT, related_name="versions")
    label = models.CharField(_("version"), max_length=30)
    effective_on = models.DateField(_("effective from"))
    summary = models.CharField(_("what changed"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-effective_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["document", "label"], name="quality_version_label")]

    def __str__(self) -> str:
        return f"{self.document.code} {self.label}"
