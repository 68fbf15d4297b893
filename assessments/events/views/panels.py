"""What the rooms above the test event show on its pages, added without the event importing them.

The event page, the staff participant page, the results grid and the participant's own page belong to the test
event; the plan, the instrument records, the written test and the FR.AK records (the instruments room) and the
certificates, result letters and print jobs (the certificates room) appear on them too. Those rooms register here,
from their ``wiring.connect()``, by providing the extension points below (:mod:`certportal.registry`):

- a context function per page, ``func(user, obj) -> dict``, whose keys the page's template reads (``obj`` is the
  event, the participant, or the participant's list of their own participations on "mine");
- the evidence the plan asks for, per unit of one participant (``unit_evidence(user, participant)``) and per
  cell of the grid (``grid_evidence(participants)``), which the results read next to each unit;
- a handler for a form posted on the participant's own page (``action(request, participant, redirect_to)``).

Without a registration a page shows the event's own part only.
"""

from __future__ import annotations

from certportal.registry import ExtensionPoint

PAGES = ("event", "participant", "mine", "my_participation")
CONTEXTS = ExtensionPoint(
    "events.page_context",
    "func(user, obj) -> dict, keyed by page (event, participant, mine, my_participation): keys the page's template "
    "reads", many=True, keyed=True)
UNIT_EVIDENCE = ExtensionPoint(
    "events.unit_evidence",
    "unit_evidence(user, participant) -> {unit id: {\"state\", \"lines\"}} for the units the event's plan names")
GRID_EVIDENCE = ExtensionPoint(
    "events.grid_evidence",
    "grid_evidence(participants) -> {(participant id, unit id): {\"lines\", \"gap\", \"missing\"}} for the grid")
ACTIONS = ExtensionPoint(
    "events.participant_action",
    "handler(request, participant, redirect_to) -> response, keyed by action name: a form posted on the "
    "participant's own page", keyed=True)


def add_context(page: str, func) -> None:
    if page not in PAGES:
        raise ValueError(f"no page {page!r}; the pages are {PAGES}")
    CONTEXTS.provide(func, key=page)


def context(page: str, user, obj) -> dict:
    out: dict = {}
    for func in CONTEXTS.all(page):
        out.update(func(user, obj))
    return out


def unit_evidence(user, participant) -> dict:
    """{unit id: {"state", "lines"}} for the units the event's plan names ({} without a plan or a provider)."""
    provider = UNIT_EVIDENCE.get()
    return provider(user, participant) if provider else {}


def grid_evidence(participants) -> dict:
    """{(participant id, unit id): {"lines", "gap", "missing"}} for the grid ({} without a provider)."""
    provider = GRID_EVIDENCE.get()
    return provider(participants) if provider else {}


def action(name: str):
    return ACTIONS.get(name)
