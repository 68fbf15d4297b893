"""The periodic relay (scheduled by beat, see settings): hands over what a broker outage left pending."""

from celery import shared_task
from django.db import OperationalError

from .services import relay_pending


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def relay(self) -> int:
    """Hand over what is pending; forget what was sent more than a week ago (the rows are a queue, not a log)."""
    import datetime

    from django.utils import timezone

    from .models import OutboxMessage

    OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT,
                                 sent_at__lt=timezone.now() - datetime.timedelta(days=7)).delete()
    return relay_pending()
