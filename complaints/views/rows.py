"""The complaint table's rows, drawn in Python for the list and the officer's home.

The template engine's per-row ``{% include %}``, ``get_FOO_display`` and variable lookups cost more than the query
(issue 28, docs/benchmarks.md); this draws the same HTML with every value escaped by ``format_html``. Labels are
translated once per page, dates written once per distinct day.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from certportal import dates

from ..models import OPEN_STATES, Channel, Kind, Status

OPEN = frozenset(OPEN_STATES)

# each cell named by its column (``data-label``, {9} to {14}): on a phone the table is one card a row (table-cards)
ROW = ('<tr data-testid="complaint-row"><td><a href="{0}">{1}</a></td><td data-label="{9}">{2}</td>'
       '<td data-label="{10}">{3}</td><td data-label="{11}">{4}</td><td data-label="{12}">{5}</td>'
       '<td data-label="{13}"><span class="badge {6}" data-testid="status">{7}</span></td>'
       '<td data-label="{14}">{8}</td></tr>')
BADGE = {Status.CLOSED: "bg-secondary", Status.ANSWERED: "bg-success"}
OBJECT_CHARS = 60


def _object(text: str) -> str:
    if not text:
        return "—"
    return text if len(text) <= OBJECT_CHARS else Truncator(text).chars(OBJECT_CHARS)


def rows_html(complaints, today=None) -> SafeString:
    """The ``<tr>`` rows of ``complaints/_table.html`` for complaints read with ``queries.for_table`` (a "Nothing
    here." row when there is none); an open complaint past its answer limit is marked overdue when ``today`` is
    given (the list and the officer's home give it)."""
    statuses, kinds, channels = ({value: str(label) for value, label in choices.choices}
                                 for choices in (Status, Kind, Channel))
    url = reverse("complaints:detail", args=[0]).replace("/0/", "/{}/")
    days, deadlines = {}, {}
    labels = (_("Received"), _("Kind"), _("Channel"), _("Object"), _("Status"), _("Answer due"))

    def day(value) -> str:
        if value not in days:
            days[value] = dates.day(value)
        return days[value]

    def deadline(due, is_open) -> str:
        if due is None:
            return "—"
        key = (due, bool(today and is_open and due < today))
        if key not in deadlines:
            deadlines[key] = format_html('{} <span class="badge bg-danger">{}</span>', day(due), _("overdue")) \
                if key[1] else day(due)
        return deadlines[key]

    html = format_html_join("", ROW, (
        (url.format(c.pk), c.tracking_number, day(timezone.localtime(c.received_at, dates.WIB).date()),
         kinds.get(c.kind, c.kind), channels.get(c.channel, c.channel), _object(c.object_text),
         BADGE.get(c.status, "bg-primary"), statuses.get(c.status, c.status),
         deadline(c.sla_limit_due, c.status in OPEN), *labels)
        for c in complaints))
    return html or format_html('<tr><td colspan="7" class="text-muted">{}</td></tr>', _("Nothing here."))
