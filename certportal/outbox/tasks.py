"""The periodic relay (scheduled by beat, see settings): fails what waited too long, hands over what a broker
outage left pending; and :class:`OutboxTask`, the base of a task whose final failure is its outbox row's."""

from celery import Task, shared_task
from django.db import OperationalError

from .services import fail_stale, fail_task, relay_pending


class OutboxTask(Task):
    """A task sent through the outbox that has no record of its own to fail (an e-mail): when it fails for good
    (its retries spent, or an error it does not declare), its outbox row is marked failed with the reason, for
    the LSP admin's failed-messages page. Tasks on a job (``certportal.jobs``) fail their job instead."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        fail_task(task_id, exc)


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def relay(self) -> int:
    """Fail what waited too long; hand over what is pending; forget what was sent more than a week ago (the rows
    are a queue, not a log; failed rows stay until they are sent again)."""
    import datetime

    from django.utils import timezone

    from .models import OutboxMessage

    OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT,
                                 sent_at__lt=timezone.now() - datetime.timedelta(days=7)).delete()
    fail_stale()
    return relay_pending()
