"""Core Celery tasks: the worker's heartbeat (scheduled by beat, see settings)."""

from celery import shared_task

from .observability import heartbeat_stamp


@shared_task(ignore_result=True, expires=60)
def heartbeat() -> None:
    """Stamp 'a worker ran a task just now'; /healthz reports how long ago."""
    heartbeat_stamp()
