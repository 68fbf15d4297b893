"""The supervisor's work queue: the service deadlines breached, and those due today."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from certportal.workqueue import WorkItem, reads

from .selectors import running_counts
from .services import local_date


@reads("sla.Clock")
def supervisor(user) -> list[WorkItem]:
    breached, due = running_counts(local_date())
    dashboard = reverse("sla:dashboard")
    return [WorkItem(_("Deadlines breached"), breached, dashboard, breached, "breaches"),
            WorkItem(_("Deadlines due today"), due, dashboard, 0, "due-today")]
