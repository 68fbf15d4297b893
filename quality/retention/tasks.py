"""The anonymisation job, published through the outbox when a disposal list is approved."""

from celery import shared_task
from django.db import InterfaceError, OperationalError


# A database that blinks in the middle (a failover, a restart, the connection ended) rolls the whole run back: it is
# tried again, else the approved list would wait for ever. A worker killed: the message is handed out again (late ack).
@shared_task(name="quality.retention.tasks.run_disposal", acks_late=True, autoretry_for=(OperationalError,
             InterfaceError), retry_backoff=True, max_retries=5)
def run_disposal(disposal_id: int) -> str | None:
    from .services import disposal_run

    disposal = disposal_run(disposal_id)
    return disposal.status if disposal else None
