"""The supervisor's work queue: the service deadlines breached, and those due today."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from certportal.workqueue import WorkItem

from .models import Clock
from .services import local_date


def supervisor(user) -> list[WorkItem]:
    today = local_date()
    running = Clock.objects.filter(outcome=Clock.Outcome.OPEN, paused_since__isnull=True)
    breached = running.filter(target_due__lt=today).count()
    dashboard = reverse("sla:dashboard")
    return [WorkItem(_("Deadlines breached"), breached, dashboard, breached, "breaches"),
            WorkItem(_("Deadlines due today"), running.filter(target_due=today).count(), dashboard, 0, "due-today")]
