"""Dates as official documents print them, whatever language the page is rendered in: the one date style of
:mod:`certportal.dates` with the language fixed. ``{{ day|long_date }}`` → "23 November 2026" (Indonesian month
names), ``{{ day|long_date_en }}`` → "23 November 2026" in English, ``{{ day|other_date_en }}`` → the English date
only where English writes it differently ("23 October 2026" under "23 Oktober 2026", nothing for "23 November
2026": a bilingual paper prints a date twice only when the two differ),
``{{ moment|long_datetime }}`` → "8 Desember 2026, 09.00 WIB" (local time; official papers write the hour with a
dot), ``{{ day|weekday }}`` → "Senin" and ``{{ moment|time_wib }}`` → "09.00 WIB"."""

from __future__ import annotations

import datetime

from django import template
from django.utils import dateformat, translation

from certportal import dates

register = template.Library()


def _moment(value) -> datetime.date | datetime.datetime | None:
    """The value as a date or a datetime in Jakarta (None for nothing, or for text that is no date)."""
    parsed = dates._parse(value)
    if not isinstance(parsed, datetime.date):
        return None
    return dates._local(parsed) if isinstance(parsed, datetime.datetime) else parsed


def _in(language: str, fn, value) -> str:
    if _moment(value) is None:
        return ""
    with translation.override(language):
        return str(fn(value))


@register.filter
def long_date(value) -> str:
    return _in("id", dates.day, value)


@register.filter
def long_date_en(value) -> str:
    return _in("en", dates.day, value)


@register.filter
def fit(value, limits: str) -> str:
    """The class that fits ``value`` into a fixed box of a paper by its length: "" up to the first of the
    comma-separated ``limits``, "fit-1" up to the second, "fit-2" beyond it, and so on (``certificate.css`` gives
    each box a smaller type at each step; tests/assessments/test_paper_layout.py holds it at the longest values)."""
    length = len(str(value or ""))
    steps = sum(1 for limit in limits.split(",") if length > int(limit))
    return f"fit-{steps}" if steps else ""


@register.simple_tag
def fit_joined(limits: str, *values) -> str:
    """:func:`fit` for a box that holds several texts: ``{% fit_joined "120,200" site decree as site_fit %}``."""
    return fit(" ".join(str(v or "") for v in values), limits)


@register.filter
def other_date_en(value) -> str:
    english = long_date_en(value)
    return "" if english == long_date(value) else english


@register.filter
def long_datetime(value) -> str:
    moment = _moment(value)
    if not isinstance(moment, datetime.datetime):
        return long_date(value)
    return f"{long_date(moment)}, {_clock(moment)}"


@register.filter
def weekday(value) -> str:
    """The day of the week in Indonesian ("Senin"), as a berita acara opens: "Pada hari Senin, tanggal …"."""
    moment = _moment(value)
    if moment is None:
        return ""
    with translation.override("id"):
        return dateformat.format(moment, "l")


@register.filter
def time_wib(value) -> str:
    moment = _moment(value)
    return _clock(moment) if isinstance(moment, datetime.datetime) else ""


def _clock(moment: datetime.datetime) -> str:
    return f"{moment.hour:02d}.{moment.minute:02d} WIB"  # "09.00 WIB": official papers write the hour with a dot
