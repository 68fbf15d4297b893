"""The export task (published through the outbox) and the periodic stale check (beat)."""

from celery import shared_task
from django.db import OperationalError


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def run_export(self, job_id: int) -> None:
    from .services import export_run

    export_run(job_id)


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def sweep_export_jobs(self) -> int:
    from .services import export_jobs_sweep

    return export_jobs_sweep()
