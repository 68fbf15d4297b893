"""The worker's JSON log (issue 45 item 7): a real worker (LOG_FORMAT=json, INFO, as in production) sends an e-mail
with a one-time link, published through the outbox while a request was served. Its lines name the task and carry
the request's id; none holds the recipient, the body or the link; every time is ISO 8601 with its offset.
"""

import json
import re

import pytest
from django.db import transaction

from certportal.notifications.services import send_email_later
from certportal.observability import request_id_var
from certportal.outbox.models import OutboxMessage
from tests.conftest import _celery_worker, worker_mail

pytestmark = pytest.mark.django_db(transaction=True)
LINK = "https://portal.example.go.id/akun/sandi/atur/MQ/cz9x-7b1e0c2d4f/"
BODY = "Atur ulang kata sandi Anda lewat tautan berikut dalam 3 hari."


def test_the_worker_logs_the_task_and_the_request_id_but_not_the_e_mail(settings, tmp_path):
    with _celery_worker(settings, tmp_path, pool="solo", concurrency=1, env={"LOG_FORMAT": "json"}) as mail_dir:
        token = request_id_var.set("req-7f3a")  # as RequestIdMiddleware does while serving the request
        try:
            with transaction.atomic():
                send_email_later(to=["rahasia.penerima@example.go.id"], subject="Atur ulang kata sandi",
                                 body=f"{BODY}\n{LINK}\n")
        finally:
            request_id_var.reset(token)
        assert LINK in worker_mail(mail_dir, "cz9x-7b1e0c2d4f")  # sent: the e-mail itself has the link
    message = OutboxMessage.objects.get()
    lines = [json.loads(line) for line in (tmp_path / "worker-solo.log").read_text().splitlines()
             if line.startswith("{")]
    text = json.dumps(lines)
    assert "cz9x-7b1e0c2d4f" not in text and "Atur ulang" not in text and "rahasia.penerima" not in text
    ours = [line for line in lines if f"outbox-{message.pk}" in line["message"]]
    assert ours and all(line["request_id"] == "req-7f3a" for line in ours if "succeeded" in line["message"])
    assert any("succeeded" in line["message"] for line in ours)
    assert all(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$", line["time"]) for line in lines)
