"""The SLA dashboard's long parts drawn in Python: the items at risk (100 rows), the compliance per month (a row per
month and service, up to 36 months) and the breaches by team member (a line per person: every verifier when the
item's staff is a role).

Drawn through the template engine, the 100 at-risk rows (an ``{% include %}`` of the badge, two date filters, a
translation and the people per row) cost more than computing every figure, and a clock saved anywhere makes the
dashboard draw them again. The HTML is the one the template gave: the same cells and attributes, every value
escaped as the engine escaped it (``render_value_in_context``: numbers in the reader's format, text through
``conditional_escape``), the interface's own words as the engine left them.
"""

from __future__ import annotations

from django.conf import settings
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from certportal.dates import day, month

from . import services

RISK_ROW = ('<tr>\n    <td>{item}</td>\n    <td data-label="{service}">{policy}</td>\n'
            '    <td data-label="{state}">{badge}</td>\n'
            '    <td data-label="{target}">{target_due}</td><td data-label="{limit}">{limit_due}</td>\n'
            '    <td data-label="{responsible}">{people}</td>\n  </tr>')
MONTH_ROW = ('<tr><td>{month}</td><td>{policy}</td><td class="text-end">{total}</td><td class="text-end">{met}</td>'
             '<td class="text-end">{within}</td><td class="text-end">{compliance}%</td></tr>')


class _Page:
    """What a page's rows share: the engine's context (number formats), and each text worked out once."""

    def __init__(self) -> None:
        self.context = Context()
        self.memo: dict = {}

    def value(self, value) -> str:
        """``{{ value }}``: text escaped, a whole number as it is (no thousands separator in this portal), any
        other value (a float: "66,7" in Indonesian) as the engine shows it."""
        if isinstance(value, str):
            return conditional_escape(value)
        if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
            return str(value)
        return render_value_in_context(value, self.context)

    def translated(self, text: str) -> str:
        """``{% translate variable %}``: a name stored in English, shown in the reader's language."""
        key = ("translated", text)
        if key not in self.memo:
            self.memo[key] = self.value(gettext(text.replace("%", "%%"))).replace("%%", "%")
        return self.memo[key]

    def once(self, key, make):
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]


def at_risk_rows(rows) -> SafeString:
    page = _Page()
    labels = {name: gettext(text) for name, text in (("service", "Service"), ("state", "State"),
                                                      ("target", "Target"), ("limit", "Limit"),
                                                      ("responsible", "Responsible"))}
    drawn = []
    for risk in rows:
        label = page.value(risk.label)
        drawn.append(RISK_ROW.format(
            item=f'<a href="{page.value(risk.url)}">{label}</a>' if risk.url else label,
            policy=page.translated(risk.clock.policy.name),
            badge=page.once(("badge", risk.state), lambda state=risk.state: _badge(page, state)),
            target_due=page.once(("day", risk.clock.target_due), lambda d=risk.clock.target_due: page.value(day(d))),
            limit_due=page.once(("day", risk.clock.limit_due), lambda d=risk.clock.limit_due: page.value(day(d))),
            people=_people(page, risk), **labels))
    return mark_safe("".join(drawn))  # noqa: S308 - every value escaped above, as the template engine does


def _badge(page: _Page, state: str) -> str:
    """``sla/_badge.html`` (and the line end the file ends with)."""
    if not state:
        return "\n"
    return (f'<span class="badge text-bg-{page.value(services.STATE_COLOURS.get(state, "secondary"))}">'
            f"{page.value(services.state_label(state))}</span>\n")


def _people(page: _Page, risk) -> str:
    shown = ", ".join(page.value(p.full_name or p.email) for p in risk.people_shown) or "—"
    more = risk.people_more
    if more:
        shown += " " + ngettext("and %(n)s other", "and %(n)s others", more) % {"n": page.value(more)}
    return shown


def month_rows(rows) -> SafeString:
    page = _Page()
    return mark_safe("".join(MONTH_ROW.format(  # noqa: S308 - every value escaped, as the template engine does
        month=page.once(("month", row.month), lambda m=row.month: page.value(month(m))),
        policy=page.translated(row.policy_name), total=page.value(row.total), met=page.value(row.met),
        within=page.value(row.within_target), compliance=page.value(row.compliance)) for row in rows))


def breach_items(breaches) -> SafeString:
    page = _Page()
    nobody = gettext("(nobody responsible)")  # ``default:_("…")``: the interface's words, as the engine leaves them
    return mark_safe("".join(  # noqa: S308 - every value escaped, as the template engine does
        f"<li>{page.value(name) if name else nobody}: {page.value(n)}</li>" for name, n in breaches))
