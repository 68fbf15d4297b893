"""Operating the portal: request ids and JSON logs, task failures with the job's id, /healthz's storage probe and
the worker's heartbeat."""

import json
import logging
import time

import pytest
from django.utils.functional import empty
from pythonjsonlogger.json import JsonFormatter

from certportal import observability
from certportal.files import private_storage
from tests.conftest import wait_for, worker_broker_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(settings):
    """The test's own Redis database as the broker, emptied first."""
    settings.CELERY_BROKER_URL = worker_broker_url()
    observability._broker().flushdb()
    return settings.CELERY_BROKER_URL


def test_a_single_host_without_a_broker_is_healthy(storage_backend, client, settings):
    settings.CELERY_BROKER_URL = ""  # `make run`: tasks run in-process
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager", "cache": "local", "storage": "ok",
                                    "worker": "eager", "worker_heartbeat_age_seconds": None, "degraded": [],
                                    "status": "ok"}


def test_healthz_is_503_when_the_private_storage_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    settings.PRIVATE_MEDIA_ROOT = blocker
    private_storage._wrapped = empty
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["storage"] == "down"


def test_a_fresh_heartbeat_is_ok_a_stale_one_is_reported_but_still_200(broker, client, settings):
    assert client.get("/healthz").json()["worker"] == "missing"
    observability.heartbeat_stamp()
    body = client.get("/healthz").json()
    assert body["worker"] == "ok" and body["worker_heartbeat_age_seconds"] < 5
    observability._broker().set(observability.HEARTBEAT_KEY, repr(time.time() - 301))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["worker"] == "stale" and response.json()["worker_heartbeat_age_seconds"] >= 301


def test_a_real_worker_stamps_the_heartbeat(celery_worker_process, settings, client):
    from certportal.tasks import heartbeat

    settings.CELERY_BROKER_URL = worker_broker_url()  # where the worker stamps
    observability._broker().delete(observability.HEARTBEAT_KEY)
    heartbeat.delay()  # what beat sends every WORKER_HEARTBEAT_SECONDS
    wait_for(lambda: client.get("/healthz").json()["worker"] == "ok", timeout=30)


def test_an_incoming_request_id_is_kept_and_a_bad_one_replaced(client, login, alice, caplog):
    caplog.set_level(logging.INFO, logger="certportal.request")
    # a page behind the login (a /healthz probe is answered before sessions, so it never has a user)
    response = login(alice).get("/akun/data-pribadi/", HTTP_X_REQUEST_ID="nginx-4f1c2a")
    assert response["X-Request-ID"] == "nginx-4f1c2a"
    line = [r for r in caplog.records if r.name == "certportal.request"][-1]
    assert (line.request_id, line.user_id, line.method, line.path, line.status) == (
        "nginx-4f1c2a", alice.pk, "GET", "/akun/data-pribadi/", response.status_code)
    assert line.duration_ms >= 0
    bad = client.get("/healthz", HTTP_X_REQUEST_ID="evil\nid with spaces")["X-Request-ID"]
    assert len(bad) == 32 and bad.isalnum()
    assert client.get("/healthz")["X-Request-ID"] != bad


def test_json_log_lines_carry_the_request(client, settings, caplog):
    caplog.set_level(logging.INFO, logger="certportal.request")
    client.get("/tidak-ada/", HTTP_X_REQUEST_ID="abc-123")
    config = dict(settings.LOGGING["formatters"]["json"])
    config.pop("()")
    record = [r for r in caplog.records if r.name == "certportal.request"][-1]
    line = json.loads(JsonFormatter(**config).format(record))
    assert line["request_id"] == "abc-123" and line["status"] == 404 and line["path"] == "/tidak-ada/"
    assert line["level"] == "INFO" and line["logger"] == "certportal.request" and "duration_ms" in line
    assert line["user_id"] is None


def test_a_failing_task_is_logged_with_its_job_id(caplog):
    from assessments.certificates.models import PrintJob
    from assessments.tasks import run_print_job

    caplog.set_level(logging.ERROR, logger="certportal.tasks")
    result = run_print_job.apply(args=[987654], throw=False)  # Celery's own tracer, as in a worker
    assert isinstance(result.result, PrintJob.DoesNotExist)
    failure = [r for r in caplog.records if r.name == "certportal.tasks"][-1]
    assert failure.job_id == 987654 and failure.task == "assessments.tasks.run_print_job" and failure.task_id


def test_a_pdf_written_prints_no_progress_lines_only_the_pdf_libraries_warnings(caplog):
    """`make run`'s demo writes dozens of PDFs: WeasyPrint's eight progress lines each (and fontTools' and pikepdf's
    notes) buried the confirmation e-mail a newcomer looks for in the console (issue 43 item 9)."""
    from certportal.pdf import html_to_pdf

    caplog.set_level(logging.DEBUG)  # the root logger at its most talkative: only the libraries' own level holds
    assert html_to_pdf("<h1>Sertifikat</h1><p>Kompeten</p>").startswith(b"%PDF")
    libraries = ("weasyprint", "fontTools", "pikepdf")
    chatter = [r.getMessage() for r in caplog.records if r.name.split(".")[0] in libraries and r.levelno < logging.WARNING]
    assert not chatter, chatter
    assert all(logging.getLogger(name).isEnabledFor(logging.WARNING) for name in libraries)
