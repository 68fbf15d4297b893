"""The periodic relay (scheduled by beat, see settings): hands over what a broker outage left pending."""

from celery import shared_task
from django.db import OperationalError

from .services import relay_pending


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def relay(self) -> int:
    return relay_pending()
