"""``@job_task``: a Celery task working on one job (``job_id``), and the one beat sweep of every kind.

Expected errors (a database that blinks: connection lost, deadlock victim) are retried with backoff; when the
retries run out, or on any other error at once, the job is failed with the reason (in its requester's language),
so no job is left "running" by a task that gave up. The task's body may fail the job itself with a better reason;
failing an already failed job changes nothing.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.db import DatabaseError, InterfaceError, OperationalError

log = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError)


class JobTask(Task):
    job_model = ""  # "app_label.Model" of the job the task works on

    def __call__(self, *args, **kwargs):
        """Run with this delivery known (its message id and retries), for taking the job (certportal.jobs.claim).
        An error that is not retried fails the job here, with the reason: also when the task runs in-process
        (eager mode, where Celery calls no ``on_failure``), and whatever the task's own last save left behind."""
        from celery.exceptions import TaskPredicate

        from .claim import delivering

        with delivering(self.request.id or "", self.request.retries or 0):
            try:
                return super().__call__(*args, **kwargs)
            except TaskPredicate:
                raise  # a retry (a database that blinked), an ignore or a reject: the job stays as it is
            except Exception as exc:
                self.fail_job(exc, args, kwargs)
                raise

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        self.fail_job(exc, args, kwargs)  # (already failed by __call__: changes nothing)

    def fail_job(self, exc, args, kwargs) -> None:
        """Fail the task's job with ``exc`` as the reason, in its requester's language (a job done or failed
        already is left alone). A database that refuses even that is logged: the sweep fails the job later."""
        from django.apps import apps
        from django.utils import translation
        from django.utils.translation import gettext as _

        from .registry import fail

        job_id = kwargs.get("job_id", args[0] if args else None)
        if job_id is None or not self.job_model:
            return
        model = apps.get_model(self.job_model)
        try:
            job = model.objects.filter(pk=job_id).select_related("created_by").first()
            if job is None:
                return
            with translation.override(job.requester_language):
                reason = _("The background task failed: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"[:500]}
            fail(model, job_id, reason)
        except DatabaseError:
            log.exception("Job %s %s could not be marked failed (the sweep will)", self.job_model, job_id)


def job_task(model: str, *, expected: tuple[type[BaseException], ...] = TRANSIENT, max_retries: int = 3,
             backoff: int | bool = 5, **options):
    """Decorate ``fn(self, job_id, ...)`` as a shared Celery task on a job of ``model`` ("app_label.Model")."""

    def decorate(fn):
        base = type(f"{fn.__name__}_task", (JobTask,), {"job_model": model})
        return shared_task(bind=True, base=base, autoretry_for=expected, retry_backoff=backoff,
                           max_retries=max_retries, acks_late=True, **options)(fn)

    return decorate


@shared_task(bind=True, acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def sweep(self) -> int:
    """Beat: fail every job, of every registered kind, that stopped moving."""
    from .registry import sweep as run

    return run()
