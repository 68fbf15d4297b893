"""Issue 13 item 6 with the real pieces: an e-mail a real mail server refuses, retried by a real Celery worker until
its retries are spent, ends failed on its outbox row with the server's answer; a broker that refuses the hand-over
OUTBOX_MAX_ATTEMPTS times fails the row too. Nothing stays "pending" or "sent" for ever without a trace.

(Listed in WORKER_FILES: it starts a worker on the test process's Redis database.)"""

import socket
import socketserver
import threading

import pytest

from certportal.audit.models import AuditEntry
from certportal.notifications.services import send_email_later
from certportal.outbox.models import OutboxMessage
from certportal.outbox.services import relay_pending
from tests.conftest import _celery_worker, temporary_celery_app, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


class _RefusingSmtp(socketserver.StreamRequestHandler):
    """A stand-in mail server that greets, then refuses every recipient (550, relaying denied)."""

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self._reply("220 stand-in.example.go.id ESMTP")
        for raw in self.rfile:
            command = raw.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self._reply("250 stand-in.example.go.id")
            elif command.startswith("RCPT"):
                self.server.refused += 1
                self._reply("550 5.7.1 Relaying denied")
            elif command.startswith(("MAIL", "RSET", "NOOP")):
                self._reply("250 OK")
            elif command.startswith("QUIT"):
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")


@pytest.fixture
def refusing_mail_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _RefusingSmtp)
    server.daemon_threads = True
    server.refused = 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_an_email_the_mail_server_refuses_is_failed_with_the_reason_after_the_retries(
        refusing_mail_server, settings, tmp_path):
    port = refusing_mail_server.server_address[1]
    worker_env = {"EMAIL_URL": f"smtp://127.0.0.1:{port}", "EMAIL_SEND_RETRIES": "2"}
    with _celery_worker(settings, tmp_path, pool="solo", concurrency=1, env=worker_env):
        send_email_later(to=["citra@example.go.id"], subject="Jadwal uji kompetensi", body="Besok pukul 08.00.")
        message = OutboxMessage.objects.get()

        def failed():
            message.refresh_from_db()
            return message.status == OutboxMessage.Status.FAILED

        wait_for(failed, timeout=60)
    assert refusing_mail_server.refused == 3  # the first try and two retries, then it gave up
    assert message.failure == OutboxMessage.Failure.TASK and message.failed_at and message.sent_at
    assert "SMTPRecipientsRefused" in message.last_error and "Relaying denied" in message.last_error
    entry = AuditEntry.objects.get(action="outbox.outboxmessage.failed")
    assert entry.actor is None and (entry.from_state, entry.to_state) == ("sent", "failed")
    assert "Relaying denied" in entry.note


def test_a_message_the_broker_refuses_too_often_is_failed(settings):
    with socket.socket() as s:  # a broker address where nothing listens
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with temporary_celery_app(f"redis://127.0.0.1:{closed}/0"):
        send_email_later(to=["dina@example.go.id"], subject="Hasil asesmen", body="...")  # attempt 1, at once
        message = OutboxMessage.objects.get()
        assert message.status == OutboxMessage.Status.PENDING and message.attempts == 1
        assert relay_pending() == 0  # beat's relay, a minute later: attempt 2
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.PENDING and message.attempts == 2
        assert relay_pending() == 0  # attempt 3: given up
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.FAILED and message.attempts == 3
        assert message.failure == OutboxMessage.Failure.BROKER and f"127.0.0.1:{closed}" in message.last_error
        relay_pending()  # a failed message is not tried again until a person says so
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and message.attempts == 3
    entry = AuditEntry.objects.get(action="outbox.outboxmessage.failed")
    assert (entry.from_state, entry.to_state) == ("pending", "failed") and entry.actor is None
