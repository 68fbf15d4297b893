"""Print jobs: an LSP admin prints a whole event; background tasks issue what is missing and render it all as
ONE PDF, with progress on the job row.

A job is a small state machine, ``queued → running → done | failed`` and ``failed → queued`` (a retry), with
one service per transition below and the allowed moves in :data:`TRANSITIONS`; each change is audited and a
failure keeps its reason on the row. The work is split so that it runs in ordinary prefork workers (no pool
inside a worker): :func:`print_job_run` issues the documents and cuts the event into chunks, each chunk is
rendered by its own task (:func:`print_job_render_chunk`, any worker, in parallel), and the task that finishes
the last chunk merges the parts with pikepdf. Task requests go through the core's outbox, so a broker that is
down delays a job but never loses it; :func:`print_jobs_sweep` (beat) fails jobs that stopped moving.
"""

from __future__ import annotations

import datetime
import logging
import math

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal import outbox
from certportal.accounts.models import Role
from certportal.audit.services import audit_record

from ..models import PrintJob, Result
from ..services import AssessmentError
from .issue import certificate_issue, result_letter_issue
from .rendering import merge_pdfs, render_chunk, split_contiguous

log = logging.getLogger(__name__)
S = PrintJob.Status
TRANSITIONS: dict[str, set[str]] = {S.QUEUED: {S.RUNNING, S.FAILED}, S.RUNNING: {S.DONE, S.FAILED},
                                    S.FAILED: {S.QUEUED}, S.DONE: set()}
RUN_TASK = "assessments.tasks.run_print_job"
CHUNK_TASK = "assessments.tasks.render_print_chunk"


class PrintJobStateError(AssessmentError):
    pass


def _move(job_id: int, to: str, *, actor=None, note: str = "", **fields) -> PrintJob:
    """The one place a job's status changes: lock, check the table, save, audit."""
    with transaction.atomic():
        job = PrintJob.objects.select_for_update().get(pk=job_id)
        if to not in TRANSITIONS[job.status]:
            raise PrintJobStateError(_("This print job is %(status)s; it cannot become %(to)s.")
                                     % {"status": job.get_status_display(), "to": S(to).label})
        before, job.status, job.moved_at = job.status, to, timezone.now()
        for name, value in fields.items():
            setattr(job, name, value)
        job.save()
        audit_record(actor=actor, obj=job.event, action=f"print job {to}", from_state=before, to_state=to,
                     note=note or job.kind)
    return job


def print_job_start(event, *, actor, kind: str) -> PrintJob:
    if not actor.has_role(Role.LSP_ADMIN):
        raise AssessmentError(_("Only an LSP administrator issues and prints documents."))
    if not event.participants.exclude(decision="").exists():
        raise AssessmentError(_("No participant of this event has a certification decision yet."))
    with transaction.atomic():
        job = PrintJob.objects.create(event=event, kind=kind, created_by=actor)
        audit_record(actor=actor, obj=event, action="print started", note=kind, to_state=S.QUEUED)
        outbox.enqueue(RUN_TASK, job_id=job.pk)  # same transaction: the request is never lost
    return job


def print_job_retry(job: PrintJob, *, actor) -> PrintJob:
    """failed → queued, by an LSP administrator: everything starts again (issuing is idempotent)."""
    if not actor.has_role(Role.LSP_ADMIN):
        raise AssessmentError(_("Only an LSP administrator issues and prints documents."))
    with transaction.atomic():
        job = _move(job.pk, S.QUEUED, actor=actor, note=job.error, error="", done=0, total=0, parts=[],
                    parts_total=0, finished_at=None)
        outbox.enqueue(RUN_TASK, job_id=job.pk)
    return job


def print_job_fail(job_id: int, reason: str, *, actor=None) -> PrintJob | None:
    """queued|running → failed with ``reason``; None when the job had already finished."""
    try:
        return _move(job_id, S.FAILED, actor=actor, note=reason, error=reason, finished_at=timezone.now())
    except PrintJobStateError:
        return None


