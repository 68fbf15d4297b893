"""``transition()`` takes one arrow; ``allowed_actions()`` says what a person may do now, and why not the rest.

Both use the same checks (:func:`_refusal`), so a page never offers a button that the service would refuse.
"""

from __future__ import annotations

import contextvars
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.db import models, transaction
from django.dispatch import Signal
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal.audit.services import audit_record
from certportal.errors import ErrorCode, TransitionRefused

from .registry import Machine, Moved, Transition, machine_for

# Sent inside the transaction, after the save, the audit row and the declared notices. For observers only
# (metrics, traces): what a transition changes or tells is declared on it (``effects``, ``notices``), never in a
# receiver (tests/core/test_workflow_effects.py checks that no receiver outside the core is connected).
#   transitioned.send(sender=Model, obj=..., action="app.model.verb", from_state=..., to_state=..., user=...,
#                     reason=..., at=datetime, entry=AuditEntry)
transitioned = Signal()

T = TypeVar("T")
# The reads of one allowed_actions() call (see read_once); None outside such a call.
_READS: contextvars.ContextVar[dict | None] = contextvars.ContextVar("workflow_reads", default=None)


def read_once(key: tuple, read: Callable[[], T]) -> T:
    """A read a role check or a guard makes, read once while one :func:`allowed_actions` call checks every
    transition of one record for one person (an event page's buttons asked 18 times whether the reader is one of
    its assessors); outside such a call it is read each time, so ``transition()`` decides on what it reads under its
    lock. ``key`` names the read, the record and the person."""
    reads = _READS.get()
    if reads is None:
        return read()
    if key not in reads:
        reads[key] = read()
    return reads[key]


@dataclass(frozen=True)
class Action:
    """One transition as seen by one person now."""

    transition: Transition
    code: str
    allowed: bool
    reason: str  # why not, translated ("" when allowed)
    state_ok: bool  # the record is in a state the transition leaves from
    role_ok: bool

    @property
    def name(self) -> str:
        return self.transition.name

    @property
    def label(self) -> str:
        return str(self.transition.label)

    @property
    def button(self) -> str:
        return str(self.transition.button or self.transition.label)

    @property
    def offer_reason(self) -> bool:
        """Worth showing as help text: the person could take it, but a guard stops them now."""
        return not self.allowed and self.state_ok and self.role_ok

    def url(self, obj) -> str:
        try:
            return reverse(self.transition.url_name, args=[obj.pk]) if self.transition.url_name else ""
        except NoReverseMatch:
            return ""


def _state_label(machine: Machine, value: str) -> str:
    try:
        return str(machine.states(value).label).lower()
    except ValueError:
        return value


def _may(t: Transition, user, obj) -> bool:
    if t.system:  # the portal's own move (a worker, beat): no person takes it, and no person is offered it
        return user is None
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if t.roles and not user.has_role(*t.roles):
        return False
    return t.allowed(user, obj) if t.allowed else True


def _check(machine: Machine, t: Transition, obj, user, at) -> Action:
    state = str(getattr(obj, machine.field))
    code = machine.code(t.name)
    state_ok, role_ok = state in t.sources, _may(t, user, obj)
    reason = ""
    if not state_ok:
        reason = _("%(object)s is %(state)s; “%(action)s” is not possible now.") % {
            "object": obj, "state": _state_label(machine, state), "action": t.button or t.label}
    elif not role_ok:
        reason = _("Your role does not allow “%(action)s”.") % {"action": t.button or t.label}
    else:
        for guard in (machine.guard, t.guard):
            reason = (guard(obj, user, at) if guard else None) or ""
            if reason:
                break
    return Action(t, code, not reason, str(reason), state_ok, role_ok)


def allowed_actions(obj: models.Model, user, *, at: datetime.datetime | None = None,
                    only: tuple[str, ...] | None = None) -> dict[str, Action]:
    """Every transition of ``obj``'s machine (or only those named), by name, with whether ``user`` may take it
    now and why not. ``only`` keeps a page of many rows from checking every other action of each row."""
    machine = machine_for(obj)
    at = at or timezone.now()
    token = _READS.set({})
    try:
        return {t.name: _check(machine, t, obj, user, at) for t in machine.transitions
                if only is None or t.name in only}
    finally:
        _READS.reset(token)


def _refuse(machine: Machine, message: str, action: str, code: ErrorCode):
    error = machine.refused or TransitionRefused
    raise error(message, code=code, action=action)


def transition(obj: models.Model, action: str, *, user, reason: str = "", ip: str | None = None,
               at: datetime.datetime | None = None, **changes) -> models.Model:
    """Take ``action`` on ``obj``: lock and re-read the row, check state, person, guard, reason and the submitted
    ``changes``; set them, the status and the stamps; run the declared effects; save once; write one audit row;
    run the declared notices; send :data:`transitioned` (for observers: it carries no business rule).

    All in one database transaction. Returns the saved (re-read) object; the caller's instance is refreshed too."""
    machine = machine_for(obj)
    t = machine.get(action)
    code = machine.code(t.name)
    at = at or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        _refuse_unless_allowed(machine, t, locked, user, at, reason, changes)
        from_state = str(getattr(locked, machine.field))
        moved = Moved(t.name, code, from_state, str(t.target or from_state), user, reason, at, dict(changes))
        _apply(machine, t, locked, moved)
        entry = audit_record(actor=user, obj=locked, action=code, from_state=from_state, to_state=moved.to_state,
                             note=reason, ip_address=ip)
        for notice in (*machine.notices, *t.notices):
            notice(locked, moved)
        transitioned.send(sender=type(locked), obj=locked, action=code, from_state=from_state,
                          to_state=moved.to_state, user=user, reason=reason, at=at, entry=entry)
    obj.refresh_from_db()
    return locked


def _refuse_unless_allowed(machine: Machine, t: Transition, obj, user, at, reason: str, changes: dict) -> None:
    code = machine.code(t.name)
    checked = _check(machine, t, obj, user, at)
    if not checked.allowed:
        _refuse(machine, checked.reason, code, _why(checked))
    if t.needs_reason and not reason:
        _refuse(machine, str(t.reason_prompt or _("Give the reason.")), code, ErrorCode.REASON_MISSING)
    problem = t.validate(obj, changes, at) if t.validate else None
    if problem:
        _refuse(machine, str(problem), code, ErrorCode.INVALID)


def _why(checked: Action) -> ErrorCode:
    if not checked.state_ok:
        return ErrorCode.WRONG_STATE
    return ErrorCode.WRONG_PERSON if not checked.role_ok else ErrorCode.RULE


def _apply(machine: Machine, t: Transition, obj, moved: Moved) -> None:
    """Set the submitted values, the status, the stamps and what the declared effects set; save the row once."""
    for name, value in moved.changes.items():
        setattr(obj, name, value)
    setattr(obj, machine.field, moved.to_state)
    for field in (machine.stamp, *t.stamp):
        if field:
            setattr(obj, field, moved.at)
    for effect in (*machine.effects, *t.effects):
        effect(obj, moved)
    obj.save()
