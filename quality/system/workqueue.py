"""The owner's queue: the corrective actions they own that are not closed, the overdue ones counted in red.
Registered for every staff role (an action's owner may hold any of them); nothing shows for someone who owns none."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal import figures
from certportal.workqueue import WorkItem, reads

from .models import ActionStatus, CorrectiveAction
from .selectors import open_actions_of

ACTIONS = "quality.actions"


@reads("quality.CorrectiveAction")
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


@reads("accounts.User", "assessments.Assessor", "quality.CommitteeMeeting", "quality.CompetenceRecord",
       "quality.PeriodicReport", "quality.SystemReview", "quality.ThreatAnalysis", "schemes.Scheme",
       "schemes.SchemeReview", "schemes.TestSite")
def duties(user) -> list[WorkItem]:
    """The periodic duties the person owns that are due within the reminder window or overdue (LSP admin, quality,
    the head of a test site whose verification runs out); nothing shows when none is due."""
    from .duties import duties_of

    today = timezone.localdate()
    mine = duties_of(user, today)
    if not mine:
        return []
    return [WorkItem(_("Periodic duties due"), len(mine), reverse("quality:system-duties"),
                     sum(d.overdue(today) for d in mine), "periodic-duties")]


@reads("accounts.User", "assessments.Assessor", "quality.CommitteeMeeting", "quality.CompetenceRecord",
       "quality.PeriodicReport", "quality.SystemReview", "quality.ThreatAnalysis", "schemes.Scheme",
       "schemes.SchemeReview", "schemes.TestSite")
def supervisor(user) -> list[WorkItem]:
    """The supervisor oversees: every periodic duty of the LSP that is overdue."""
    from .duties import duties_due

    today = timezone.localdate()
    overdue = [d for d in duties_due(today) if d.overdue(today)]
    return [WorkItem(_("Periodic duties overdue"), len(overdue), reverse("quality:system-duties"), len(overdue),
                     "periodic-duties-overdue")]


@reads("quality.CorrectiveAction")
def overdue_actions(user) -> list[WorkItem]:
    """The quality reviewer and the supervisor: every corrective action past its due date and not closed, whoever
    owns it (an overdue action escalates to them)."""
    today = timezone.localdate()
    count = figures.kept(ACTIONS, ("overdue", today), lambda: CorrectiveAction.objects.exclude(
        status=ActionStatus.CLOSED).filter(due_on__lt=today).count())
    return [WorkItem(_("Corrective actions overdue"), count, reverse("quality:system-actions") + "?state=overdue",
                     count, "corrective-actions-overdue")]
