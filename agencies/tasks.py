"""Background work of agencies: the province's roster import (a job of the core's job base, certportal.jobs) and
the nightly heal of the agency stamped on each application (beat: ``agencies-restamp``)."""

from celery import shared_task

from certportal.jobs.tasks import job_task


@job_task("agencies.RosterImport")
def roster_import(self, job_id: int) -> str | None:
    """Check a stored roster file and keep the preview, or, once confirmed, write it to the roster."""
    from .roster_jobs import run

    job = run(job_id)
    return job.status if job else None


@shared_task(name="agencies.tasks.restamp")
def restamp() -> int:
    """Each application stamped with the agency the rule gives now (``agencies.roster.heal``); the rows written."""
    from .roster import heal

    return heal()
