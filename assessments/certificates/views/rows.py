"""Rows of the LSP admin's certificate list drawn in Python, like the test events' (``assessments.events.views.rows``):
the templates' HTML, every value escaped by ``format_html``."""

from __future__ import annotations

from collections.abc import Iterable

from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assessments.certificates.models import CERTIFICATE_STATES, STATE_COLOURS, Handover
from certportal import dates
from certportal.rows import labels, link, memo

CERTIFICATE_ROW = ('<tr><td><a href="{}">{}</a></td><td>{}<div class="small text-muted">{}</div></td><td>{}</td>'
                   '<td>{}</td><td>{}</td><td><span class="badge text-bg-{}">{}</span></td><td>{}</td></tr>\n')


def handover_days(certificates: list) -> dict[int, list]:
    """When each certificate was handed over, newest first: one query for the page, as ``prefetch_related`` would
    run, without its cost per row (a model and a related manager each)."""
    days = {c.pk: [] for c in certificates}
    if days:
        for cert, at in (Handover.objects.filter(certificate__in=list(days)).order_by("-handed_at")
                         .values_list("certificate", "handed_at")):
            days[cert].append(at)
    return days


def certificate_rows(certificates: Iterable) -> SafeString:
    """The rows of the certificate list (empty when there is none: the template says so)."""
    certificates = list(certificates)
    url, state_label, day, today = link("assessments:certificate"), labels(CERTIFICATE_STATES.items()), \
        memo(dates.day), timezone.localdate()
    handed_on = handover_days(certificates)

    def row(c):
        state = c.state(today)
        handed = "".join(day(at) for at in handed_on[c.pk]) or "—"
        return (url(c.pk), c.number, c.holder_name, c.holder_nip, c.scheme_code, day(c.issued_on), day(c.expires_on),
                STATE_COLOURS[state], state_label[state], handed)

    return format_html_join("", CERTIFICATE_ROW, (row(c) for c in certificates))


LETTER_ROW = ('\n<tr><td><a href="{}">{}</a></td><td>{}</td><td>\n<form method="post" action="{}" '
              'class="d-flex gap-1 flex-wrap" data-confirm="{}">{}<input class="form-control form-control-sm w-auto" '
              'name="received_by" value="{}" aria-label="{}"><button class="btn btn-sm btn-outline-primary">{}'
              '</button></form></td></tr>')


def letter_rows(request, letters: Iterable) -> SafeString:
    """The result letters (not yet competent) waiting to be handed over, each with its handover form: ``letters``
    are values (id, number, holder_name)."""
    letters = list(letters)
    if not letters:
        return SafeString("")
    pdf, handover = link("assessments:letter-pdf"), link("assessments:letter-handover")
    confirm = _("Record that this result letter was handed over? The handover is recorded with your name and "
                "cannot be deleted.")
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
    received, button = _("Received by (name)"), _("Record handover")
    return format_html_join("", LETTER_ROW, (
        (pdf(x["id"]), x["number"], x["holder_name"], handover(x["id"]), confirm, csrf, x["holder_name"], received,
         button)
        for x in letters))
