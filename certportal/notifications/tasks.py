from smtplib import SMTPException

from celery import shared_task
from django.core.mail import send_mail


# A mail server that is down or refuses for a moment is worth retrying; a bad address is not (it raises
# SMTPRecipientsRefused, an SMTPException, only when every recipient is refused: retried a few times too).
@shared_task(bind=True, acks_late=True, autoretry_for=(OSError, SMTPException), retry_backoff=True, max_retries=5)
def send_email(self, *, to: list[str], subject: str, body: str) -> int:
    return send_mail(subject, body, None, to)
