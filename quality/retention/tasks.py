"""The anonymisation job, published through the outbox when a disposal list is approved."""

from celery import shared_task


@shared_task(name="quality.retention.tasks.run_disposal", acks_late=True)
def run_disposal(disposal_id: int) -> str | None:
    from .services import disposal_run

    disposal = disposal_run(disposal_id)
    return disposal.status if disposal else None
