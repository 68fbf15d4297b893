"""Rows of the plans' and question banks' lists drawn in Python, like the test events' and certificates'
(``assessments.events.views.rows``): the templates' HTML, every value escaped by ``format_html``; the addresses
reversed once per page, the words translated once per page."""

from __future__ import annotations

import html
from collections.abc import Iterable

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, normalize_newlines
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certportal import dates
from certportal.rows import PK, link, memo


def _version(scheme: dict) -> str:
    return _("version %(v)s") % {"v": scheme["version"]}


SCHEME_LINK = ('<a class="list-group-item list-group-item-action" href="{}" data-scheme="{}"><span '
               'class="fw-semibold">{}</span><br><span class="small text-muted">{} · {}{}</span></a>\n')


def bank_scheme_links(schemes: Iterable[dict]) -> SafeString:
    """The bank's home: a link per scheme (``schemes``: values pk, code, version, is_current, name)."""
    url, old = link("assessments:bank-scheme"), " · " + _("not the current version")
    return format_html_join("", SCHEME_LINK, ((url(s["pk"]), s["pk"], s["name"], s["code"], _version(s),
                                               "" if s["is_current"] else old) for s in schemes))


GRID_ROW = ('<tr data-unit="{}"><th scope="row" class="small"><span class="fw-semibold">{}</span><div '
            'class="fw-normal text-muted">{}</div></th>\n{}</tr>\n')
GRID_CELL = ('<td class="text-center"><a class="bank-cell" data-instrument="{}" href="{}" aria-label="{} FR.{}: {}">{}'
             '</a>{}</td>')


def bank_grid(scheme, units: Iterable, codes: Iterable[str], counts: dict) -> SafeString:
    """The scheme's grid: a row per unit, a cell per bank instrument with its items in use (and out of use).
    Every value is escaped (``html.escape``, as ``format_html`` does)."""
    codes = [(code, html.escape(code)) for code in codes]
    items = reverse("assessments:bank-items", args=[scheme.pk, PK, "CODE"])
    none = {"active": 0, "inactive": 0}

    def row(unit) -> str:
        url, unit_code = items.replace(str(PK), str(unit.pk)), html.escape(unit.code)
        cells = "".join(GRID_CELL.format(
            shown, html.escape(url.replace("CODE", code)), unit_code, shown, n["active"], n["active"],
            f' <span class="text-muted small">({n["inactive"]})</span>' if n["inactive"] else "")
            for code, shown in codes for n in [counts.get((unit.pk, code), none)])
        return GRID_ROW.format(unit.pk, unit_code, html.escape(unit.title), cells)

    return mark_safe("".join(row(u) for u in units))  # noqa: S308 - every value escaped above


def _text(value: str) -> str:
    """``linebreaksbr``: escaped, each line break a ``<br>``."""
    return html.escape(normalize_newlines(value)).replace("\n", "<br>")


ITEM = ('<li class="list-group-item d-flex align-items-start bank-item{}" id="item-{}" data-item="{}">\n<div '
        'class="ms-1"><div class="bank-text">{}</div>\n{}{}\n<div class="d-flex flex-wrap gap-2 mt-2">{}\n{}'
        '</div>\n</div></li>\n')
KEY = ('<li class="fw-semibold text-success bank-key">{} <i class="bi bi-check-lg" aria-hidden="true"></i><span '
       'class="visually-hidden"> ({})</span></li>')
NOTE = '<div class="small"><span class="text-muted">{}:</span> {}</div>\n'
KUK = '<div class="small"><span class="text-muted">KUK</span> {} {}</div>'
ACTIONS = ('<a class="btn btn-sm btn-outline-primary" href="{}"><i class="bi bi-pencil" aria-hidden="true"></i> {}'
           '</a>\n<form method="post" action="{}">{}<button class="btn btn-sm {}">{}</button></form>')


