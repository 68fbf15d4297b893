"""Celery application. Without a broker URL tasks run eagerly in-process (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certportal.settings.dev")

app = Celery("certportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The fallback for every thread (web server threads included), so shared tasks never bind to Celery's
# unconfigured default app.
app.set_default()

from . import observability  # noqa: E402,F401  (logs every task failure with the job's id)