def print_job_run(job_id: int) -> PrintJob:
    """queued → running: issue what is missing, then hand the chunks to tasks. Running it twice changes nothing."""
    try:
        job = _move(job_id, S.RUNNING)
    except PrintJobStateError:
        return PrintJob.objects.get(pk=job_id)  # already running, done, or failed: a repeated delivery
    try:
        ids = _issue_for_event(job)
        chunks = _chunks(ids)
        with transaction.atomic():
            PrintJob.objects.filter(pk=job.pk).update(total=len(ids), parts_total=len(chunks), parts=[],
                                                      moved_at=timezone.now())
            for index, chunk in enumerate(chunks):
                outbox.enqueue(CHUNK_TASK, job_id=job.pk, index=index, ids=chunk)
        if not chunks:
            _finish(job.pk, render_chunk(job.kind, []))
    except AssessmentError as exc:
        print_job_fail(job.pk, str(exc))
    except Exception as exc:
        print_job_fail(job.pk, _("Unexpected error: %(error)s") % {"error": exc})
        raise  # logged by the worker with the task and job id
    return PrintJob.objects.get(pk=job.pk)


def _chunks(ids: list[int]) -> list[list[int]]:
    """Contiguous runs of at most ASSESSMENT_PRINT_CHUNK documents, as many as a multiple of the workers."""
    if not ids:
        return []
    workers = max(1, settings.ASSESSMENT_PRINT_PROCESSES)
    parts = math.ceil(len(ids) / max(1, settings.ASSESSMENT_PRINT_CHUNK))
    return split_contiguous(ids, math.ceil(parts / workers) * workers)


def _part_name(job_id: int, index: int) -> str:
    return f"print-parts/job-{job_id}/{index:04d}.pdf"


def print_job_render_chunk(job_id: int, index: int, ids: list[int]) -> PrintJob:
    """Render one chunk and store it; the task that completes the last chunk merges them into the job's PDF."""
    from certportal.files import private_storage

    job = PrintJob.objects.get(pk=job_id)
    if job.status != S.RUNNING or index in job.parts:
        return job  # failed meanwhile, or a repeated delivery
    try:
        pdf = render_chunk(job.kind, ids)
        name = _part_name(job_id, index)
        if private_storage.exists(name):
            private_storage.delete(name)
        private_storage.save(name, ContentFile(pdf))
        with transaction.atomic():
            job = PrintJob.objects.select_for_update().get(pk=job_id)
            if job.status != S.RUNNING or index in job.parts:
                return job
            job.parts = sorted([*job.parts, index])
            job.done, job.moved_at = job.done + len(ids), timezone.now()
            job.save(update_fields=["parts", "done", "moved_at"])
        if len(job.parts) == job.parts_total:
            _finish(job_id, merge_pdfs([_read_part(job_id, i) for i in range(job.parts_total)]))
            for i in range(job.parts_total):
                private_storage.delete(_part_name(job_id, i))
    except Exception as exc:
        print_job_fail(job_id, _("Unexpected error: %(error)s") % {"error": exc})
        raise
    return PrintJob.objects.get(pk=job_id)


def _read_part(job_id: int, index: int) -> bytes:
    from certportal.files import private_storage

    with private_storage.open(_part_name(job_id, index)) as f:
        return f.read()


def _finish(job_id: int, pdf: bytes) -> None:
    """running → done with the merged PDF."""
    job = PrintJob.objects.get(pk=job_id)
    job.file.save(f"event-{job.event_id}-{job.kind}.pdf", ContentFile(pdf), save=False)
    _move(job_id, S.DONE, file=job.file.name, done=job.total, finished_at=timezone.now())


def print_jobs_sweep(now: datetime.datetime | None = None) -> int:
    """Fail every job that has not moved for too long (beat): one never picked up by a worker, or one whose
    worker died. The LSP admin sees the reason and may retry. Returns how many were failed."""
    now = now or timezone.now()
    limits = {S.QUEUED: (settings.ASSESSMENT_PRINT_QUEUED_MINUTES,
                         _("No worker started this job within %(minutes)s minutes.")),
              S.RUNNING: (settings.ASSESSMENT_PRINT_RUNNING_MINUTES,
                          _("The job made no progress for %(minutes)s minutes (the worker may have stopped)."))}
    failed = 0
    for status, (minutes, reason) in limits.items():
        stale = PrintJob.objects.filter(status=status, moved_at__lt=now - datetime.timedelta(minutes=minutes))
        for pk in stale.values_list("pk", flat=True):
            failed += print_job_fail(pk, reason % {"minutes": minutes}) is not None
    return failed


def _issue_for_event(job: PrintJob) -> list[int]:
    actor = job.created_by
    participants = job.event.participants.exclude(decision="").select_related("application")
    if job.kind == PrintJob.Kind.CERTIFICATES:
        ids = []
        for p in participants.filter(decision=Result.K):
            if p.obligations_accepted_at or p.certificates.exists():
                ids.append(certificate_issue(p, actor=actor).pk)
        return ids
    return [result_letter_issue(p, actor=actor).pk for p in participants]
