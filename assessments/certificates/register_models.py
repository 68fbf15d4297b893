"""An import of the LSP's certificate register (certificates issued on paper before the portal), as a background
job of the core's job base (certportal.jobs): the file is kept in private storage, a worker reads and checks every
row (queued → running → done, "read, to review"), the LSP admin reads the preview and imports it (done → applied,
every row or none) or discards it. Loaded with the other models by :mod:`assessments.models`."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certportal.files import RandomPath, private_files
from certportal.jobs.models import BackgroundJob


class RegisterImport(BackgroundJob):
    """One upload of the register (XLSX or CSV). ``rows`` is the checked preview the LSP admin reads (each row's
    values and its problems); ``counts`` what it holds (new, already imported, faulty) and, once applied, what
    importing it did. Nothing reaches the certificates before "applied"."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", pgettext_lazy("job", "Running")
        DONE = "done", pgettext_lazy("import", "Read, to review")
        FAILED = "failed", _("Failed")
        APPLIED = "applied", pgettext_lazy("import", "Imported")
        DISCARDED = "discarded", pgettext_lazy("import", "Discarded")

    WAITING = (Status.DONE, Status.FAILED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(storage=private_files, upload_to=RandomPath("register"), max_length=300)
    filename = models.CharField(_("file name"), max_length=200)  # as uploaded, shown only (never a path)
    language = models.CharField(max_length=10, default="id")  # the row messages are written in the uploader's
    total = models.PositiveIntegerField(default=0)  # rows to check
    done = models.PositiveIntegerField(default=0)
    rows = models.JSONField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    digest = models.CharField(max_length=64, blank=True, default="")  # the file's bytes: one active job per file

    class Meta:
        verbose_name = _("certificate register import")
        verbose_name_plural = _("certificate register imports")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["created_by", "digest"], condition=models.Q(
            status__in=["queued", "running"]) & ~models.Q(digest=""), name="registerimport_one_active_per_file")]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assessments:register-import", kwargs={"public_id": self.public_id})

    @property
    def percent(self) -> int:
        if self.status not in (self.Status.QUEUED, self.Status.RUNNING):
            return 100
        return min(int(100 * self.done / self.total), 99) if self.total else 0

    @property
    def faulty(self) -> int:
        return int((self.counts or {}).get("faulty", 0))


__all__ = ["RegisterImport"]
