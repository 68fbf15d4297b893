from celery import shared_task
from django.core.mail import send_mail


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(self, *, to: list[str], subject: str, body: str) -> int:
    return send_mail(subject, body, None, to)
