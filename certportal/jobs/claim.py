"""Taking a job: exactly one task works on a job at a time, and a job whose worker died is resumed, not lost.

A task delivery (one message of a ``@job_task``, its retries counted) *takes* a job:

- a queued job: queued → running (the ``started`` transition);
- a running job whose heartbeat (``moved_at``: its last part done) is older than ``JOB_HEARTBEAT_STALE_SECONDS``:
  its worker died (``kill -9``, a pool child lost, power cut), so this delivery takes it over and resumes it from
  the parts already done (``attempts`` + 1, an audit row ``…resumed``);
- a running job whose holder's process is gone (a pool child killed: the master hands its message out again at
  once; the whole worker killed and started again on this host);
- a running job held by an earlier try of the same message (Celery's retry after a database error).

Anything else is left alone: a job done or failed, a job whose heartbeat is fresh (another task works on it: a
copy of its message handed out again by Redis after the visibility timeout), a job another task is taking at this
very moment (``select_for_update(skip_locked=True)``). A job taken over ``JOB_MAX_ATTEMPTS`` times (it kills its
worker each time) is failed with the reason instead.

The delivery is set by :class:`certportal.jobs.tasks.JobTask` around each run (:func:`delivering`); a service
called outside a task (a shell, a test) takes queued jobs and stale ones only.
"""

from __future__ import annotations

import contextvars
import datetime
import os
import socket
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certportal.audit.services import audit_record
from certportal.workflow import machine_for, transition

from .models import JobStatus

S = JobStatus
_DELIVERY: contextvars.ContextVar[tuple[str, int]] = contextvars.ContextVar("job_delivery", default=("", 0))


@contextmanager
def delivering(task_id: str, retries: int):
    """The task delivery running now (its message id and how many times it was retried)."""
    token = _DELIVERY.set((task_id or "", int(retries or 0)))
    try:
        yield
    finally:
        _DELIVERY.reset(token)


def _process() -> str:
    """This process, as ``host:pid:start`` (its start time tells a process from a later one given the same pid)."""
    return f"{socket.gethostname()}:{os.getpid()}:{_started(os.getpid())}"


def _started(pid: int) -> str:
    """The process's start time (Linux: /proc/<pid>/stat), "Z" for a zombie, "" when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    fields = stat.rsplit(")", 1)[-1].split()
    return "Z" if fields[0] in ("Z", "X") else fields[19]


def mark() -> str:
    """What a job or a part records as its holder: ``"<message id>/<retries>@<host>:<pid>:<start>"``, the task
    delivery and the process running it ("" outside a task)."""
    task_id, retries = _DELIVERY.get()
    return f"{task_id}/{retries}@{_process()}" if task_id else ""


def _dead(process: str) -> bool:
    """Is the holder's process known to be gone? Only a process of this host is known (a pool child killed, the
    whole worker killed and started again); on another host the heartbeat alone tells."""
    host, _sep, rest = process.partition(":")
    pid, _sep, start = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit() or not Path("/proc/self/stat").exists():
        return False
    return _started(int(pid)) != start


def stale_before(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(seconds=settings.JOB_HEARTBEAT_STALE_SECONDS)


def may_take_over(holder: str, heartbeat: datetime.datetime | None, now: datetime.datetime | None = None) -> bool:
    """May this delivery take over work ``holder`` began, last alive at ``heartbeat``? Yes when that worker went
    silent (the heartbeat is stale), when its process is known to be gone (a pool child or the whole worker
    killed on this host), or when the holder is an earlier try of this very message (a retry runs after its try
    has ended)."""
    if heartbeat is None or heartbeat < stale_before(now) or not holder:
        return True
    delivery, _sep, process = holder.partition("@")
    if process and _dead(process):
        return True
    task_id, retries = _DELIVERY.get()
    held_id, _sep, held_retries = delivery.partition("/")
    return bool(task_id) and held_id == task_id and retries > int(held_retries or 0)


def take(model, job_id: int, *, resumable=None):
    """The job, started or taken over by this delivery; None when it is not this delivery's to work on (see the
    module). ``resumable(job)``: whether a running job of this kind may be taken over at all (default: yes)."""
    now = timezone.now()
    with transaction.atomic():
        job = (model.objects.select_for_update(skip_locked=True, of=("self",)).select_related("created_by")
               .filter(pk=job_id, status__in=(S.QUEUED, S.RUNNING)).first())
        if job is None:
            return None
        user = None if machine_for(model).get("started").system else job.created_by
        if job.status == S.QUEUED:
            return transition(job, "started", user=user, attempts=job.attempts + 1, moved_at=now, claim=mark())
        if not may_take_over(job.claim, job.moved_at, now) or (resumable and not resumable(job)):
            return None
        if job.attempts >= settings.JOB_MAX_ATTEMPTS:
            with translation.override(job.requester_language):
                reason = _("The worker stopped while doing this job %(count)s times; it was not started again.") % {
                    "count": job.attempts}
            transition(job, "failed", user=user, reason=reason, error=reason, moved_at=now)
            return None
        model.objects.filter(pk=job.pk).update(attempts=job.attempts + 1, moved_at=now, claim=mark())
        audit_record(actor=None, obj=job, action=machine_for(model).code("resumed"), note=str(job.attempts + 1))
    job.refresh_from_db()
    return job


def beat(model, job_id: int, **changes) -> None:
    """A sign of life (a part done): the job's heartbeat, with the progress ``changes`` (``done=``, ``total=``)."""
    model.objects.filter(pk=job_id).update(moved_at=timezone.now(), **changes)


def still_ours(model, job_id: int) -> bool:
    """Is the job still running under this delivery? (Not when a task took it over while this one was silent:
    then only that one finishes it.)"""
    return model.objects.filter(pk=job_id, status=S.RUNNING, claim=mark()).exists()
