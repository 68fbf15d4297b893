"""Time standards of the SOP steps (seed 002) counted in working time.

"15 menit" and "4 jam" are minutes within office hours on working days; "1 hari" is a count of working days
(a step started on Monday afternoon and done on Tuesday morning took one working day: within "1 hari").
The calendar and the office hours are the SLA's (:mod:`certportal.sla.calendar`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certportal.sla.calendar import working_days_between, working_minutes_between

MINUTES, HOURS, DAYS = "minutes", "hours", "days"


@dataclass(frozen=True)
class StepTiming:
    working_minutes: int
    working_days: int
    over: bool | None  # None when the SOP gives no standard

    @property
    def label(self) -> str:
        return duration_label(self.working_minutes, self.working_days)


def standard_label(standard: tuple[int, str] | None) -> str:
    if not standard:
        return ""
    amount, unit = standard
    if unit == DAYS:
        return ngettext("%(n)d working day", "%(n)d working days", amount) % {"n": amount}
    if unit == HOURS:
        return ngettext("%(n)d working hour", "%(n)d working hours", amount) % {"n": amount}
    return ngettext("%(n)d working minute", "%(n)d working minutes", amount) % {"n": amount}


def duration_label(minutes: int, days: int) -> str:
    """"2 h 10 min of working time (1 working day)": office minutes, and the working days it spanned."""
    hours, rest = divmod(minutes, 60)
    text = (_("%(h)d h %(m)d min") % {"h": hours, "m": rest}) if hours else (_("%(m)d min") % {"m": rest})
    text = _("%(time)s of working time") % {"time": text}
    if days:
        text += " (" + ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days} + ")"
    return text


def step_timing(standard: tuple[int, str] | None, started: datetime.datetime,
                done: datetime.datetime) -> StepTiming:
    minutes = working_minutes_between(started, done)
    days = working_days_between(timezone.localdate(started), timezone.localdate(done))
    over = None
    if standard:
        amount, unit = standard
        over = days > amount if unit == DAYS else minutes > amount * (60 if unit == HOURS else 1)
    return StepTiming(minutes, days, over)
