"""The moves every import of an uploaded file shares (the LSP's certificate register, its assessors and test sites),
on a model of :class:`~certportal.jobs.models.UploadImport`:

    upload (kept in private storage; the same file sent twice while it is read is one job, :mod:`.uploads`) → a
    worker reads and checks every row (:func:`import_read`: progress; a refused file fails the job with its reason)
    → a person reads the preview (every faulty row with its problems) → imports it (:func:`import_confirm`: the
    job queued again, "importing"; nothing is written in the request) → a worker checks the rows again against the
    portal as it is then and writes them (:func:`import_write`: progress, then one transaction, every row or none)
    → applied; or the person discards it → or reads a failed file again (:func:`import_retry`).

Every arrow is a transition of the kind's machine (audited: who, when, from, to); the import's result is one more
row (``<model>.result``) saying what it changed, in figures.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certportal import outbox
from certportal.audit.services import audit_record
from certportal.errors import PortalError
from certportal.workflow import machine_for, transition

from . import registry as jobs
from .models import ImportStatus as S
from .tasks import TRANSIENT


def faulty_refusal(job) -> str | None:
    """The guard of "applied": a file with a faulty row imports nothing."""
    if job.faulty:
        return _("%(count)d rows have problems: correct them in the file and upload it again; nothing is "
                 "imported from a file with faulty rows.") % {"count": job.faulty}
    return None


def import_progress(model, job_id: int) -> Callable[[int, int], None]:
    def step(done: int, total: int) -> None:
        model.objects.filter(pk=job_id).update(done=done, total=total, moved_at=timezone.now())

    return step


def import_read(model, job_id: int, *, read: Callable, check: Callable, refused: type[Exception]):
    """The task: ``read(data, filename)`` the stored file into rows (``refused`` fails the job with its message),
    ``check(rows, progress=...)`` them (each row's problems written on it; returns the counts); the preview is
    kept for the review. A job already read, failed or applied is left alone (a repeated delivery), and so is one
    a person confirmed (its worker task is :func:`import_write`)."""
    job = model.objects.filter(pk=job_id, confirmed=False, status__in=(S.QUEUED, S.RUNNING)).first()
    if job is None:
        return None
    if job.status == S.QUEUED:
        job = transition(job, "started", user=None, attempts=job.attempts + 1, moved_at=timezone.now())
    try:
        with translation.override(job.language):
            with job.file.open("rb") as f:
                rows = read(f.read(), job.filename)
            import_progress(model, job.pk)(0, len(rows))
            counts = check(rows, progress=import_progress(model, job.pk))
    except TRANSIENT:
        raise
    except refused as exc:
        return jobs.fail(model, job.pk, str(exc))
    job.refresh_from_db()
    if job.status != S.RUNNING:
        return job
    return transition(job, "finished", user=None, rows=rows, counts=counts, done=len(rows), total=len(rows),
                      moved_at=timezone.now())


def import_confirm(job, *, actor, ip: str | None, task: str):
    """done → queued ("confirmed": the person's click, the kind's roles and the faulty-rows guard): ``task`` (a
    worker, after commit) writes the rows; nothing is written in the request. The same file queued again by its
    uploader meanwhile (one active job per file) refuses it. Who confirmed it is kept on a kind that has the field
    (:class:`~certportal.jobs.models.UploadImport`: the records are written under their name); the roster's import
    keeps it in the transition's audit row only."""
    who = {"confirmed_by": actor} if hasattr(job, "confirmed_by_id") else {}
    try:
        with transaction.atomic():
            job = transition(job, "confirmed", user=actor, ip=ip, confirmed=True, done=0, moved_at=timezone.now(),
                             **who)
            outbox.enqueue(task, job_id=job.pk)
    except IntegrityError:
        raise PortalError(_("The same file is being read in another import: wait for it, or discard one of "
                            "them.")) from None
    return job


def import_write(model, job_id: int, *, check: Callable, write: Callable, summary: Callable[[dict], str],
                 clash: str):
    """The task once a person confirmed the import: ``check(job, progress=...)`` checks the kept rows again
    against the portal as it is now (the progress the page shows; a row faulty now raises a PortalError with the
    reason), then :func:`_write`. A clash (``IntegrityError``: another import wrote the same records) or a refusal
    fails the job with its message, nothing written; the person may read the file again and import it. A job not
    confirmed, or already applied, failed or discarded, is left alone (a repeated delivery)."""
    job = model.objects.filter(pk=job_id, confirmed=True, status__in=(S.QUEUED, S.RUNNING)).first()
    if job is None:
        return None
    if job.status == S.QUEUED:
        try:
            job = transition(job, "started", user=None, attempts=job.attempts + 1, moved_at=timezone.now())
        except PortalError:  # another delivery took it meanwhile
            return None
    try:
        with translation.override(job.language):
            check(job, progress=import_progress(model, job.pk))
            return _write(model, job.pk, write=write, summary=summary)
    except TRANSIENT:
        raise  # the task retries; when its retries run out, the job base fails the job with the reason
    except IntegrityError:
        return jobs.fail(model, job.pk, clash)
    except PortalError as exc:
        return jobs.fail(model, job.pk, str(exc))


def _write(model, job_id: int, *, write: Callable, summary: Callable[[dict], str]):
    """running → applied and ``write(job)`` (which checks the rows again under its locks and returns the counts)
    in ONE transaction, the job's row locked first (a second delivery waits, then finds it applied); the counts
    kept on the job and audited (``summary(counts)``) under the person who confirmed it."""
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=job_id, status=S.RUNNING).first()
        if job is None:  # applied by another delivery, or failed meanwhile (the sweep)
            return model.objects.filter(pk=job_id).first()
        counts, actor = write(job), job.confirmed_by
        job = transition(job, "applied", user=None, counts=counts, done=job.total, moved_at=timezone.now())
        audit_record(actor=actor, obj=job, action=machine_for(model).code("result"),
                     from_state=S.APPLIED, to_state=S.APPLIED, note=summary(counts))
    return job


