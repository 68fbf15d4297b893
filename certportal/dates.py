"""The one date style a person reads: "23 November 2026" (month names in the reader's language) and times in WIB
("23 November 2026, 14:05 WIB"). ISO 8601 stays for JSON, APIs, file names, cache keys and stored audit codes.

``day(value)`` and ``wib(value)`` take a ``date``, a ``datetime`` (aware values are shown in Asia/Jakarta) or an ISO
string, and return "" for an empty value so templates can add ``|default:"—"``. They are also the template filters
``|day`` and ``|wib``, registered as builtins (settings ``TEMPLATES['OPTIONS']['builtins']``), so no template loads
them. ``|wib:"time"`` gives the time alone ("14:05 WIB"). ``tests/core/test_dates.py`` keeps other styles out.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS

register = template.Library()

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def _parse(value):
    """A date or datetime from what templates and code hand over; None when there is nothing to show."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            return datetime.date.fromisoformat(text) if len(text) == 10 else datetime.datetime.fromisoformat(text)
        except ValueError:
            return None
    return value


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value, WIB) if timezone.is_aware(value) else value


def _day_text(d: datetime.date) -> str:
    return f"{d.day} {MONTHS[d.month]} {d.year}"  # MONTHS are lazy translations: Agustus in id, August in en


def day(value) -> str:
    """ "23 November 2026" (the day in Jakarta for a datetime)."""
    parsed = _parse(value)
    if parsed is None:
        return "" if value in (None, "") else str(value)
    if isinstance(parsed, datetime.datetime):
        parsed = _local(parsed).date()
    return _day_text(parsed)


def month(value) -> str:
    """ "November 2026"."""
    parsed = _parse(value)
    if parsed is None:
        return ""
    if isinstance(parsed, datetime.datetime):
        parsed = _local(parsed)
    return f"{MONTHS[parsed.month]} {parsed.year}"


def wib(value, part: str = "") -> str:
    """ "23 November 2026, 14:05 WIB"; with ``part="time"`` "14:05 WIB". A plain date is shown as ``day``."""
    parsed = _parse(value)
    if parsed is None:
        return "" if value in (None, "") else str(value)
    if isinstance(parsed, datetime.time):
        return f"{parsed:%H:%M} WIB"
    if not isinstance(parsed, datetime.datetime):
        return _day_text(parsed)
    local = _local(parsed)
    clock = f"{local.hour:02d}:{local.minute:02d} WIB"
    return clock if part == "time" else f"{_day_text(local.date())}, {clock}"


_ISO_DAY = re.compile(r"(?<![\d-])(\d{4}-\d{2}-\d{2})(?![\d-])")


def dates_in_text(text) -> str:
    """Free text with ISO days in it (the SLA clock's audit notes are stored so, language-neutral): each day as a
    person reads it, "2026-12-11" → "11 Desember 2026"."""
    return _ISO_DAY.sub(lambda m: day(m.group(1)), str(text)) if text else ""


register.filter("day", day, is_safe=True)
register.filter("dates_in_text", dates_in_text)
register.filter("wib", wib, is_safe=True)
register.filter("month", month, is_safe=True)
