"""Apps declare their state machines and register them with the core, as they register menus.

    from certportal import workflow
    workflow.register(Machine(model=Complaint, states=Status, transitions=[
        Transition("classified", sources={Status.RECEIVED}, target=Status.CLASSIFIED, label=_("classified"),
                   roles=(Role.COMPLAINT_OFFICER,), validate=..., url_name="complaints:classify"),
    ]))

An action code is namespaced by the model: ``<app_label>.<model>.<name>`` (``complaints.complaint.classified``).
The core holds no app's words: labels of actions come from the registrations, kept by the audit trail
(:mod:`certportal.audit.labels`: :func:`action_label`; apps whose actions are not transitions call
:func:`register_labels`, handed on here and by :mod:`certportal.workflow`).
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.db import models

from certportal.audit.labels import LABELS, action_label, register_labels  # noqa: F401 - handed on to the apps
from certportal.errors import TransitionRefused
from certportal.registry import ExtensionPoint

# guard(obj, user, at) -> None when the transition may be taken, else the translated reason why not.
Guard = Callable[[models.Model, object, datetime.datetime], "str | None"]
# validate(obj, changes, at) -> None when the submitted values are acceptable, else the translated reason.
Validate = Callable[[models.Model, dict, datetime.datetime], "str | None"]


@dataclass(frozen=True)
class Moved:
    """What an effect is told about the transition being taken (the row itself is passed beside it)."""

    name: str  # "submitted"
    code: str  # "applicants.application.submitted"
    from_state: str
    to_state: str
    user: object
    reason: str
    at: datetime.datetime
    changes: dict


# effect(obj, moved) -> None. An effect declared on a transition (or on the whole machine) is what that
# transition causes: ``effects`` run before the one save (they set fields of the row, which is then saved once,
# and may write rows of their own, e.g. an SLA clock); ``notices`` run after the save and the audit row, in the
# same transaction (e-mail is an outbox row that leaves after the commit; caches are told ``on_commit``).
Effect = Callable[[models.Model, Moved], None]


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str] | set[str] | tuple[str, ...]
    target: str | None  # None: an action that keeps the status (recorded with from == to)
    label: object  # what happened, lower case, for histories ("classified")
    button: object = ""  # the button text; the label when empty
    roles: tuple[str, ...] = ()
    allowed: Callable[[object, models.Model], bool] | None = None  # predicate on (user, obj), besides roles
    guard: Guard | None = None
    validate: Validate | None = None
    needs_reason: bool = False
    reason_prompt: object = ""  # the message when the reason is missing
    stamp: str | tuple[str, ...] = ""  # DateTimeField(s) set to the time of the act
    effects: tuple[Effect, ...] = ()  # what the transition changes besides the status and the stamps (before save)
    notices: tuple[Effect, ...] = ()  # who is told (after the save, same transaction)
    url_name: str = ""  # the POST view taking it, reversed with the object's pk
    # Taken by the portal itself (a worker, the periodic check), never by a person: ``transition(..., user=None)``.
    system: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", frozenset(str(s) for s in self.sources))
        object.__setattr__(self, "stamp", (self.stamp,) if isinstance(self.stamp, str) and self.stamp
                           else tuple(self.stamp or ()))
        object.__setattr__(self, "effects", tuple(self.effects))
        object.__setattr__(self, "notices", tuple(self.notices))


@dataclass
class Machine:
    model: type[models.Model]
    states: type[models.TextChoices]
    transitions: list[Transition]
    field: str = "status"
    guard: Guard | None = None  # applies to every transition (e.g. nothing before the record was received)
    refused: type[TransitionRefused] | None = None  # the app's subclass of TransitionRefused
    labels: dict[str, object] = dataclass_field(default_factory=dict)  # other actions of this model (intake...)
    # What every transition of the machine causes, after (effects: before) each transition's own.
    stamp: str = ""  # e.g. "status_changed_at": set on every transition
    effects: tuple[Effect, ...] = ()
    notices: tuple[Effect, ...] = ()

    @property
    def prefix(self) -> str:
        return self.model._meta.label_lower  # "complaints.complaint"

    def code(self, name: str) -> str:
        return f"{self.prefix}.{name}"

    def get(self, action: str) -> Transition:
        name = action.removeprefix(self.prefix + ".")
        for t in self.transitions:
            if t.name == name:
                return t
        raise KeyError(f"{self.prefix} has no transition {action!r}")


MACHINES: ExtensionPoint[Any] = ExtensionPoint("core.machine", "Machine(model, states, transitions, labels), keyed by the model's label: "
                          "the state machine every status change of that model goes through", keyed=True)


def _key(model) -> str:
    return model._meta.concrete_model._meta.label_lower


def register(machine: Machine) -> None:
    """Register (or re-register) a machine and the labels of its actions; safe from ``ready()`` twice."""
    states = set(machine.states.values)
    if machine.refused is not None and not issubclass(machine.refused, TransitionRefused):
        raise TypeError(f"{machine.prefix}: refused must be a TransitionRefused, not {machine.refused.__name__}")
    for t in machine.transitions:
        unknown = (set(t.sources) | ({t.target} if t.target else set())) - states
        if unknown:
            raise ValueError(f"{machine.prefix}.{t.name}: undeclared states {sorted(unknown)}")
    MACHINES.provide(machine, key=_key(machine.model))
    register_labels(_labels_of(machine))


def _labels_of(machine: Machine) -> dict[str, object]:
    labels = {machine.code(t.name): t.label for t in machine.transitions}
    return labels | {machine.code(name): label for name, label in machine.labels.items()}


@contextlib.contextmanager
def replaced(machine: Machine) -> Iterator[Machine]:
    """A stand-in machine (a test's) instead of the registered one of its model, with its labels, for a while."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(MACHINES.replaced(machine, key=_key(machine.model)))
        for code, label in _labels_of(machine).items():
            stack.enter_context(LABELS.replaced(label, key=code))
        yield machine


def machine_for(obj_or_model) -> Machine:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    try:
        return MACHINES.by_key()[_key(model)]
    except KeyError:
        raise LookupError(f"no workflow registered for {_key(model)}") from None


def machines() -> Iterable[Machine]:
    return MACHINES.all()
