"""Background exports: the sources apps register, and the job's life (start, run, fail, retry, stale check).

An app registers what it can export, as a function of the requester and the page's filters:

    from certportal import exportjobs
    exportjobs.register_source("applicants.queue", build)   # build(user, params) -> Table

The view decides (more rows than ``EXPORT_BACKGROUND_ROWS``: a job; else written whole at once, before the first
byte is sent), the task calls ``build`` again in the worker, with the requester's rights and language, and writes the file chunk by chunk.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certportal import exports
from certportal.audit.services import audit_record
from certportal.jobs import claim
from certportal.jobs import registry as jobs
from certportal.outbox.services import enqueue
from certportal.registry import ExtensionPoint
from certportal.workflow import transition

from . import documents
from .models import ExportJob

log = logging.getLogger(__name__)
S = ExportJob.Status
PROGRESS_EVERY = 1000  # rows between two progress updates (and signs of life)


@dataclass
class Table:
    title: str
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    total: int
    sheets: Sequence[exports.Sheet] = ()  # more sheets after the rows' own, in an XLSX (summaries)


Builder = Callable[[Any, dict], Table]
SOURCES = ExtensionPoint("core.export_source", "build(user, params) -> Table, keyed by the source name: a table "
                         "export that may run as a background job", keyed=True, wrappers=("certportal.exportjobs",))


def register_source(name: str, build: Builder) -> None:
    SOURCES.provide(build, key=name)


def needs_background(rows: int) -> bool:
    return rows > settings.EXPORT_BACKGROUND_ROWS


def params_of(query) -> dict:
    """A page's query string as a job's ``params`` (JSON: every value a list)."""
    return dict(query.lists())


def query_of(params: dict):
    """A job's ``params`` back as the ``QueryDict`` the page's filter form reads."""
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, values in (params or {}).items():
        query.setlist(key, values if isinstance(values, list) else [values])
    return query


def table_key(params: dict, fmt: str) -> str:
    """A table export's ``key``: its filters and format, as a digest (the filters may be long)."""
    return "table:" + hashlib.sha256(documents.key_of({"params": params, "fmt": fmt}).encode()).hexdigest()


def export_start(*, user, source: str, params: dict, fmt: str, filename: str, title: str = "") -> ExportJob:
    """Record the job and hand it to a worker through the outbox (published once the request commits). A second
    click while the same person's export of the same filters and format is queued or running is given that job
    (the partial unique constraint on the requester, source and key)."""
    if SOURCES.get(source) is None or fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown export {source!r} / {fmt!r}")
    key = table_key(params, fmt)
    job = documents.running(user, source, key)
    if job is not None:
        return job
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(source=source, params=params, fmt=fmt, filename=filename, title=title,
                                           key=key, language=translation.get_language() or settings.LANGUAGE_CODE,
                                           created_by=user)
            audit_record(actor=user, obj=job, action="exportjobs.exportjob.requested", to_state=S.QUEUED,
                         note=filename)
            enqueue("certportal.exportjobs.tasks.run_export", job_id=job.pk)
    except IntegrityError:  # the same click a moment earlier
        job = documents.running(user, source, key)
        if job is None:
            raise
    return job


def _counted(job_id: int, rows: Iterable) -> Iterator:
    """The rows, with the job's progress (and heartbeat) written every ``PROGRESS_EVERY`` rows."""
    done = 0
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, PROGRESS_EVERY)):
        yield from chunk
        done += len(chunk)
        claim.beat(ExportJob, job_id, done=done)


def export_run(job_id: int) -> ExportJob | None:
    """Write the file of a job (the task): a queued one, or a running one whose worker died (its heartbeat
    stopped: written again from the start, certportal.jobs.claim). A job done, failed, or being written by
    another task (a copy of the message handed out twice) is left alone. Any error fails the job with its reason;
    the requester may retry."""
    job = claim.take(ExportJob, job_id)
    if job is None:
        return None
    if documents.is_document(job):
        return documents.document_run(job)
    try:
        with translation.override(job.language), tempfile.TemporaryFile() as out:
            table = SOURCES.by_key()[job.source](job.created_by, job.params)
            claim.beat(ExportJob, job.pk, total=table.total)
            rows = _counted(job.pk, table.rows)
            if job.fmt == "csv":
                exports.write_csv(out, rows, table.header)
            else:
                exports.write_xlsx(out, [exports.Sheet(table.title or job.filename, table.header, rows),
                                         *table.sheets])
            if not claim.still_ours(ExportJob, job.pk):
                return None  # taken over by another task while this one was silent: that one finishes it
            out.seek(0)
            job.refresh_from_db()
            job.file.save(job.filename, File(out), save=False)
            return transition(job, "finished", user=job.created_by, file=job.file.name, done=job.done or table.total,
                              moved_at=timezone.now())
    except Exception as exc:  # any failure is the job's, shown to its requester; the worker goes on
        log.exception("Export job %s failed", job_id)
        export_fail(job_id, _("The export could not be written: %(error)s") % {"error": str(exc)[:300]})
        return None


def export_fail(job_id: int, reason: str) -> ExportJob | None:
    return jobs.fail(ExportJob, job_id, reason)


@transaction.atomic
def export_retry(job: ExportJob, *, user) -> ExportJob:
    """The requester tries a failed job again: back to the queue, handed to a worker after commit."""
    refusal = documents.document_retry_refusal(job)
    if refusal:
        from .workflow import ExportError

        raise ExportError(refusal)
    job = transition(job, "retried", user=user, error="", done=0, total=0, moved_at=timezone.now())
    enqueue("certportal.exportjobs.tasks.run_export", job_id=job.pk)
    return job


def export_jobs_sweep(now: datetime.datetime | None = None) -> int:
    """Fail export jobs that stopped moving (the one sweep of certportal.jobs, for this kind only)."""
    return jobs.sweep(now, model=ExportJob)