class _Page:
    """What every item of a page says the same way: words translated and escaped once, addresses reversed once."""

    def __init__(self, request, scheme, keys: bool) -> None:
        self.keys = keys
        self.key, self.expected, self.tools, self.time = (html.escape(w) for w in (
            _("key"), _("Expected"), _("Tools and materials"), _("Time")))
        self.out = format_html('<span class="badge text-bg-secondary align-self-center">{}</span>', _("out of use"))
        self.edit, self.off, self.on = (link(name, scheme.pk) for name in (
            "assessments:bank-item", "assessments:bank-item-deactivate", "assessments:bank-item-reactivate"))
        self.csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                                get_token(request)) if keys else ""
        self.buttons = {True: ("btn-outline-secondary bank-deactivate", html.escape(_("Take out of use"))),
                        False: ("btn-outline-success bank-reactivate", html.escape(_("Put back in use")))}
        self.edit_word = html.escape(_("Edit"))
        self.kuk = memo(lambda kuk: KUK.format(html.escape(kuk[0]), html.escape(Truncator(kuk[1]).chars(100))))

    def options(self, item: dict) -> str:
        if not item["options"]:
            return ""
        shown = "".join(KEY.format(html.escape(o), self.key) if self.keys and n == item["key"]
                        else f"<li>{html.escape(o)}</li>" for n, o in enumerate(item["options"]))
        return f'<ol type="A" class="mb-1 small">{shown}</ol>'

    def notes(self, item: dict) -> str:
        minutes = item["minutes"]
        return "".join((
            NOTE.format(self.expected, _text(item["expected"])) if self.keys and item["expected"] else "",
            NOTE.format(self.tools, html.escape(item["tools"])) if item["tools"] else "",
            NOTE.format(self.time, html.escape(ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}))
            if minutes else "",
            self.kuk((item["kuk_position"], item["kuk_text"])) if item["kuk_position"] is not None else ""))

    def actions(self, item: dict) -> str:
        if not self.keys:
            return ""
        pk, active = item["id"], item["is_active"]
        style, word = self.buttons[bool(active)]
        return ACTIONS.format(self.edit(pk), self.edit_word, self.off(pk) if active else self.on(pk), self.csrf,
                              style, word)

    def item(self, i: dict) -> str:
        active = i["is_active"]
        return ITEM.format("" if active else " bg-body-secondary", i["id"], i["id"], _text(i["text"]),
                           self.options(i), self.notes(i), "" if active else self.out, self.actions(i))


def bank_item_rows(request, scheme, items: Iterable[dict], *, keys: bool) -> SafeString:
    """The items of a page: ``items`` are values (id, text, options, key, expected, tools, minutes, is_active,
    kuk_position, kuk_text); the key, the expected answer and the buttons only for whoever holds the keys. Every
    value is escaped (``html.escape``, as ``format_html`` does)."""
    page = _Page(request, scheme, keys)
    return mark_safe("".join(page.item(i) for i in items))  # noqa: S308 - every value escaped above


PLAN_ENTRY = ('<a class="list-group-item list-group-item-action" href="{}" data-scheme="{}">\n  <div '
              'class="fw-semibold">{}</div>\n  <div class="small text-muted">{} · {}{}</div>\n  <div class="small '
              'mt-1">{}\n    {}</div>\n</a>\n')


def plan_entries(schemes: Iterable[dict], plans: dict[int, dict]) -> SafeString:
    """The plans' list: per scheme (values pk, code, version, is_current, name), its plan in force and its drafts
    (``plans``: scheme id -> {"in_force": (number, validator's name, validated at) or None, "drafts": [numbers]})."""
    url, day = link("assessments:scheme-plans"), memo(dates.day)
    old = " (" + _("not the current version") + ")"
    in_force, missing = _("In force"), _("No plan in force")
    none = {"in_force": None, "drafts": []}

    def force(plan) -> SafeString:
        if plan is None:
            return format_html('<span class="badge text-bg-warning">{}</span>', missing)
        number, who, when = plan
        return format_html('<span class="badge text-bg-success">{}</span>\n    {}', in_force, _(
            "version %(n)s, validated by %(who)s on %(when)s") % {"n": number, "who": who, "when": day(when)})

    def drafts(numbers) -> SafeString:
        return format_html_join("", ' · <span class="badge text-bg-secondary">{}</span>', (
            (_("draft version %(n)s") % {"n": n},) for n in numbers))

    return format_html_join("", PLAN_ENTRY, (
        (url(s["pk"]), s["code"], s["name"], s["code"], _("scheme version %(v)s") % {"v": s["version"]},
         "" if s["is_current"] else old, force(p["in_force"]), drafts(p["drafts"]))
        for s in schemes for p in [plans.get(s["pk"], none)]))
