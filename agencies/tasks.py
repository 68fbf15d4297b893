"""Background work of agencies: the province's roster import (a job of the core's job base, certportal.jobs)."""

from certportal.jobs.tasks import job_task


@job_task("agencies.RosterImport")
def roster_import(self, job_id: int) -> str | None:
    """Check a stored roster file and keep the preview, or, once confirmed, write it to the roster."""
    from .roster_jobs import run

    job = run(job_id)
    return job.status if job else None
