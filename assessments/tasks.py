"""Background work of assessments: thin tasks (ids in, one service call; idempotent). Requests arrive through
the core's outbox (certportal.outbox); the services record failures on the job (see certificates.printing).

Expected errors are declared: a database that blinks (connection lost, deadlock victim) is retried with backoff;
when the retries run out, :class:`PrintJobTask` records the failure and its reason on the job, so no job is left
"running" by a task that gave up. Any other error is recorded on the job by the service at once (a retry would
fail the same way); the LSP admin may then retry from the event page.
"""

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": 5, "max_retries": 3, "acks_late": True}


class PrintJobTask(Task):
    """A task working on one print job (``job_id``): its final failure fails the job, with the reason."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from django.utils.translation import gettext as _

        from .certificates import print_job_fail

        job_id = kwargs.get("job_id", args[0] if args else None)
        if job_id is not None:
            print_job_fail(job_id, _("The background task failed: %(error)s") % {
                "error": f"{type(exc).__name__}: {exc}"})


@shared_task(bind=True, base=PrintJobTask, **RETRY)
def run_print_job(self, job_id: int) -> int:
    """Issue what is missing for a whole event and hand its chunks to :func:`render_print_chunk`."""
    from .certificates import print_job_run

    return print_job_run(job_id).pk


@shared_task(bind=True, base=PrintJobTask, **RETRY)
def render_print_chunk(self, job_id: int, index: int, ids: list[int]) -> int:
    """Render one chunk of a print job; the last chunk merges the job's PDF."""
    from .certificates import print_job_render_chunk

    return print_job_render_chunk(job_id, index, ids).pk


@shared_task(bind=True, **RETRY)
def sweep_print_jobs(self) -> int:
    """Fail print jobs that have not moved for too long (beat), so none stays queued or running for ever."""
    from .certificates import print_jobs_sweep

    return print_jobs_sweep()