def import_discard(job, *, actor, ip: str | None = None):
    return transition(job, "discarded", user=actor, ip=ip, moved_at=timezone.now())


def import_retry(job, *, actor, ip: str | None, task: str):
    """failed → queued: the stored file read again by ``task``."""
    try:
        with transaction.atomic():
            job = transition(job, "retried", user=actor, ip=ip, reason=job.error, error="", done=0, total=0,
                             rows=None, counts={}, confirmed=False, confirmed_by=None, finished_at=None,
                             moved_at=timezone.now())
            outbox.enqueue(task, job_id=job.pk)
    except IntegrityError:
        raise PortalError(_("This file is already being read again: follow that import.")) from None
    return job


PREVIEW_ROWS = 200  # rows shown on a preview besides every faulty one (the counts say how many there are)


def preview(job) -> dict:
    """What an import's page shows of its rows: every faulty one, the first :data:`PREVIEW_ROWS` of the others, in
    the file's order, and how many are left out."""
    rows = job.rows or []
    faulty = [r for r in rows if r.get("problems")]
    shown = faulty + [r for r in rows if not r.get("problems")][:PREVIEW_ROWS]
    return {"faulty": faulty, "rows": sorted(shown, key=lambda r: r["line"]),
            "more": max(len(rows) - len(shown), 0)}


def import_action(request, job, action: str, actions: dict):
    """A person's move on an import from its page (POST): ``actions`` maps the move to (service, message); an
    unknown move is a 404, a refused one is said on the page."""
    from django.http import Http404

    from certportal.net import client_ip
    from certportal.workflow.views import run_action

    if action not in actions:
        raise Http404
    service, message = actions[action]
    return run_action(request, lambda _data: service(job, actor=request.user, ip=client_ip(request)),
                      success=str(message), redirect_to=job)
