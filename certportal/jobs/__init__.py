"""The background-job base (issues 13 point 6, 15 point 4, 17 point 4): one model, one machine, one task
decorator and one stale sweep for every kind of long work the portal hands to a worker.

    class ExportJob(BackgroundJob): ...                      # an app's concrete job (queued/running/done/failed)
    MACHINE = job_machine(ExportJob, labels={...})           # the four transitions, declared once (core)
    register_kind(ExportJob, queued_minutes="EXPORT_JOB_QUEUED_MINUTES", ..., fail=export_fail)

    @job_task("exportjobs.ExportJob")                   # a Celery task on one job (``job_id``)
    def run_export(self, job_id): ...

The beat task ``certportal.jobs.tasks.sweep`` fails every registered kind's job that stopped moving, with the
reason in its requester's language. Action codes stay namespaced per concrete model (``exportjobs.exportjob.failed``),
so the audit rows written before this base existed read the same.

A job survives its worker (issue 45): a task takes its job with ``claim.take`` (a queued one, or a running one whose
worker died: its heartbeat stale or its process gone), writes a heartbeat per part (``claim.beat``) and finishes it
only while it still holds it (``claim.still_ours``); the sweep sends a silent job's task again.

Import from the modules: ``certportal.jobs.models`` (BackgroundJob, JobStatus), ``.machine`` (job_machine),
``.registry`` (register_kind, sweep, fail), ``.tasks`` (job_task, TRANSIENT), ``.claim`` (take, beat, still_ours),
``.uploads`` (start_upload_job: an import on an uploaded file started once);
this package is an installed app.
"""
