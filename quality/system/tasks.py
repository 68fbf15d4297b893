"""The daily reminder of the LSP's periodic duties (beat: ``quality-duty-reminders`` in the settings)."""

from celery import shared_task


@shared_task(name="quality.system.tasks.remind_duties")
def remind_duties() -> int:
    """Tell each owner of a duty due soon or overdue, once per duty, period and stage, and escalate each overdue
    corrective action once (its owner, quality, the supervisor): running it twice, or two at once, sends nothing
    more (the notification's key is unique per person)."""
    from django.utils import timezone

    from .services import actions_escalate, duties_remind

    today = timezone.localdate()
    return duties_remind(today=today) + actions_escalate(today=today)
