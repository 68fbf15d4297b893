"""Issue 45 item 4: a job-starting form clicked twice (two tabs, a form sent again, twenty clicks at once) starts
ONE job, and every click lands on it: the whole-event print (one per event and kind) and a large table export
(one per person, filters and format). Document jobs (the archive, the assessment-file ZIP) had it already."""

import socket
import threading

import pytest
from django.db import connection
from django.urls import reverse

from assessments.certificates import services as certs
from assessments.certificates.models import PrintJob
from certportal.exportjobs.models import ExportJob
from tests.applicants.factories import ApplicationFactory, SchemeFactory
from tests.conftest import temporary_celery_app


def test_a_double_click_on_print_starts_one_job_and_both_clicks_land_on_it(db, decided, lina, lina2, login):
    start = reverse("assessments:print-start", args=[decided.pk])
    first = login(lina).post(start, {"kind": "certificates"})
    second = login(lina2).post(start, {"kind": "certificates"})  # another admin, or another tab
    job = PrintJob.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == f"{reverse('assessments:event', args=[decided.pk])}?job={job.pk}#print"
    assert job.status == "queued"
    letters = login(lina).post(start, {"kind": "letters"})  # another kind is another job
    assert letters.status_code == 302 and PrintJob.objects.count() == 2


def test_a_failed_print_may_not_be_retried_while_another_prints_the_event(db, decided, lina, login):
    failed = certs.print_job_start(decided, actor=lina, kind="letters")
    certs.print_job_fail(failed.pk, "No space left on device")
    running = certs.print_job_start(decided, actor=lina, kind="letters")
    assert running.pk != failed.pk
    client = login(lina)
    page = client.post(reverse("assessments:print-retry", args=[failed.pk]), follow=True).content.decode()
    assert "sedang dicetak" in page or "already being printed" in page
    assert PrintJob.objects.get(pk=failed.pk).status == "failed"


def test_a_double_click_on_a_large_export_starts_one_job(db, settings, victor, login):
    settings.EXPORT_BACKGROUND_ROWS = 1
    scheme = SchemeFactory()
    for i in range(3):
        ApplicationFactory(scheme=scheme, status="submitted", applicant_name=f"Ekspor {i}")
    client = login(victor)
    first, second = client.get("/permohonan/antrian/ekspor.csv"), client.get("/permohonan/antrian/ekspor.csv")
    job = ExportJob.objects.get()
    assert first.status_code == second.status_code == 302 and first.url == second.url == f"/ekspor/{job.public_id}/"
    other = client.get("/permohonan/antrian/ekspor.xlsx")  # another format is another file
    assert other.status_code == 302 and ExportJob.objects.count() == 2


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="twenty real connections at once: PostgreSQL's")
def test_twenty_clicks_at_once_start_one_print_job(settings, decided, lina):
    """Twenty threads, each its own database connection, start the print at the same moment; no worker has taken
    the job yet (the broker is a closed port: the task requests wait in the outbox)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    barrier, jobs, errors = threading.Barrier(20), [], []

    def click():
        try:
            barrier.wait()
            jobs.append(certs.print_job_start(decided, actor=lina, kind="certificates").pk)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))
        finally:
            connection.close()

    with temporary_celery_app(f"redis://127.0.0.1:{_closed_port()}/0"):
        threads = [threading.Thread(target=click) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert errors == [] and len(jobs) == 20
    assert PrintJob.objects.count() == 1 and set(jobs) == {PrintJob.objects.get().pk}
