"""Print jobs have failure states: queued → running → done | failed (with the reason), a retry by the LSP
admin, a periodic check for jobs that stopped moving, and chunked printing in a real prefork worker."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments import services
from assessments.certificates import services as certs
from assessments.certificates.models import Certificate, PrintJob
from certportal.audit.models import AuditEntry
from tests.conftest import wait_for

from .factories import decide_event, make_application, planned_event


def _broken_renderer(kind, ids):
    raise OSError("No space left on device")


def test_a_failed_job_keeps_its_reason_and_the_lsp_admin_retries_it(decided, lina, alice, victor, login,
                                                                   monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("assessments.certificates.services.printing.render_chunk", _broken_renderer)
    with django_capture_on_commit_callbacks(execute=True):
        job = certs.print_job_start(decided, actor=lina, kind="letters")
    job.refresh_from_db()
    assert job.status == "failed" and "No space left on device" in job.error and job.finished_at
    page = login(lina).get(reverse("assessments:event", args=[decided.pk])).content.decode()
    assert "No space left on device" in page and reverse("assessments:print-retry", args=[job.pk]) in page
    retry = reverse("assessments:print-retry", args=[job.pk])
    assert login(victor).post(retry).status_code == 403
    assert login(alice).post(retry).status_code == 403
    assert PrintJob.objects.get().status == "failed"
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert login(lina).post(retry).status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and job.error == "" and job.done == job.total == 2
    moves = list(AuditEntry.objects.for_object(job).filter(action__startswith="assessments.printjob.").order_by("id")
                 .exclude(action="assessments.printjob.created")
                 .values_list("from_state", "to_state"))
    assert moves == [("queued", "running"), ("running", "failed"), ("failed", "queued"), ("queued", "running"),
                     ("running", "done")]


def test_a_done_job_cannot_be_retried(decided, lina, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = certs.print_job_start(decided, actor=lina, kind="letters")
    job.refresh_from_db()
    with pytest.raises(services.AssessmentError, match="is not possible now"):
        certs.print_job_retry(job, actor=lina)


def test_the_periodic_check_fails_jobs_that_never_started_or_stopped_moving(decided, lina, settings):
    settings.ASSESSMENT_PRINT_QUEUED_MINUTES, settings.ASSESSMENT_PRINT_RUNNING_MINUTES = 30, 15
    now = timezone.now()
    never_picked = PrintJob.objects.create(event=decided, kind="letters", created_by=lina,
                                           moved_at=now - datetime.timedelta(minutes=31))
    stuck = PrintJob.objects.create(event=decided, kind="certificates", status="running", created_by=lina,
                                    moved_at=now - datetime.timedelta(minutes=16))
    from assessments.tasks import sweep_print_jobs

    assert sweep_print_jobs.run() == 2
    # (one active job per event and kind: the fresh one is started once the stale one has failed)
    fresh = PrintJob.objects.create(event=decided, kind="letters", created_by=lina,
                                    moved_at=now - datetime.timedelta(minutes=5))
    assert sweep_print_jobs.run() == 0  # running it again changes nothing
    never_picked.refresh_from_db(), stuck.refresh_from_db(), fresh.refresh_from_db()
    # The reason is written in the requester's language (Lina reads Indonesian), whoever runs the sweep.
    assert never_picked.status == "failed" and "Tidak ada worker yang memulai tugas ini dalam 30 menit" in never_picked.error
    assert stuck.status == "failed" and "tidak berjalan maju selama 15 menit" in stuck.error
    assert fresh.status == "queued"
    assert AuditEntry.objects.filter(action="assessments.printjob.failed", actor=None).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_prefork_worker_prints_a_large_event_in_parallel_chunks(celery_prefork_worker, lina, scheme,
                                                                  site, assessor, tono, asa):
    """22 certificates in two chunks (one per worker process, ASSESSMENT_PRINT_PROCESSES=2), rendered at the same
    time by the two processes of a prefork worker, merged into one PDF in order."""
    from tests.factories import UserFactory

    apps = [make_application(scheme, UserFactory(full_name=f"Peserta Nomor {i}"), name=f"Peserta Nomor {i}, S.Sos.")
            for i in range(22)]
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=apps)
    event = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K", accept_obligations=True)
    job = certs.print_job_start(event, actor=lina, kind="certificates")
    job = wait_for(lambda: PrintJob.objects.filter(pk=job.pk, status__in=["done", "failed"]).first(), timeout=180)
    assert job.status == "done", job.error
    assert job.done == job.total == 22 and job.parts_total == 2 and job.parts == [0, 1]
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(job.file.open("rb")).pages]
    numbered = list(Certificate.objects.order_by("sequence"))
    assert len(numbered) == 22 and len(pages) == 44  # each certificate: its front, then its units on the back
    for page, cert in zip(pages[0::2], numbered, strict=True):
        assert cert.holder_name in page and cert.number in page
    log = celery_prefork_worker.parent.joinpath("worker-prefork.log").read_text()
    chunks = [line for line in log.splitlines() if "render_print_chunk" in line and "succeeded" in line]
    assert "daemonic" not in log and len(chunks) == 2
    assert {"ForkPoolWorker-1", "ForkPoolWorker-2"} == {re.search(r"ForkPoolWorker-\d+", line).group(0)
                                                        for line in chunks}  # the process on each line


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_that_fails_leaves_the_job_failed_with_its_reason_and_a_retry_succeeds(
        settings, tmp_path, decided, lina):
    """The worker cannot write the rendered chunk (its storage folder is not a folder): the job becomes failed
    with the reason, nothing stays "running"; the LSP admin retries once the worker is healthy again."""
    from tests.conftest import _celery_worker

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    (tmp_path / "broken").mkdir(), (tmp_path / "healthy").mkdir()
    with _celery_worker(settings, tmp_path / "broken", pool="solo", concurrency=1,
                        env={"PRIVATE_MEDIA_ROOT": str(blocker / "private")}):
        job = certs.print_job_start(decided, actor=lina, kind="letters")
        job = wait_for(lambda: PrintJob.objects.filter(pk=job.pk, status__in=["done", "failed"]).first(),
                       timeout=120)
    assert job.status == "failed" and "Not a directory" in job.error and job.finished_at
    assert AuditEntry.objects.for_object(job).filter(action="assessments.printjob.failed", actor=None).exists()
    with _celery_worker(settings, tmp_path / "healthy", pool="solo", concurrency=1):
        certs.print_job_retry(job, actor=lina)
        job = wait_for(lambda: PrintJob.objects.filter(pk=job.pk, status__in=["done", "failed"]).first(),
                       timeout=120)
    assert job.status == "done" and job.error == "" and job.total == 2
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(job.file.open("rb")).pages)
    assert "Alice Applicant" in text and "Bob Applicant" in text
