"""What the rooms above the test event show on its pages, added without the event importing them.

The event page, the staff participant page, the results grid and the participant's own page belong to the test
event; the plan, the instrument records, the written test and the FR.AK records (the instruments room) and the
certificates, result letters and print jobs (the certificates room) appear on them too. Those rooms register here,
from their ``wiring.connect()``:

- a context function per page, ``func(user, obj) -> dict``, whose keys the page's template reads (``obj`` is the
  event, the participant, or the participant's list of their own participations on "mine");
- the evidence the plan asks for, per unit of one participant (``unit_evidence(user, participant)``) and per
  cell of the grid (``grid_evidence(participants)``), which the results read next to each unit;
- a handler for a form posted on the participant's own page (``action(request, participant, redirect_to)``).

Without a registration a page shows the event's own part only.
"""

from __future__ import annotations

from collections.abc import Callable

PAGES = ("event", "participant", "mine", "my_participation")
_contexts: dict[str, list[Callable]] = {page: [] for page in PAGES}
_evidence: dict[str, Callable] = {}
_actions: dict[str, Callable] = {}


def add_context(page: str, func: Callable) -> None:
    if page not in _contexts:
        raise ValueError(f"no page {page!r}; the pages are {PAGES}")
    if func not in _contexts[page]:
        _contexts[page].append(func)


def context(page: str, user, obj) -> dict:
    out: dict = {}
    for func in _contexts[page]:
        out.update(func(user, obj))
    return out


def provide_evidence(*, unit: Callable, grid: Callable) -> None:
    _evidence.update(unit=unit, grid=grid)


def unit_evidence(user, participant) -> dict:
    """{unit id: {"state", "lines"}} for the units the event's plan names ({} without a plan or a provider)."""
    return _evidence["unit"](user, participant) if "unit" in _evidence else {}


def grid_evidence(participants) -> dict:
    """{(participant id, unit id): {"lines", "gap", "missing"}} for the grid ({} without a provider)."""
    return _evidence["grid"](participants) if "grid" in _evidence else {}


def add_action(name: str, handler: Callable) -> None:
    _actions[name] = handler


def action(name: str) -> Callable | None:
    return _actions.get(name)
