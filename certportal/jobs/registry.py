"""The kinds of job the sweep watches, and the moves every kind shares (fail a job, the stale sweep)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from certportal.errors import PortalError
from certportal.registry import ExtensionPoint
from certportal.workflow import machine_for, transition

from .models import JobStatus

log = logging.getLogger(__name__)
S = JobStatus


@dataclass(frozen=True)
class JobKind:
    model: type
    queued_minutes: str  # the setting: minutes a job may wait for a worker
    running_minutes: str  # the setting: minutes a running job may go without a sign of life
    queued_reason: object = _("No worker started this job within %(minutes)s minutes.")
    running_reason: object = _("The job made no progress for %(minutes)s minutes (the worker may have stopped).")
    # fail(job_id, reason) -> job | None: the kind's own failing (cleans up after itself); default :func:`fail`
    fail: Callable | None = None
    # the task (its name) that takes a job of this kind and resumes it (``task(job_id=...)``): the sweep sends it
    # for a running job whose heartbeat stopped (certportal.jobs.claim)
    task: str = ""


KINDS = ExtensionPoint("core.job_kind", "JobKind(model, queued_minutes, running_minutes, ...), keyed by the "
                       "model's label: a concrete BackgroundJob the stale-job sweep watches", keyed=True)


def register_kind(model, **options) -> JobKind:
    """Register a concrete :class:`~certportal.jobs.BackgroundJob` with the sweep (from ``AppConfig.ready()``)."""
    return KINDS.provide(JobKind(model=model, **options), key=model._meta.label_lower)


def kinds() -> list[JobKind]:
    return KINDS.all()


def fail(model, job_id: int, reason: str, *, actor=None):
    """queued|running → failed with ``reason``; the worker's move (the system's, or the requester's when the
    kind's worker acts for them). None when the job already finished or failed, or does not exist."""
    job = model.objects.filter(pk=job_id, status__in=(S.QUEUED, S.RUNNING)).select_related("created_by").first()
    if job is None:
        return None
    t = machine_for(model).get("failed")
    user = None if t.system else (actor or job.created_by)
    try:
        return transition(job, "failed", user=user, reason=reason, error=reason, moved_at=timezone.now())
    except PortalError:  # finished or failed meanwhile
        return None


def _fail(kind: JobKind, job_id: int, reason: str):
    return (kind.fail or (lambda pk, why: fail(kind.model, pk, why)))(job_id, reason)


def sweep(now: datetime.datetime | None = None, *, model=None) -> int:
    """Resume every running job whose heartbeat stopped (its worker died: a task is sent to take it over), and
    fail every job (of every registered kind, or of ``model``) that no worker took: queued or silent beyond the
    kind's limits. The reason is written in the requester's language. Returns how many were failed."""
    now = now or timezone.now()
    failed = 0
    for kind in kinds():
        if model is not None and kind.model is not model:
            continue
        for status, setting, reason in ((S.QUEUED, kind.queued_minutes, kind.queued_reason),
                                        (S.RUNNING, kind.running_minutes, kind.running_reason)):
            minutes = getattr(settings, setting)
            stale = (kind.model.objects.filter(status=status, moved_at__lt=now - datetime.timedelta(minutes=minutes))
                     .select_related("created_by"))
            for job in stale:
                with translation.override(job.requester_language):
                    text = str(reason) % {"minutes": minutes}
                failed += _fail(kind, job.pk, text) is not None
        _resume(kind, now)
    if failed:
        log.info("Job sweep failed %s stale job(s)", failed)
    return failed


def _resume(kind: JobKind, now: datetime.datetime) -> int:
    """Send the kind's task for each running job whose heartbeat stopped; the task takes it over (or leaves it,
    when another one did first). Returns how many were sent."""
    from certportal import outbox

    from .claim import stale_before

    if not kind.task:
        return 0
    silent = list(kind.model.objects.filter(status=S.RUNNING, moved_at__lt=stale_before(now))
                  .values_list("pk", flat=True))
    for pk in silent:
        log.warning("Job %s %s stopped moving (its worker died?): sent to a worker to resume it",
                    kind.model._meta.label_lower, pk)
        outbox.enqueue(kind.task, job_id=pk)
    return len(silent)
