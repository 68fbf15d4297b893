"""Background work of assessments: thin tasks (ids in, one service call; idempotent). Requests arrive through
the core's outbox (certportal.outbox); the services record failures on the job (see certificates.printing)."""

from celery import shared_task
from django.db import OperationalError

# A database that blinks (connection lost, deadlock chosen as victim) is worth retrying; any other error is
# recorded on the job by the service, which the LSP admin may then retry from the event page.
RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": 5, "max_retries": 3, "acks_late": True}


@shared_task(bind=True, **RETRY)
def run_print_job(self, job_id: int) -> int:
    """Issue what is missing for a whole event and hand its chunks to :func:`render_print_chunk`."""
    from .certificates import print_job_run

    return print_job_run(job_id).pk


@shared_task(bind=True, **RETRY)
def render_print_chunk(self, job_id: int, index: int, ids: list[int]) -> int:
    """Render one chunk of a print job; the last chunk merges the job's PDF."""
    from .certificates import print_job_render_chunk

    return print_job_render_chunk(job_id, index, ids).pk


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def sweep_print_jobs(self) -> int:
    """Fail print jobs that have not moved for too long (beat), so none stays queued or running for ever."""
    from .certificates import print_jobs_sweep

    return print_jobs_sweep()
