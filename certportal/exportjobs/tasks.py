"""The export task (published through the outbox, on the job base: certportal.jobs.tasks.job_task)."""

from certportal.jobs.tasks import job_task


@job_task("exportjobs.ExportJob")
def run_export(self, job_id: int) -> None:
    from .services import export_run

    export_run(job_id)


@job_task("exportjobs.ExportJob")
def sweep_export_jobs(self) -> int:
    """Kept for a beat schedule written before the one sweep (certportal.jobs.tasks.sweep): export jobs only."""
    from .services import export_jobs_sweep

    return export_jobs_sweep()
