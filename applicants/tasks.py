"""Periodic work of the applicants app (Celery beat)."""

import datetime

from celery import shared_task
from django.utils import timezone


@shared_task(name="applicants.tasks.verifier_digest")
def verifier_digest() -> int:
    """Once a day: the dossiers (re)submitted in the last 24 hours, to every verifier who keeps the digest on."""
    from . import services

    now = timezone.now()
    return services.verifier_digest(since=now - datetime.timedelta(days=1), until=now)
