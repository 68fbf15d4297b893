"""The owner's queue: the corrective actions they own that are not closed, the overdue ones counted in red.
Registered for every staff role (an action's owner may hold any of them); nothing shows for someone who owns none."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal import figures
from certportal.workqueue import WorkItem

from .models import ActionStatus
from .selectors import open_actions_of

ACTIONS = "quality.actions"


def owner(user) -> list[WorkItem]:
    """Asked on every staff home page: the counts are kept a minute per person and day (``certportal.figures``)
    and forgotten whenever a corrective action is saved or deleted."""
    today = timezone.localdate()
    counts = figures.kept(ACTIONS, ("owner", user.pk, today), lambda: open_actions_of(user).aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)),
        waiting=Count("pk", filter=Q(status=ActionStatus.OPEN))))
    if not counts["total"]:
        return []
    return [WorkItem(_("My corrective actions"), counts["waiting"], reverse("quality:system-my-actions"),
                     counts["overdue"], "corrective-actions")]
