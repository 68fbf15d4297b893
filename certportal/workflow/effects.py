"""Small effects that machines declare on their transitions (see :class:`certportal.workflow.Transition`).

    Transition("completed", ..., effects=(stamp_once("completed_at"), start_clock), notices=(tell_applicant,))
    Machine(..., stamp="status_changed_at", effects=(reason_in("status_reason"),), notices=(after_commit(f),))

An effect is ``effect(obj, moved)``: it sets fields of the row (saved once by the core after every effect ran)
or writes rows of its own; a notice runs after the save, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models, transaction

from .registry import Effect, Moved


def stamp_once(*fields: str) -> Effect:
    """Set each field to the time of the act the first time only (a later pass keeps the first time)."""
    def stamp(obj: models.Model, moved: Moved) -> None:
        for field in fields:
            if getattr(obj, field) is None:
                setattr(obj, field, moved.at)
    stamp.__qualname__ = f"stamp_once({', '.join(fields)})"
    return stamp


def reason_in(field: str) -> Effect:
    """Keep the reason given with the act in ``field`` (empty when none was given)."""
    def keep(obj: models.Model, moved: Moved) -> None:
        setattr(obj, field, moved.reason)
    keep.__qualname__ = f"reason_in({field})"
    return keep


def after_commit(fn: Callable[[], None]) -> Effect:
    """Call ``fn()`` once the transaction commits (a cache to forget, nothing to roll back)."""
    def later(obj: models.Model, moved: Moved) -> None:
        transaction.on_commit(fn)
    later.__qualname__ = f"after_commit({getattr(fn, '__name__', fn)})"
    return later
