"""Reference data every install needs: the four SLA policies and the national calendar.

The data migration calls the same functions, so ``manage.py migrate`` alone gives a right calendar;
``manage.py load_reference`` runs them again (idempotent) and seeds any year not seeded yet.
"""

from django.utils import timezone
from django.utils.translation import gettext_noop

# Names are stored in English and shown through gettext, so both languages read naturally.
POLICIES: list[tuple] = [
    # code, name, target, limit, warn, pause states
    ("certification", gettext_noop("Competency certification"), 14, 30, 2, []),
    ("complaint-followup", gettext_noop("Complaint follow-up"), 3, 3, 1, []),
    ("complaint-answer", gettext_noop("Complaint answer"), 14, 14, 2, []),
    ("appeal", gettext_noop("Appeal decision"), 10, 14, 2, []),
    ("corrective-action", gettext_noop("Corrective action"), 20, 40, 5, []),
]


def seed_policies(policy_model) -> int:
    created = 0
    for code, name, target, limit, warn, pause in POLICIES:
        _obj, was_created = policy_model.objects.get_or_create(
            code=code, defaults={"name": name, "target_days": target, "limit_days": limit, "warn_days": warn,
                                 "pause_states": pause})
        created += was_created
    return created


def seed_calendar(day_model, seeded_model, week_model, years=None) -> int:
    from .calendar import DEFAULT_WEEKDAYS, seed_year

    week_model.objects.get_or_create(pk=1, defaults={"weekdays": DEFAULT_WEEKDAYS})
    this_year = timezone.localdate().year
    years = years or (this_year, this_year + 1)
    return sum(seed_year(y, day_model=day_model, seeded_model=seeded_model) for y in years)


def load(stdout=None) -> None:
    from .models import CalendarDay, SeededYear, SlaPolicy, WorkWeek

    policies = seed_policies(SlaPolicy)
    days = seed_calendar(CalendarDay, SeededYear, WorkWeek)
    if stdout is not None:
        stdout.write(f"sla: {policies} policies, {days} calendar days added")
