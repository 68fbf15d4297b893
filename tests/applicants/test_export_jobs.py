"""A large queue export runs as a background job (issue 17): queued → running → done | failed, with progress on a
page, the file in private storage offered to its requester only, a retry, and a periodic stale check."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from applicants.models import Status
from certportal.audit.models import AuditEntry
from certportal.errors import TransitionRefused
from certportal.exportjobs import services as jobs
from certportal.exportjobs.models import ExportJob
from tests.conftest import wait_for

from .factories import ApplicationFactory, SchemeFactory

EXPORT = "/permohonan/antrian/ekspor.csv"


def _applications(n: int) -> list:
    scheme = SchemeFactory()
    return [ApplicationFactory(scheme=scheme, status=Status.SUBMITTED, applicant_name=f"Ekspor Besar {i}")
            for i in range(n)]


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_large_export_is_written_by_a_real_worker_and_offered_to_its_requester_only(
        celery_worker_process, settings, victor, login):
    from tests.factories import UserFactory

    settings.EXPORT_BACKGROUND_ROWS = 3
    _applications(5)
    client = login(victor)
    response = client.get(EXPORT)
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response.url == f"/ekspor/{job.public_id}/"
    wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.DONE, timeout=60)
    page = client.get(response.url).content.decode()
    assert "Download the file" in page and "5 of 5 rows" in page
    rows = _csv(client.get(f"/ekspor/{job.public_id}/unduh/"))
    assert sorted(r[1] for r in rows[1:]) == [f"Ekspor Besar {i}" for i in range(5)]
    job.refresh_from_db()
    assert job.file.name.startswith("exports/") and "antrian" not in job.file.name  # unguessable
    actions = list(AuditEntry.objects.filter(object_id=str(job.pk)).order_by("id").values_list("action", flat=True))
    assert actions == ["exportjobs.exportjob.requested", "exportjobs.exportjob.started",
                       "exportjobs.exportjob.finished"]
    other = login(UserFactory(email="verifier2@bkpsdm.go.id"))
    assert other.get(response.url).status_code == 404
    assert other.get(f"/ekspor/{job.public_id}/unduh/").status_code == 404


@pytest.mark.django_db
def test_a_small_export_is_streamed_at_once(settings, victor, login):
    settings.EXPORT_BACKGROUND_ROWS = 10
    _applications(3)
    response = login(victor).get(EXPORT)
    assert response.status_code == 200 and len(_csv(response)) == 4
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_anonymous_and_unknown_jobs_get_nothing(client, victor, login):
    job = ExportJob.objects.create(source="applicants.queue", fmt="csv", filename="x.csv", created_by=victor)
    assert client.get(f"/ekspor/{job.public_id}/").status_code == 302  # to the login page
    assert login(victor).get("/ekspor/00000000-0000-0000-0000-000000000000/").status_code == 404


@pytest.mark.django_db
def test_a_failed_job_shows_the_reason_and_its_requester_retries_it(
        settings, victor, login, django_capture_on_commit_callbacks):
    settings.EXPORT_BACKGROUND_ROWS = 1
    _applications(2)
    calls = []

    def flaky(user, params):
        calls.append(user)
        if len(calls) == 1:
            raise RuntimeError("disk full")
        from applicants.views.verifier import queue_export_table

        return queue_export_table(user, params)

    with jobs.SOURCES.replaced(flaky, key="applicants.queue"):
        client = login(victor)
        with django_capture_on_commit_callbacks(execute=True):
            url = client.get(EXPORT).url
        job = ExportJob.objects.get()
        assert job.status == ExportJob.Status.FAILED
        page = client.get(url).content.decode()
        assert "disk full" in page and "Try again" in page
        assert client.get(f"/ekspor/{job.public_id}/unduh/").status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/ekspor/{job.public_id}/ulangi/")
        job.refresh_from_db()
        assert job.status == ExportJob.Status.DONE and job.attempts == 2 and job.error == ""
        assert len(_csv(client.get(f"/ekspor/{job.public_id}/unduh/"))) == 3
        reasons = AuditEntry.objects.filter(action="exportjobs.exportjob.failed").values_list("note", flat=True)
        assert any("disk full" in r for r in reasons)


@pytest.mark.django_db
def test_only_the_requester_may_retry(victor, login):
    from tests.factories import UserFactory

    job = ExportJob.objects.create(source="applicants.queue", fmt="csv", filename="x.csv", created_by=victor,
                                   status=ExportJob.Status.FAILED, error="disk full")
    other = login(UserFactory(email="verifier3@bkpsdm.go.id"))
    assert other.post(f"/ekspor/{job.public_id}/ulangi/").status_code == 404
    with pytest.raises(TransitionRefused):
        jobs.export_retry(job, user=UserFactory(email="verifier4@bkpsdm.go.id"))
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED


@pytest.mark.django_db
def test_the_stale_check_fails_jobs_that_stopped_moving(victor):
    old = timezone.now() - datetime.timedelta(hours=2)
    queued = ExportJob.objects.create(source="applicants.queue", fmt="csv", filename="a.csv", created_by=victor)
    running = ExportJob.objects.create(source="applicants.queue", fmt="csv", filename="b.csv", created_by=victor,
                                       status=ExportJob.Status.RUNNING)
    fresh = ExportJob.objects.create(source="applicants.queue", fmt="csv", filename="c.csv", created_by=victor)
    ExportJob.objects.filter(pk__in=[queued.pk, running.pk]).update(moved_at=old)
    assert jobs.export_jobs_sweep() == 2
    queued.refresh_from_db()
    running.refresh_from_db()
    fresh.refresh_from_db()
    assert queued.status == running.status == ExportJob.Status.FAILED
    # In the requester's language (the job's: Indonesian here), whoever runs the sweep.
    assert "Tidak ada worker yang memulai ekspor ini" in queued.error and "Ekspor tidak bergerak selama" in running.error
    assert fresh.status == ExportJob.Status.QUEUED
