"""The portal's wiring and shared core (accounts and roles, audit trail, notifications, SLA clocks, PDFs)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
