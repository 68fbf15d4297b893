"""What apps above applicants add to its rules, registered from their ``AppConfig.ready()``.

The applicants app never imports them: the agencies app (issue 29) registers here a guard on naming participants
(a funded applicant is named within the round that funds them) and the funding shown beside each candidate.

- ``register_guard("named", fn)``: ``fn(app, user, at) -> str | None`` is asked after the machine's own guard of
  that transition; a message refuses it (the button is disabled with the message, the service refuses).
- ``register_funding(fn)``: ``fn(app) -> str`` names how the application is paid for ("" when the hook does not
  know it).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

Guard = Callable[[object, object, datetime.datetime], "str | None"]
_GUARDS: dict[str, list[Guard]] = {}
_FUNDING: list[Callable[[object], str]] = []


def register_guard(transition: str, fn: Guard) -> None:
    guards = _GUARDS.setdefault(transition, [])
    if fn not in guards:
        guards.append(fn)


def refusal(transition: str, app, user, at) -> str | None:
    for fn in _GUARDS.get(transition, []):
        reason = fn(app, user, at)
        if reason:
            return reason
    return None


def register_funding(fn: Callable[[object], str]) -> None:
    if fn not in _FUNDING:
        _FUNDING.append(fn)


def funding_of(app) -> str:
    for fn in _FUNDING:
        label = fn(app)
        if label:
            return label
    return ""
