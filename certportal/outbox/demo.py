"""Demo: one e-mail the mail server refused, so the LSP admin's "Failed e-mails" page (/surel-gagal/) and the home
page's count show something (idempotent). It is never sent: the row is failed, and only "Send again" would queue it."""

from .models import OutboxMessage
from .services import fail

SUBJECT = "[Demo] Jadwal uji kompetensi Anda"


def load(stdout) -> None:
    if OutboxMessage.objects.filter(task="certportal.notifications.tasks.send_email",
                                    kwargs__subject=SUBJECT).exists():
        return
    message = OutboxMessage.objects.create(
        task="certportal.notifications.tasks.send_email",
        kwargs={"to": ["alamat.lama@demo.go.id"], "subject": SUBJECT,
                "body": "Yth. peserta, jadwal uji kompetensi Anda telah ditetapkan."})
    fail(message.pk, OutboxMessage.Failure.TASK,
         "SMTPRecipientsRefused: {'alamat.lama@demo.go.id': (550, b'5.1.1 Mailbox unavailable')}", attempts=6)
    stdout.write("  outbox: one failed e-mail waiting to be sent again")
