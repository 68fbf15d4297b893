"""The complaint officer's work queue: follow-ups (3 working days) and answers (14) due, overdue first."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from certportal import figures
from certportal.sla import services as sla
from certportal.workqueue import WorkItem, reads

from .models import FIGURES, OPEN_STATES, Complaint


def _running(policy: str) -> list[int]:
    """The open complaints whose running clock of ``policy`` is overdue, due soon and on track today."""
    open_ = Complaint.objects.filter(status__in=OPEN_STATES)
    return [sla.filter_deadline_state(open_, policy, state).count() for state in ("overdue", "due_soon", "on_track")]


def _due(policy: str, label: str, key: str) -> WorkItem:
    # the same for every officer: counted once a minute and day, forgotten by any change of a complaint or a clock
    running = figures.kept(FIGURES, ("work", policy, sla.local_date()), lambda: _running(policy))
    return WorkItem(label, sum(running), reverse("complaints:officer-home"), running[0], key)


@reads("complaints.Complaint", "contenttypes.ContentType", "sla.CalendarDay", "sla.Clock", "sla.SeededYear",
       "sla.SlaPolicy", "sla.WorkWeek")
def officer(user) -> list[WorkItem]:
    return [_due("complaint-followup", _("Follow-ups due"), "followups"),
            _due("complaint-answer", _("Answers due"), "answers")]


@reads("complaints.SurveyInvitation", "complaints.SurveyResponse")
def applicant(user) -> list[WorkItem]:
    """The satisfaction survey waiting for this person (invited by e-mail after their certificate or letter),
    linked from their own pages too, not only from the e-mail."""
    from .models import SurveyInvitation

    waiting = SurveyInvitation.objects.filter(email__iexact=user.email, response__isnull=True).order_by("-created_at")
    first = waiting.first()
    if first is None:
        return []
    return [WorkItem(_("Satisfaction survey to answer"), waiting.count(),
                     reverse("complaints:survey", args=[first.token]), 0, "survey")]
