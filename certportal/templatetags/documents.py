"""Dates as official documents print them, whatever language the page is rendered in:
``{{ day|long_date }}`` → "23 November 2026" (Indonesian month names), ``{{ day|long_date_en }}`` →
"23 November 2026" in English (printed below the Indonesian), ``{{ moment|long_datetime }}`` →
"8 Desember 2026, 09.00 WIB" (local time)."""

from __future__ import annotations

import datetime

from django import template
from django.utils import dateformat, timezone, translation

register = template.Library()


def _day(value) -> datetime.date | datetime.datetime | None:
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _format(value, fmt: str, language: str) -> str:
    value = _day(value)
    if not value:
        return ""
    with translation.override(language):
        return dateformat.format(value, fmt)


@register.filter
def long_date(value) -> str:
    return _format(value, "j F Y", "id")


@register.filter
def long_date_en(value) -> str:
    return _format(value, "j F Y", "en")


@register.filter
def long_datetime(value) -> str:
    return _format(value, "j F Y, H.i", "id") + (" WIB" if value else "")


@register.filter
def weekday(value) -> str:
    """The day of the week in Indonesian ("Senin"), as a berita acara opens: "Pada hari Senin, tanggal …"."""
    return _format(value, "l", "id")


@register.filter
def time_wib(value) -> str:
    return _format(value, "H.i", "id") + (" WIB" if value else "")
