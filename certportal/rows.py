"""Helpers for the lists drawn in Python instead of a template loop (the staff tables, the agency home's cohorts,
the applicant's cards): the template engine's lookups, filters and ``{% url %}`` per row cost more than the query
(issue 28; issue 47). Each drawer keeps the template's HTML and escapes every value through ``format_html``."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

PK = 987654321  # stands for the row's id in a reversed URL


def link(name: str, *args) -> Callable[[int], str]:
    """``pk -> URL`` of a route whose last argument is the row's id: reversed once per page, not once per row."""
    pattern = reverse(name, args=[*args, PK])
    return lambda pk: pattern.replace(str(PK), str(pk))


def labels(choices) -> dict[str, str]:
    """The choices' labels translated once per page (``get_FOO_display`` per row translates each time)."""
    return {value: str(label) for value, label in choices}


def memo(show: Callable) -> Callable:
    """``show`` remembered per value for one page (the rows of a list share a few dates)."""
    seen: dict = {}

    def shown(value):
        if value not in seen:
            seen[value] = show(value)
        return seen[value]

    return shown
