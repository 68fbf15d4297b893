"""The abstract job row every kind of background job extends."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", pgettext_lazy("job", "Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BackgroundJob(models.Model):
    """What every background job has: its status, the reason of a failure, the attempts, its last sign of life
    (``moved_at``, its heartbeat: a status change or a part of the work done; a task takes over a job whose
    heartbeat stopped, the sweep resumes or fails it), the task delivery working on it, who asked, when.

    A kind with more states (an import waiting for review...) redeclares ``status`` with its own choices, a
    superset of :class:`JobStatus`."""

    Status = JobStatus

    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    error = models.TextField(_("reason of the failure"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("requested by"))
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    moved_at = models.DateTimeField(default=timezone.now)
    # The task delivery working on it ("<message id>/<retries>", certportal.jobs.claim): a copy of the message
    # handed out again leaves a job whose heartbeat is fresh; a retry of the same message takes it back.
    claim = models.CharField(max_length=200, blank=True, default="", editable=False)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def reason(self) -> str:
        return self.error

    @property
    def requested_by(self):
        return self.created_by

    @property
    def in_progress(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def requester_language(self) -> str:
        """The language the requester reads the failure in: the job's own (exports), else their preference."""
        return (getattr(self, "language", "") or getattr(self.created_by, "preferred_language", "")
                or settings.LANGUAGE_CODE)




class ImportStatus(models.TextChoices):
    """An import's states: read (done) waits for a person, who imports it (applied) or discards it."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", pgettext_lazy("job", "Running")
    DONE = "done", pgettext_lazy("import", "Read, to review")
    FAILED = "failed", _("Failed")
    APPLIED = "applied", pgettext_lazy("import", "Imported")
    DISCARDED = "discarded", pgettext_lazy("import", "Discarded")


class UploadImport(BackgroundJob):
    """What every import of an uploaded file reviewed before it is written has (the LSP's registers): the file's
    name as uploaded, the language its row messages are written in, the progress, the checked preview (``rows``:
    each row's values and problems), the counts (new, unchanged, faulty; once applied, what it did) and the file's
    digest (one active job per person and file). Each kind declares its ``file`` and its constraint on the
    digest."""

    Status = ImportStatus  # type: ignore[assignment]  # a superset of JobStatus: its states and two more
    WAITING = (ImportStatus.DONE, ImportStatus.FAILED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    filename = models.CharField(_("file name"), max_length=200)  # as uploaded, shown only (never a path)
    language = models.CharField(max_length=10, default="id")  # the row messages are written in the uploader's
    total = models.PositiveIntegerField(default=0)  # rows to check
    done = models.PositiveIntegerField(default=0)
    rows = models.JSONField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    digest = models.CharField(max_length=64, blank=True, default="")  # the file's bytes: one active job per file
    # A person imported it (the "confirmed" transition): queued and running again, the worker writes the rows
    # instead of reading them; who confirmed it is the one the written records are audited under.
    confirmed = models.BooleanField(default=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("imported by"))

    class Meta(BackgroundJob.Meta):
        abstract = True

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        if not self.in_progress:
            return 100
        return min(int(100 * self.done / self.total), 99) if self.total else 0

    @property
    def importing(self) -> bool:
        """Confirmed and not yet written: the worker checks the rows again and writes them."""
        return self.confirmed and self.in_progress

    @property
    def status_label(self) -> str:
        """The status as a person reads it: "Importing" while the worker writes a confirmed import."""
        return str(pgettext_lazy("import", "Importing")) if self.importing else str(self.get_status_display())

    @property
    def faulty(self) -> int:
        return int((self.counts or {}).get("faulty", 0))
