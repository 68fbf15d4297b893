"""Celery tasks of the SLA clock: the periodic sweep (scheduled by beat, see settings)."""

from celery import shared_task
from django.db import OperationalError

from .sweep import run_sweep


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def sweep(self) -> dict:
    """Send every due-soon, overdue and escalation notice not sent yet. Safe to run twice or concurrently."""
    result = run_sweep()
    return {**result.sent, "skipped": result.skipped}
