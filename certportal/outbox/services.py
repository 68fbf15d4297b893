"""Write task requests in the caller's transaction; publish them after commit; relay what is left."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

log = logging.getLogger(__name__)


def enqueue(task: str, **kwargs) -> OutboxMessage:
    """Record a request for ``task(**kwargs)`` (JSON-serialisable arguments) and publish it after commit.

    Without a broker (eager mode) the task runs in-process after commit, as ``.delay()`` would.
    """
    message = OutboxMessage.objects.create(task=task, kwargs=kwargs)
    transaction.on_commit(lambda: _after_commit(message.pk))
    return message


def _after_commit(pk: int) -> None:
    if relay(pk) and not settings.CELERY_TASK_ALWAYS_EAGER:
        relay_pending(limit=20)  # the broker answers: also hand over what an outage left behind


def relay(pk: int) -> bool:
    """Publish message ``pk`` once. True when it is (now or already) sent; False when the broker is down."""
    with transaction.atomic():
        message = (OutboxMessage.objects.select_for_update(skip_locked=True)
                   .filter(pk=pk, status=OutboxMessage.Status.PENDING).first())
        if message is None:
            return True  # sent already, or another relay holds it right now
        try:
            _publish(message)
        except Exception as exc:  # broker down (or the task failed in-process): keep the row for the relay
            log.warning("Outbox message %s not handed over: %s", pk, exc)
            OutboxMessage.objects.filter(pk=pk).update(attempts=message.attempts + 1, last_error=str(exc)[:2000])
            return False
        OutboxMessage.objects.filter(pk=pk).update(status=OutboxMessage.Status.SENT, sent_at=timezone.now(),
                                                   attempts=message.attempts + 1, last_error="")
    return True


def _publish(message: OutboxMessage) -> None:
    import importlib

    from celery import current_app

    module, name = message.task.rsplit(".", 1)
    task = getattr(importlib.import_module(module), name)  # imports (so registers) the task's module
    if settings.CELERY_TASK_ALWAYS_EAGER or current_app.conf.task_always_eager:
        task.apply(kwargs=message.kwargs, throw=True)
        return
    # The message id is the row's: a worker can tell a re-published request from a new one. The outcome lives
    # on the rows the task changes, so no result is kept (publishing then never touches the result store).
    task.apply_async(kwargs=message.kwargs, task_id=f"outbox-{message.pk}", retry=False, ignore_result=True)


def relay_pending(*, limit: int = 500) -> int:
    """Hand over pending messages, oldest first; stop at the first the broker refuses. Returns how many went."""
    sent = 0
    for pk in OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).values_list("pk", flat=True)[:limit]:
        if not relay(pk):
            break
        sent += 1
    return sent
