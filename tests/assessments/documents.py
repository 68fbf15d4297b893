"""Fetch a heavy document the way a reader does: the button starts a background job (its page at once), the job
writes the file (here in-process when no worker took it), the job's page offers the download."""

from certportal.exportjobs.models import ExportJob
from certportal.exportjobs.services import export_run


def job_of(response) -> ExportJob:
    assert response.status_code == 302 and response.url.startswith("/ekspor/"), (response.status_code,
                                                                                  getattr(response, "url", ""))
    return ExportJob.objects.get(public_id=response.url.split("/")[2])


def document_via_job(client, url: str):
    """(the download response, the job) of the document the button at ``url`` offers."""
    job = job_of(client.post(url))
    if job.status == ExportJob.Status.QUEUED:  # no worker in this test: the job runs here, as a worker would
        export_run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    return client.get(f"/ekspor/{job.public_id}/unduh/"), job


def document_bytes(client, url: str) -> bytes:
    response, _job = document_via_job(client, url)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content
