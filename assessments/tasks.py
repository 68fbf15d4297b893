"""Background work of assessments: thin tasks (ids in, one service call; idempotent). Requests arrive through
the core's outbox (certportal.outbox); the services record failures on the job (see certificates.printing).

The tasks are job tasks of the core's job base (certportal.jobs.tasks.job_task): a database that blinks
(connection lost, deadlock victim) is retried with backoff; when the retries run out the job is failed with the
reason, so no job is left "running" by a task that gave up. Any other error is recorded on the job by the service
at once (a retry would fail the same way); the LSP admin may then retry from the event page.
"""

from certportal.jobs.tasks import job_task


@job_task("assessments.PrintJob", backoff=5)
def run_print_job(self, job_id: int) -> int:
    """Issue what is missing for a whole event and hand its chunks to :func:`render_print_chunk`."""
    from assessments.certificates.services import print_job_run

    return print_job_run(job_id).pk


@job_task("assessments.PrintJob", backoff=5)
def render_print_chunk(self, job_id: int, index: int, ids: list[int]) -> int:
    """Render one chunk of a print job; the last chunk merges the job's PDF."""
    from assessments.certificates.services import print_job_render_chunk

    return print_job_render_chunk(job_id, index, ids).pk


@job_task("assessments.PrintJob")
def sweep_print_jobs(self) -> int:
    """Print jobs only, for a beat schedule written before the job base's one sweep (certportal.jobs.tasks.sweep)."""
    from assessments.certificates.services import print_jobs_sweep

    return print_jobs_sweep()


@job_task("assessments.RegisterImport")
def read_register(self, job_id: int) -> str | None:
    """Read and check an uploaded certificate register; the preview waits for the LSP admin."""
    from assessments.certificates.services.register_jobs import register_run

    job = register_run(job_id)
    return job.status if job else None


@job_task("assessments.RegisterImport")
def apply_register(self, job_id: int) -> str | None:
    """Write a register the LSP admin imported: its rows checked again, then every certificate or none."""
    from assessments.certificates.services.register_jobs import register_write

    job = register_write(job_id)
    return job.status if job else None


@job_task("assessments.AdoptionImport")
def read_adoption(self, job_id: int) -> str | None:
    """Read and check an uploaded register of assessors or list of test sites; the preview waits for the LSP
    admin."""
    from assessments.events.services.adoption_jobs import adoption_run

    job = adoption_run(job_id)
    return job.status if job else None


@job_task("assessments.AdoptionImport")
def apply_adoption(self, job_id: int) -> str | None:
    """Write assessors or test sites the LSP admin imported: the rows checked again, then every row or none."""
    from assessments.events.services.adoption_jobs import adoption_write

    job = adoption_write(job_id)
    return job.status if job else None
