from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from certportal.outbox.tasks import OutboxTask


# A mail server that is down or refuses for a moment is worth retrying; a bad address is not (it raises
# SMTPRecipientsRefused, an SMTPException, only when every recipient is refused: retried a few times too).
# When the retries (EMAIL_SEND_RETRIES) are spent, or on an error not declared here, the e-mail's outbox row is
# marked failed with the reason (OutboxTask) and the LSP admin may send it again from the failed-messages page.
@shared_task(bind=True, base=OutboxTask, acks_late=True, autoretry_for=(OSError, SMTPException), retry_backoff=True,
             max_retries=settings.EMAIL_SEND_RETRIES)
def send_email(self, *, to: list[str], subject: str, body: str) -> int:
    return send_mail(subject, body, None, to)
