"""A large export, written by a Celery task to a private file that only its requester may download."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certportal.files import private_files
from certportal.jobs.models import BackgroundJob


def export_path(instance, filename: str) -> str:
    """Unguessable, and never the requester's words: ``exports/ab/<random>.csv``."""
    ext = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"exports/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{ext}"


class ExportJob(BackgroundJob):
    """Status, reason, attempts, sign of life, requester and times come from the job base (certportal.jobs)."""

    # The pages and the download are addressed by this random id, never by the row number.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(_("export"), max_length=100)  # a name registered with exportjobs.register_source
    params = models.JSONField(default=dict, blank=True)  # the filters, as the page's query string had them
    fmt = models.CharField(_("format"), max_length=5)  # csv, xlsx; a document (exportjobs.documents): pdf, zip
    # A document's params as one string, a table export's filters and format as a digest: a person has one queued
    # or running job per document or export (a second click is given the same job); "" on rows made before.
    key = models.CharField(max_length=200, blank=True, default="")
    language = models.CharField(max_length=10, default="id")
    title = models.CharField(_("title"), max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=private_files, upload_to=export_path, blank=True, max_length=300)
    # An export holds its requester's view of personal data: it goes with them (the base keeps other jobs).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("requested by"))

    class Meta:
        verbose_name = _("background export")
        verbose_name_plural = _("background exports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "moved_at"], name="exportjob_status_moved_idx")]
        constraints = [models.UniqueConstraint(
            fields=["created_by", "source", "key"], condition=models.Q(status__in=["queued", "running"])
            & ~models.Q(key=""), name="exportjob_one_running_document")]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("exportjobs:detail", kwargs={"public_id": self.public_id})

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(int(100 * self.done / self.total), 99) if self.total else 0
