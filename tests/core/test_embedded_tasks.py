"""Without a broker (`make run`), background work runs on a thread beside the server, not in the request: the
click answers while the job is still being written, the job's page shows its progress, and the job then finishes
on its own and is offered on that page. The suite otherwise runs tasks inline (EMBEDDED_TASKS=inline); these tests
ask for the server's setting and its real threads."""

import threading

import pytest
from django.core import mail

from certportal import exportjobs
from certportal.exportjobs import documents
from certportal.exportjobs.models import ExportJob
from certportal.outbox import embedded, enqueue
from certportal.outbox.models import OutboxMessage
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
# The runner's thread writes while the test reads: the tests' in-memory SQLite (shared cache) then refuses with "table
# is locked" instead of waiting. A SQLite file, as `make run` uses, waits: tests/core/test_embedded_default.py clicks
# the assessment file's button on the real `make run`.
THREADS = pytest.mark.postgresql("the runner's thread and the test use the database at once")
S = ExportJob.Status
HELD = "tests.held_document"


@pytest.fixture
def embedded_server(settings):
    """The process serves pages with the embedded default: tasks go to the runner's threads."""
    settings.EMBEDDED_TASKS = "thread"
    embedded.activate()
    yield
    embedded.deactivate()


@pytest.fixture
def held_document():
    """A document whose writing waits for the test's word after its first part: what the runner's thread is
    doing can be seen from outside while it does it."""
    release, writer = threading.Event(), {}

    def write(user, params, out, progress):
        writer["thread"] = threading.current_thread().name
        progress(1, 2)
        assert release.wait(timeout=30), "the test never let the document finish"
        out.write(b"%PDF-1.7 held document")
        progress(2, 2)

    exportjobs.register_document(HELD, write=write, allowed=lambda user, params: True, fmt="pdf")
    yield release, writer
    release.set()
    documents.DOCUMENTS.withdraw(HELD)


def _failed_job(user) -> ExportJob:
    return ExportJob.objects.create(source=HELD, params={}, key="{}", fmt="pdf", filename="held.pdf",
                                    created_by=user, status=S.FAILED, error="the first try failed")


@THREADS
def test_the_click_answers_while_the_thread_writes_and_the_jobs_page_follows_it_to_the_download(
        embedded_server, held_document, lina, login):
    release, writer = held_document
    job = _failed_job(lina)
    client = login(lina)
    response = client.post(f"/ekspor/{job.public_id}/ulangi/")  # a real click: "try again"
    assert response.status_code == 302 and response.url == f"/ekspor/{job.public_id}/"
    # the request has answered; the document is not written: its thread waits after the first part
    wait_for(lambda: ExportJob.objects.get(pk=job.pk).done == 1, timeout=20, interval=0.05)
    job.refresh_from_db()
    assert (job.status, job.file.name) == (S.RUNNING, "")
    assert writer["thread"].startswith("embedded-task") and writer["thread"] != threading.current_thread().name
    page = client.get(response.url).content.decode()
    assert 'http-equiv="refresh"' in page and 'value="50"' in page and 'id="job-download"' not in page
    release.set()
    wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == S.DONE, timeout=20, interval=0.05)
    page = client.get(response.url).content.decode()
    assert 'id="job-download"' in page and 'http-equiv="refresh"' not in page
    download = client.get(f"/ekspor/{job.public_id}/unduh/")
    assert b"".join(download.streaming_content) == b"%PDF-1.7 held document"
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT  # taken once, by the runner


@pytest.fixture
def broken_document():
    exportjobs.register_document("tests.broken_document", write=_broken, allowed=lambda user, params: True)
    yield
    documents.DOCUMENTS.withdraw("tests.broken_document")


@THREADS
def test_a_document_that_fails_on_the_thread_fails_its_job_with_the_reason(embedded_server, broken_document, lina,
                                                                          login):
    job = ExportJob.objects.create(source="tests.broken_document", params={}, key="{}", fmt="pdf",
                                   filename="broken.pdf", created_by=lina, status=S.FAILED, error="before")
    login(lina).post(f"/ekspor/{job.public_id}/ulangi/")
    wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == S.FAILED
             and "the signer file is missing" in ExportJob.objects.get(pk=job.pk).error, timeout=20, interval=0.05)
    page = login(lina).get(f"/ekspor/{job.public_id}/").content.decode()
    assert "the signer file is missing" in page and 'http-equiv="refresh"' not in page


def _broken(user, params, out, progress):
    raise FileNotFoundError("the signer file is missing")


@THREADS
def test_an_email_goes_out_from_the_thread_after_commit(embedded_server):
    message = enqueue("certportal.notifications.tasks.send_email", to=["a@example.go.id"], subject="Halo",
                      body="Isi")
    wait_for(lambda: len(mail.outbox) == 1, timeout=20, interval=0.05)
    assert mail.outbox[0].subject == "Halo"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 1)


@THREADS
def test_a_request_a_stopped_server_left_pending_runs_with_the_next_task(embedded_server):
    left = OutboxMessage.objects.create(task="certportal.notifications.tasks.send_email",
                                        kwargs={"to": ["left@example.go.id"], "subject": "Tertinggal", "body": "."})
    enqueue("certportal.notifications.tasks.send_email", to=["b@example.go.id"], subject="Baru", body=".")
    wait_for(lambda: len(mail.outbox) == 2, timeout=20, interval=0.05)
    assert sorted(m.subject for m in mail.outbox) == ["Baru", "Tertinggal"]
    left.refresh_from_db()
    assert left.status == OutboxMessage.Status.SENT


def test_without_a_server_the_tasks_run_in_the_caller_as_before(settings):
    """A management command (load_demo) or the suite: the runner is not active, the task runs after commit in the
    caller, so what it made is there when the call returns."""
    settings.EMBEDDED_TASKS = "thread"
    assert not embedded.in_background()
    enqueue("certportal.notifications.tasks.send_email", to=["c@example.go.id"], subject="Langsung", body=".")
    assert [m.subject for m in mail.outbox] == ["Langsung"]
