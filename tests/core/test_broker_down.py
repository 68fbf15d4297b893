"""A broker that is down never costs a person their request (issue 12 item 4).

gunicorn (a real process with its real worker timeout) runs the portal against a closed broker port: the public
complaint form answers at once with the tracking link (within three times what the same form refused takes on this
machine now, plus the broker's one connection timeout: no waiting on retries), the acknowledgement waits in the
outbox, and once the broker is back (the beat relay run by a real worker on the real Redis) the e-mail goes out
exactly once.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from certportal.outbox.models import OutboxMessage
from complaints.models import Complaint
from tests.conftest import ROOT, wait_for, worker_db_url, worker_mail


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def portal_with_broker_down(celery_worker_process, settings, tmp_path):
    """gunicorn serving the portal, its REDIS_URL a port where nothing listens. Yields the base URL."""
    port, closed = _free_port(), _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "certportal.settings.dev", "DEBUG": "false",
           "DATABASE_URL": worker_db_url(), "REDIS_URL": f"redis://127.0.0.1:{closed}/0", "CONN_MAX_AGE": "0",
           "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
           "EMAIL_FILE_PATH": str(celery_worker_process), "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT)}
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    log = (tmp_path / "gunicorn.log").open("w")
    proc = subprocess.Popen([gunicorn, "certportal.wsgi:application", "--bind", f"127.0.0.1:{port}",
                             "--workers", "1", "--timeout", "30"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def answers():
        try:
            return requests.get(f"{base}/pengaduan/publik/", timeout=10).status_code == 200
        except requests.RequestException:
            return proc.poll() is not None  # died: fail below with its log
    try:
        wait_for(answers, timeout=30)
        assert proc.poll() is None, (tmp_path / "gunicorn.log").read_text()
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        print("--- gunicorn log ---\n" + (tmp_path / "gunicorn.log").read_text())


@pytest.mark.django_db(transaction=True)
def test_a_complaint_filed_while_the_broker_is_down_is_answered_at_once_and_mailed_once_it_is_back(
        portal_with_broker_down, celery_worker_process, settings):
    browser = requests.Session()
    form = browser.get(f"{portal_with_broker_down}/pengaduan/publik/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    data = {"csrfmiddlewaretoken": token, "name": "Citra", "email": "citra@example.go.id", "phone": "",
            "object_text": "Verifikasi berkas", "reference": "", "service_date": "",
            "message": "Berkas saya dikembalikan tanpa alasan.", "website": ""}
    # the pace of this machine now: the same form refused (no message), which touches no broker
    started = time.monotonic()
    refused = browser.post(f"{portal_with_broker_down}/pengaduan/publik/", timeout=30, data={**data, "message": ""},
                           headers={"Referer": form.url})
    baseline = time.monotonic() - started
    assert refused.status_code == 200 and not Complaint.objects.exists()
    started = time.monotonic()
    answer = browser.post(f"{portal_with_broker_down}/pengaduan/publik/", timeout=30, data=data,
                          headers={"Referer": form.url})
    elapsed = time.monotonic() - started
    complaint = Complaint.objects.get()
    # at once: no wait on the broker beyond its one connection timeout (a publish retrying would add several)
    assert answer.status_code == 200 and elapsed < max(3, 3 * baseline) + settings.BROKER_TIMEOUT_SECONDS, (
        answer.status_code, elapsed, baseline)
    assert answer.url.endswith(complaint.tracking_url()) and complaint.tracking_number in answer.text
    waiting = OutboxMessage.objects.get(kwargs__to=["citra@example.go.id"])
    assert waiting.status == "pending" and waiting.attempts == 1 and "connecting to 127.0.0.1" in waiting.last_error
    assert not list(celery_worker_process.glob("*.log"))  # nothing mailed yet

    # The broker is back: beat's relay (a task on the real Redis, run by the real worker) hands the mail over.
    from certportal.outbox.tasks import relay

    relay.delay()
    mail = worker_mail(celery_worker_process, complaint.tracking_number)
    assert "To: citra@example.go.id" in mail and complaint.tracking_url() in mail
    # a second relay (run by the worker: its answer is waited for) and a third, in-process, send nothing more
    assert relay.delay().get(timeout=60) == 0
    from certportal.outbox.services import relay_pending

    assert relay_pending() == 0
    mails = [p.read_text() for p in celery_worker_process.glob("*.log")]
    assert sum(m.count("To: citra@example.go.id") for m in mails if complaint.tracking_number in m) == 1
    waiting.refresh_from_db()
    assert waiting.status == "sent" and waiting.sent_at
