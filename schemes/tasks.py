"""Background work of schemes: reading an uploaded decree (a job of the core's job base, certportal.jobs)."""

from certportal.jobs.tasks import job_task


@job_task("schemes.ImportJob")
def parse_decree(self, job_id: int) -> str | None:
    """Read a stored SKKNI or KKNI decree and keep the parse for the LSP admin's review."""
    from .importers.jobs import import_run

    job = import_run(job_id)
    return job.status if job else None
