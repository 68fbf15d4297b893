"""Issue 13 item 6: an e-mail that cannot be delivered is not lost silently. It is marked failed with the reason,
the LSP admin sees it on /surel-gagal/ (and a count on the home page) and sends it again; each failure and each
resend is in the audit trail. (Tasks run in-process here; tests/core/test_outbox_failures.py runs a real worker.)"""

import datetime
import socket

import pytest
from django.core import mail
from django.utils import timezone

from certportal.audit.models import AuditEntry
from certportal.notifications.services import send_email_later
from certportal.outbox.models import OutboxMessage
from certportal.outbox.tasks import relay
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
URL = "/surel-gagal/"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mail_server_down(settings):
    """The portal's mail server does not answer (a port where nothing listens); the locmem backend once fixed."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 2

    def repaired():
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    return repaired


def _failed_email(capture, subject="Jadwal uji kompetensi", to="citra@example.go.id") -> OutboxMessage:
    with capture(execute=True):  # handed to the (in-process) task after commit; it retries, then gives up
        send_email_later(to=[to], subject=subject, body="Uji kompetensi Anda dijadwalkan.")
    message = OutboxMessage.objects.get(kwargs__subject=subject)
    assert message.status == OutboxMessage.Status.FAILED
    return message


def test_an_email_the_mail_server_refuses_is_failed_with_the_reason_and_audited(
        mail_server_down, django_capture_on_commit_callbacks):
    message = _failed_email(django_capture_on_commit_callbacks)
    assert message.failure == OutboxMessage.Failure.TASK and message.failed_at
    assert "ConnectionRefusedError" in message.last_error and message.attempts == 1
    entry = AuditEntry.objects.get(action="outbox.outboxmessage.failed")
    assert entry.actor is None and (entry.from_state, entry.to_state) == ("pending", "failed")
    assert "ConnectionRefusedError" in entry.note
    assert not mail.outbox


def test_only_the_lsp_admin_sees_the_failed_messages(mail_server_down, django_capture_on_commit_callbacks, client,
                                                     alice, karin, lina):
    message = _failed_email(django_capture_on_commit_callbacks)
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/akun/masuk/")
    assert client.post(f"{URL}{message.pk}/kirim-ulang/").status_code == 302
    for other in (alice, karin):
        assert client_for(other).get(URL).status_code == 403
        assert client_for(other).post(f"{URL}{message.pk}/kirim-ulang/").status_code == 403
        assert client_for(other).post(f"{URL}kirim-ulang-semua/").status_code == 403
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and not AuditEntry.objects.filter(
        action="outbox.outboxmessage.resent").exists()
    assert client_for(lina).get(f"{URL}{message.pk}/kirim-ulang/").status_code == 405  # a link never resends


def test_the_lsp_admin_reads_the_failed_email_in_indonesian_and_english(
        mail_server_down, django_capture_on_commit_callbacks, lina):
    message = _failed_email(django_capture_on_commit_callbacks)
    page = client_for(lina).get(URL).content.decode()
    assert "E-mail gagal" in page and "Jadwal uji kompetensi" in page and "citra@example.go.id" in page
    assert "Tugas gagal setelah percobaan ulangnya habis" in page and "ConnectionRefusedError" in page
    assert "Kirim lagi" in page and "Kirim ulang semua" in page
    assert f'action="/surel-gagal/{message.pk}/kirim-ulang/"' in page
    lina.preferred_language = "en"
    lina.save(update_fields=["preferred_language"])
    page = client_for(lina).get(URL).content.decode()
    assert "Failed e-mails" in page and "The task failed after its retries" in page and "Send again" in page
    assert "Jadwal uji kompetensi" in page and "citra@example.go.id" in page


def test_send_again_delivers_the_email_and_is_audited(mail_server_down, django_capture_on_commit_callbacks, lina):
    message = _failed_email(django_capture_on_commit_callbacks)
    mail_server_down()  # the mail server is repaired
    client = client_for(lina)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{URL}{message.pk}/kirim-ulang/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == URL
    assert "E-mail “Jadwal uji kompetensi” diantrekan untuk dikirim lagi." in page
    assert [m.to for m in mail.outbox] == [["citra@example.go.id"]]
    assert mail.outbox[0].subject == "Jadwal uji kompetensi"
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and not message.failure and not message.last_error
    entry = AuditEntry.objects.get(action="outbox.outboxmessage.resent")
    assert entry.actor == lina and (entry.from_state, entry.to_state) == ("failed", "pending")
    assert "Jadwal uji kompetensi" not in page.split('id="failed-messages"')[1]  # off the list

    # The same POST again (a reload, a second tab): refused with a clear message, nothing sent twice.
    response = client.post(f"{URL}{message.pk}/kirim-ulang/", follow=True)
    assert "E-mail “Jadwal uji kompetensi” sudah dikirim lagi." in response.content.decode()
    assert len(mail.outbox) == 1 and AuditEntry.objects.filter(action="outbox.outboxmessage.resent").count() == 1


def test_send_again_while_it_waits_for_the_relay_is_refused(mail_server_down, django_capture_on_commit_callbacks,
                                                            lina):
    message = _failed_email(django_capture_on_commit_callbacks)
    client = client_for(lina)
    client.post(f"{URL}{message.pk}/kirim-ulang/")  # its hand-over waits for the commit (not run here)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    response = client.post(f"{URL}{message.pk}/kirim-ulang/", follow=True)
    assert "E-mail “Jadwal uji kompetensi” sudah menunggu untuk dikirim lagi." in response.content.decode()
    assert AuditEntry.objects.filter(action="outbox.outboxmessage.resent").count() == 1


def test_send_all_again(mail_server_down, django_capture_on_commit_callbacks, lina):
    for n in range(3):
        _failed_email(django_capture_on_commit_callbacks, subject=f"Pemberitahuan {n}", to=f"p{n}@example.go.id")
    mail_server_down()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(lina).post(f"{URL}kirim-ulang-semua/", follow=True)
    assert "3 pesan diantrekan untuk dikirim lagi." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.go.id", "p1@example.go.id", "p2@example.go.id"]
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).exists()
    assert AuditEntry.objects.filter(action="outbox.outboxmessage.resent", actor=lina).count() == 3


def test_the_page_costs_the_same_queries_for_one_row_and_for_many(
        mail_server_down, django_capture_on_commit_callbacks, lina, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _failed_email(django_capture_on_commit_callbacks, subject="Satu")
    client = client_for(lina)
    client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).status_code == 200
    for n in range(6):
        _failed_email(django_capture_on_commit_callbacks, subject=f"Lagi {n}", to=f"l{n}@example.go.id")
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL).content.decode()
    assert page.count("Kirim lagi</button>") == 7
    assert len(many) == len(one)
    # newest failure first
    assert page.index("Lagi 5") < page.index("Lagi 0") < page.index("Satu")


def test_the_lsp_admin_home_counts_the_failed_emails(mail_server_down, django_capture_on_commit_callbacks, lina):
    client = client_for(lina)
    page = client.get("/beranda/lsp_admin/").content.decode()
    assert 'data-work="failed-outbox"' in page
    _failed_email(django_capture_on_commit_callbacks)
    page = client.get("/beranda/lsp_admin/").content.decode()
    tile = page.split('data-work="failed-outbox"')[1].split("</a>")[0]
    assert "E-mail gagal" in tile and "data-count>1<" in tile


def test_a_message_waiting_too_long_is_failed_by_the_periodic_relay(settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_PENDING_MINUTES = 60
    send_email_later(to=["dina@example.go.id"], subject="Tertahan", body="...")  # its hand-over never ran
    OutboxMessage.objects.update(moved_at=timezone.now() - datetime.timedelta(minutes=61))
    fresh = OutboxMessage.objects.create(task="certportal.notifications.tasks.send_email",
                                         kwargs={"to": ["eko@example.go.id"], "subject": "Baru", "body": "..."})
    relay.apply()
    stale = OutboxMessage.objects.get(kwargs__subject="Tertahan")
    assert stale.status == OutboxMessage.Status.FAILED and stale.failure == OutboxMessage.Failure.STALE
    note = AuditEntry.objects.get(action="outbox.outboxmessage.failed").note
    assert "60 menit" in note
    fresh.refresh_from_db()
    assert fresh.status == OutboxMessage.Status.SENT and [m.to for m in mail.outbox] == [["eko@example.go.id"]]
