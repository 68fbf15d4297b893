"""Rows of the staff lists drawn in Python (the test events tables, the appeals): the template engine's lookups,
filters and ``{% url %}`` per row cost more than the query (issue 28; the verifier queue's ``_rows_html`` is the
model). The HTML is the templates' own, and every value still goes through ``format_html``'s escaping."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assessments.events.models import Appeal, EventStatus
from certportal import dates
from certportal.rows import labels, link


def page_of(values: QuerySet, counted: QuerySet | int, number, per_page: int = 25) -> Page:
    """A page of ``values`` (a ``values()`` query across relations) counted on ``counted``, the same rows without
    the joins (the joins ``values()`` needs for names would stay in its ``COUNT(*)`` as well), or their number."""
    paginator = Paginator(values, per_page)
    paginator.count = counted if isinstance(counted, int) else counted.count()
    return paginator.get_page(number)


EVENTS_TABLE = ('<div class="table-responsive"><table class="table table-sm align-middle">\n<thead><tr><th>{}</th>'
                '<th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>{}</tbody></table></div>\n')
EVENT_ROW = ('\n<tr><td><a href="{}">{}</a></td><td>{}<div class="small text-muted">{}</div></td><td>{}</td>'
             '<td>{}</td><td><span class="badge text-bg-secondary">{}</span></td></tr>\n')


def events_table(events: Iterable) -> SafeString:
    """The table of test events (the LSP admin's list, the assessor's and the reviewers' pages): ``events`` are the
    values of ``views.events._list_events``."""
    url, status = link("assessments:event"), labels(EventStatus.choices)
    rows = format_html_join("", EVENT_ROW, (
        (url(e["id"]), dates.wib(e["starts_at"]), e["scheme_code"], e["scheme_name"], e["site"], e["n_participants"],
         status.get(e["status"], e["status"])) for e in events))
    return format_html(EVENTS_TABLE, _("Date and time"), _("Scheme"), _("Test site (TUK)"), _("Participants"),
                       _("Status"), rows or format_html('<tr><td colspan="5" class="text-muted">{}</td></tr>',
                                                        _("No events.")))


APPEAL_ROW = '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}{}</td></tr>\n'


def appeal_rows(appeals: Iterable) -> SafeString:
    """The rows of the appeals list, from the values the view reads (empty when there is none: the template says
    so)."""
    url, status, outcome = link("assessments:appeal"), labels(Appeal.Status.choices), labels(Appeal.Outcome.choices)
    return format_html_join("", APPEAL_ROW, (
        (url(a["id"]), dates.day(a["filed_at"]), a["name"], a["scheme_code"], status.get(a["status"], a["status"]),
         f" — {outcome.get(a['outcome'], a['outcome'])}" if a["outcome"] else "") for a in appeals))
