"""What the logs hold (issue 45 item 7): the main flows run with JSON logging at DEBUG, and what was written is
scanned: no password, token, one-time link or e-mail body; every time ISO 8601 with its offset; the request id on
the request's lines and its audit entries. The worker's side is in tests/core/test_worker_logs.py.
"""

import io
import json
import logging
import re

import pytest
from django.core import mail
from django.urls import reverse

from certportal.audit.models import AuditEntry
from certportal.logrules import redact
from certportal.observability import JsonFormatter, RedactFilter, RequestIdFilter
from certportal.signals import service_delivered
from complaints.models import Complaint, SurveyInvitation

pytestmark = pytest.mark.django_db
PASSWORD = "Kopi-Tubruk-Pagi-77"  # noqa: S105
NEW_PASSWORD = "Teh-Manis-Sore-2026"  # noqa: S105
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+07:00$")


@pytest.fixture
def written(settings):
    """Everything logged meanwhile, as the console handler of LOG_FORMAT=json writes it, with the root at DEBUG."""
    config = {k: v for k, v in settings.LOGGING["formatters"]["json"].items() if k != "()"}
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactFilter())
    handler.setFormatter(JsonFormatter(**config))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    logging.getLogger("certportal.request").setLevel(logging.INFO)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_the_main_flows_log_no_secret_link_password_or_body(client, alice, written,
                                                           django_capture_on_commit_callbacks):
    secrets = [PASSWORD, NEW_PASSWORD]
    with django_capture_on_commit_callbacks(execute=True):  # register: a confirmation link by e-mail
        client.post(reverse("accounts:register"), {
            "full_name": "Citra Dewi", "email": "citra@example.go.id", "phone": "0812", "password1": PASSWORD,
            "password2": PASSWORD, "consent": "on"}, HTTP_X_REQUEST_ID="req-register")
    confirm = re.search(r"https?://\S+/akun/konfirmasi/(\S+)/", mail.outbox[-1].body)
    secrets += [confirm.group(1), mail.outbox[-1].body.strip().splitlines()[0]]
    client.get(path_of(confirm.group(0)), HTTP_X_REQUEST_ID="req-confirm")
    client.post(reverse("accounts:login"), {"username": "citra@example.go.id", "password": PASSWORD})

    with django_capture_on_commit_callbacks(execute=True):  # a password reset link, used
        client.post(reverse("accounts:password-reset"), {"email": alice.email})
    reset = re.search(r"/akun/sandi/atur/\S+/(\S+)/", mail.outbox[-1].body)
    secrets.append(reset.group(1))
    form = client.get(reset.group(0), follow=True).redirect_chain[-1][0]
    client.post(form, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):  # a public complaint, its tracking link followed
        filed = client.post("/pengaduan/publik/", {
            "name": "Dewi", "email": "dewi@example.go.id", "phone": "", "object_text": "Verifikasi berkas",
            "reference": "", "service_date": "", "message": "Berkas saya dikembalikan tanpa alasan yang jelas.",
            "website": ""})
    complaint = Complaint.objects.get()
    client.get(filed["Location"])
    secrets += [complaint.tracking_url().rstrip("/").rsplit("/", 1)[-1], "dikembalikan tanpa alasan"]

    with django_capture_on_commit_callbacks(execute=True):  # a survey invitation, its link opened
        service_delivered(kind="certificate", user=None, email="holder@example.go.id", name="Holder",
                               reference="certificate:7", scheme_code="SS-02", language="id")
    token = SurveyInvitation.objects.get().token
    client.get(f"/pengaduan/survei/{token}/")
    secrets.append(token)

    text = written.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    leaked = [s for s in secrets if s in text]
    assert leaked == []
    assert all(ISO_WITH_OFFSET.match(line["time"]) for line in lines), lines[0]["time"]
    paths = {line.get("path") for line in lines if line["logger"] == "certportal.request"}
    assert {"/akun/konfirmasi/[redacted]/", "/pengaduan/survei/[redacted]/"} <= paths  # the operator sees the page
    confirm_line = next(line for line in lines if line.get("path") == "/akun/konfirmasi/[redacted]/")
    assert confirm_line["request_id"] == "req-confirm"
    # the audit entry of the confirmation keeps the id of the request that made it
    assert AuditEntry.objects.get(action="email confirmed").request_id == "req-confirm"


def test_redaction_keeps_the_page_and_hides_the_secret():
    assert redact('"GET /akun/sandi/atur/MQ/cz9x-4f2/ HTTP/1.1" 302') == '"GET /akun/sandi/atur/MQ/[redacted]/ HTTP/1.1" 302'
    assert redact("/asesmen/kredensial/AbC.json /asesmen/kredensial/status/revocation.json") == (
        "/asesmen/kredensial/[redacted].json /asesmen/kredensial/status/revocation.json")
    assert redact("/perangkat-daerah/undangan/Xy-1/mulai/?next=/a&token=s3cr3t") == (
        "/perangkat-daerah/undangan/[redacted]/mulai/?next=/a&token=[redacted]")
    assert redact("/permohonan/12/ 200") == "/permohonan/12/ 200"
