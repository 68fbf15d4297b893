from celery import shared_task


@shared_task(bind=True, acks_late=True, max_retries=2)
def run_print_job(self, job_id: int) -> int:
    """Issue and print a whole event as one PDF (id in, service call; idempotent)."""
    from .certificates import print_job_run

    return print_job_run(job_id).pk
