"""Taking a job (certportal.jobs.claim): one task works on a job at a time; a copy of its message leaves a live job
alone, a delivery that comes after its worker died takes it over and resumes it, and the sweep sends a task for a job
whose heartbeat stopped. (Real workers killed with real signals: tests/faults.)"""

import datetime
import socket

import pytest
from django.utils import timezone

from certportal.audit.models import AuditEntry
from certportal.jobs import claim, registry
from certportal.outbox.models import OutboxMessage
from schemes.models import ImportJob

pytestmark = pytest.mark.django_db
ELSEWHERE = "earlier/0@another-host:4242:1"  # a task on another machine: only its heartbeat tells whether it lives


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.JOB_HEARTBEAT_STALE_SECONDS, settings.JOB_MAX_ATTEMPTS = 300, 3
    settings.SCHEMES_IMPORT_QUEUED_MINUTES, settings.SCHEMES_IMPORT_RUNNING_MINUTES = 30, 15


def _running(lina, *, silent_for: float, holder: str = ELSEWHERE, attempts: int = 1) -> ImportJob:
    return ImportJob.objects.create(kind="skkni", filename="decree.pdf", created_by=lina, language="en",
                                    status="running", attempts=attempts, claim=holder,
                                    moved_at=timezone.now() - datetime.timedelta(seconds=silent_for))


def _take(delivery: str, job: ImportJob, retries: int = 0):
    with claim.delivering(delivery, retries):
        return claim.take(ImportJob, job.pk)


def _resumed(job) -> int:
    return AuditEntry.objects.filter(object_id=str(job.pk), action="schemes.importjob.resumed").count()


def test_a_queued_job_is_started_by_the_first_delivery_only(lina):
    job = ImportJob.objects.create(kind="skkni", filename="decree.pdf", created_by=lina, language="en")
    started = _take("first", job)
    assert started.status == "running" and started.attempts == 1 and started.claim.startswith("first/0@")
    assert _take("copy", job) is None  # a copy of the message: the job is alive
    assert ImportJob.objects.get(pk=job.pk).claim == started.claim


def test_a_copy_of_the_message_leaves_a_job_whose_heartbeat_is_fresh(lina):
    job = _running(lina, silent_for=290)
    assert _take("copy", job) is None
    job.refresh_from_db()
    assert job.attempts == 1 and job.claim == ELSEWHERE and _resumed(job) == 0


def test_a_job_whose_heartbeat_stopped_is_taken_over_once_and_audited(lina):
    job = _running(lina, silent_for=301)
    taken = _take("redelivered", job)
    assert taken.status == "running" and taken.attempts == 2 and taken.claim.startswith("redelivered/0@")
    assert _take("sent-by-the-sweep", job) is None  # the heartbeat is fresh again: one taker
    assert _resumed(job) == 1


def test_a_job_whose_process_is_gone_is_taken_over_at_once_and_a_live_one_is_not(lina):
    gone = f"killed/0@{socket.gethostname()}:4194305:1"  # a pid above Linux's largest: no such process
    assert _take("requeued", _running(lina, silent_for=1, holder=gone)) is not None
    with claim.delivering("alive", 0):
        here = claim.mark()  # this very process, alive
    assert _take("copy", _running(lina, silent_for=1, holder=here)) is None


def test_a_retry_of_the_same_message_takes_its_job_back(lina):
    with claim.delivering("message", 0):
        holder = claim.mark()
    job = _running(lina, silent_for=1, holder=holder)
    assert _take("message", job, retries=0) is None  # the same try handed out twice: alive
    assert _take("message", job, retries=1) is not None  # Celery's retry after a database error


def test_a_job_that_kills_its_worker_each_time_is_failed_after_the_last_attempt(lina):
    job = _running(lina, silent_for=301, attempts=3)
    assert _take("fourth", job) is None
    job.refresh_from_db()
    assert job.status == "failed" and "3 times" in job.error and _resumed(job) == 0


def test_the_sweep_sends_a_silent_job_to_a_worker_and_fails_one_no_worker_took(lina):
    silent = _running(lina, silent_for=6 * 60)
    fresh = _running(lina, silent_for=60)
    abandoned = _running(lina, silent_for=16 * 60)
    assert registry.sweep(model=ImportJob) == 1
    sent = list(OutboxMessage.objects.filter(task="schemes.tasks.parse_decree").values_list("kwargs", flat=True))
    assert sent == [{"job_id": silent.pk}]  # the task takes it over (or leaves it, if another did first)
    silent.refresh_from_db(), fresh.refresh_from_db(), abandoned.refresh_from_db()
    assert silent.status == fresh.status == "running" and abandoned.status == "failed"
    assert "no progress for 15 minutes" in abandoned.error
