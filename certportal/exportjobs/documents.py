"""Heavy documents (a PDF or a ZIP that may take more than a second) written by the export job, not in the request.

An app registers a document, as what may be read by whom and how it is written:

    from certportal import exportjobs
    exportjobs.register_document("assessments.assessment_file", write=write, allowed=allowed,
                                 downloaded=audit_download, fmt="pdf")
    # write(user, params, out, progress): writes the file to ``out``; progress(done, total) as parts are done
    # allowed(user, params) -> bool: may this person read it (checked when the job starts, on its page, on download)
    # downloaded(user, params): called on each download (the audit row of a confidential file)

The view that offered the file calls :func:`document_start` and redirects to the job's page; the request answers
at once. A second click (another tab, a replayed form) while that person's job for the same document is queued or
running is given the same job (one running job per person and document: a partial unique constraint).
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from certportal.audit.services import audit_record
from certportal.exports import XLSX_TYPE
from certportal.jobs import claim
from certportal.jobs import registry as jobs
from certportal.outbox.services import enqueue
from certportal.registry import ExtensionPoint
from certportal.workflow import transition

from .models import ExportJob

log = logging.getLogger(__name__)
S = ExportJob.Status
CONTENT_TYPES = {"pdf": "application/pdf", "zip": "application/zip", "xlsx": XLSX_TYPE}  # xlsx: several sheets, written
# by the export helper


@dataclass(frozen=True)
class Document:
    write: Callable[[Any, dict, Any, Callable[[int, int], None]], None]
    allowed: Callable[[Any, dict], bool]
    fmt: str = "pdf"
    downloaded: Callable[[Any, dict], None] | None = None


DOCUMENTS = ExtensionPoint("core.export_document", "Document(write, allowed, fmt, downloaded), keyed by the source "
                           "name: a heavy document (PDF, ZIP) written by a background job", keyed=True,
                           wrappers=("certportal.exportjobs",))


def register_document(name: str, *, write, allowed, fmt: str = "pdf", downloaded=None) -> None:
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"unknown document format {fmt!r}")
    DOCUMENTS.provide(key=name, value=Document(write=write, allowed=allowed, fmt=fmt, downloaded=downloaded))


def is_document(job: ExportJob) -> bool:
    return DOCUMENTS.get(job.source) is not None


def key_of(params: dict) -> str:
    return json.dumps(params, sort_keys=True, separators=(",", ":"))


def may_read(job: ExportJob, user) -> bool:
    """The requester, while the document's own rule still lets them read it (a role taken away: nothing)."""
    if job.created_by_id != getattr(user, "pk", None):
        return False
    document = DOCUMENTS.get(job.source)
    return document is None or document.allowed(user, job.params)


def running(user, source: str, key: str) -> ExportJob | None:
    return ExportJob.objects.filter(created_by=user, source=source, key=key, status__in=(S.QUEUED, S.RUNNING)).first()


def document_start(*, user, source: str, params: dict, filename: str, title: str = "") -> ExportJob:
    """The job writing ``source`` for ``user`` (a new one, or the one already queued or running for them)."""
    document = DOCUMENTS.by_key()[source]
    key = key_of(params)
    job = running(user, source, key)
    if job is not None:
        return job
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(
                source=source, params=params, key=key, fmt=document.fmt, filename=filename[:200], title=title[:200],
                language=translation.get_language() or settings.LANGUAGE_CODE, created_by=user)
            audit_record(actor=user, obj=job, action="exportjobs.exportjob.requested", to_state=S.QUEUED,
                         note=job.filename)
            enqueue("certportal.exportjobs.tasks.run_export", job_id=job.pk)
    except IntegrityError:  # the same click in another tab, a moment earlier
        job = running(user, source, key)
        if job is None:
            raise
    return job


def document_run(job: ExportJob) -> ExportJob | None:
    """Write the document of a job this task took (in the worker), with its progress (each part done is the job's
    heartbeat); any error fails the job."""
    from django.utils.translation import gettext as _

    document = DOCUMENTS.by_key()[job.source]

    def progress(done: int, total: int) -> None:
        claim.beat(ExportJob, job.pk, done=done, total=total)

    try:
        with translation.override(job.language), tempfile.TemporaryFile() as out:
            if not document.allowed(job.created_by, job.params):
                raise PermissionError(_("you may no longer read this document"))
            document.write(job.created_by, job.params, out, progress)
            if not claim.still_ours(ExportJob, job.pk):
                return None  # taken over by another task while this one was silent: that one finishes it
            out.seek(0)
            job.refresh_from_db()
            job.file.save(job.filename, File(out), save=False)
            return transition(job, "finished", user=job.created_by, file=job.file.name,
                              done=max(job.total, 1), total=max(job.total, 1), moved_at=timezone.now())
    except Exception as exc:  # any failure is the job's, shown to its requester; the worker goes on
        log.exception("Document job %s failed", job.pk)
        with translation.override(job.language):
            reason = _("The document could not be written: %(error)s") % {"error": str(exc)[:300]}
        jobs.fail(ExportJob, job.pk, reason)  # the job base's one way to fail a job, as export_fail does
        return None


def document_downloaded(job: ExportJob, user) -> None:
    document = DOCUMENTS.get(job.source)
    if document is not None and document.downloaded is not None:
        document.downloaded(user, job.params)


def document_retry_refusal(job: ExportJob) -> str:
    """Why a failed document job may not be queued again ("" when it may): the same document is being written."""
    from django.utils.translation import gettext as _

    if job.key and running(job.created_by, job.source, job.key) is not None:
        return _("This document is already being written again: follow that job.")
    return ""
