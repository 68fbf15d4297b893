"""The portal's extension points: what one app needs from another, declared once and provided from ``ready()``.

The layers hold because a lower app never imports a higher one. Where a lower app still needs something a higher
one knows (the test event asks the quality room whether an assessor has signed a declaration of interest; the core
shows each role's work queue, which the apps fill), the lower app declares an :class:`ExtensionPoint` and the higher
app provides it from its ``AppConfig.ready()``. A point says, once:

- its ``name`` (``"events.declaration_missing"``) and what it ``carries``: the provider's signature and answer;
- whether it is ``required``: a required point with no provider stops the portal at start-up (the system check
  ``certportal.E001`` in :mod:`certportal.checks`) and, asked anyway, refuses (fails closed): a guard point
  answers its ``refusal`` (the act is blocked with that explanation), any other point raises
  :class:`MissingProvider`;
- whether it takes ``many`` providers or exactly one, and whether providers come per ``keyed`` name (a role, a
  model, a transition). A second, different provider of a single point (or of one key of a single keyed point)
  raises :class:`DuplicateProvider`; the same provider twice is harmless (``ready()`` may run twice).

Every declared point is in :func:`points`; ``scripts/extension_points.py`` writes ``docs/extension-points.md`` from
them (who provides what), and a test keeps that page true.

    DECLARATION = ExtensionPoint("events.declaration_missing", "(user, at) -> why not, or None", required=True,
                                 refusal=_("No room keeps declarations of interest."))
    DECLARATION.provide(declaration_missing)           # the quality app, in ready()
    DECLARATION.ask(user, at)                          # the event, when an assessor acts
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from types import FrameType
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

_NO_KEY = ""
T = TypeVar("T")
_CATALOGUE: dict[str, ExtensionPoint[Any]] = {}


class MissingProvider(ImproperlyConfigured):
    """A required extension point was asked and nothing provides it."""


class DuplicateProvider(ImproperlyConfigured):
    """A second, different provider for a point (or a key) that takes exactly one."""


@dataclass(frozen=True)
class Provision:
    key: str
    value: Any
    module: str  # who provided it (the module that called ``provide``)


def _caller(skip: set[str]) -> str:
    """The first module up the stack outside the registry and the point's own wrappers."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module not in skip:
            return module
        frame = frame.f_back
    return ""


def _declared_in() -> str:
    return sys._getframe(2).f_globals.get("__name__", "")


class ExtensionPoint(Generic[T]):
    """One thing a lower app asks of the apps above it (see the module's docstring). Typed by what a provider
    is: ``DECLARATION: ExtensionPoint[Callable[[User, datetime], str | None]] = ExtensionPoint(...)``."""

    def __init__(self, name: str, carries: str, *, required: bool = False, many: bool = False,
                 keyed: bool = False, refusal=None, wrappers: tuple[str, ...] = (), module: str = "") -> None:
        declared_in: str = module or _declared_in()  # providers calling from there are its own wrappers
        if name in _CATALOGUE:
            raise DuplicateProvider(f"extension point {name!r} is declared twice "
                                    f"({_CATALOGUE[name].module} and {declared_in})")
        self.name, self.carries, self.required = name, carries, required
        self.many, self.keyed, self.refusal = many, keyed, refusal
        self.module: str = declared_in
        self._skip = {__name__, self.module, *wrappers}
        self._provisions = []
        _CATALOGUE[name] = self

    def __repr__(self) -> str:
        return f"<ExtensionPoint {self.name}>"

    # Asked on every page (an action's label, a model's machine): the values by key are kept in an index, made
    # again whenever the provisions change, so a lookup is a dict's, not a walk over every provision.
    @property
    def _provisions(self) -> list[Provision]:
        return self._held

    @_provisions.setter
    def _provisions(self, value: list[Provision]) -> None:
        self._held = value
        self._index: dict[str, list[Any]] | None = None

    def _by_key(self) -> dict[str, list[Any]]:
        if self._index is None:
            index: dict[str, list[Any]] = {}
            for p in self._held:
                index.setdefault(p.key, []).append(p.value)
            self._index = index
        return self._index

    # --- providing (from AppConfig.ready()) -----------------------------------------------------------------------

    def provide(self, value: T, *, key=None) -> T:
        """Register ``value`` (under ``key`` for a keyed point); returns it, so it can decorate a function."""
        key = self._key(key)
        same_key = [p for p in self._provisions if p.key == key]
        if any(p.value == value for p in same_key):
            return value  # ready() ran twice
        if same_key and not self.many:
            where = f" for {key!r}" if self.keyed else ""
            raise DuplicateProvider(f"{self.name} takes one provider{where}: {same_key[0].module} provides it "
                                    f"already, {_caller(self._skip)} may not too")
        self._provisions = [*self._provisions, Provision(key, value, _caller(self._skip))]
        return value

    def withdraw(self, key=None, value: T | None = None) -> None:
        """Take a provision back (a key's, or one value); for tests and for re-registering a keyed entry."""
        key = self._key(key)
        self._provisions = [p for p in self._provisions
                            if p.key != key or (value is not None and p.value != value)]

    @contextlib.contextmanager
    def replaced(self, value: T, *, key=None) -> Iterator[None]:
        """Provide ``value`` instead of what is provided (a stand-in in a test), and put the old back after."""
        key = self._key(key)
        saved = list(self._provisions)
        self._provisions = [*(p for p in self._provisions if p.key != key), Provision(key, value, _caller(self._skip))]
        try:
            yield
        finally:
            self._provisions = saved

    @contextlib.contextmanager
    def withheld(self) -> Iterator[None]:
        """No provider at all for a while (a test of what the point does without one), then the same as before."""
        saved, self._provisions = self._provisions, []
        try:
            yield
        finally:
            self._provisions = saved

    def _key(self, key) -> str:
        if self.keyed and key is None:
            raise TypeError(f"{self.name} is keyed: provide it with key=")
        if not self.keyed and key is not None:
            raise TypeError(f"{self.name} is not keyed")
        return _NO_KEY if key is None else str(key)

    # --- asking (the declaring app) -------------------------------------------------------------------------------

    def provided(self) -> bool:
        return bool(self._provisions)

    def provisions(self) -> list[Provision]:
        return list(self._provisions)

    def all(self, key=None) -> list[T]:
        """Every value provided (a keyed point: for ``key``; every key's when ``key`` is None), in order."""
        if self.keyed and key is not None:
            return list(self._by_key().get(str(key), ()))
        return [p.value for p in self._provisions]

    def by_key(self) -> dict[str, T]:
        """``{key: value}`` of a keyed point that takes one provider per key."""
        return {key: values[-1] for key, values in self._by_key().items()}

    def get(self, key=None, default: T | None = None) -> T | None:
        """The one provider (of ``key``), or ``default``; a required point without any provider raises."""
        found = self.all(self._key(key)) if self.keyed else self.all()
        if found:
            return found[0]
        if self.required and not self.provided():
            raise MissingProvider(self.missing())
        return default

    def ask(self, *args, **kwargs):
        """Call the one provider; without one, the point's ``refusal`` (a guard fails closed) or an error."""
        found = self.all()
        if found:
            return found[0](*args, **kwargs)  # type: ignore[operator]
        if self.refusal is not None:
            return refusal_text(self)
        raise MissingProvider(self.missing())

    def missing_error(self) -> MissingProvider:
        return MissingProvider(self.missing())

    def missing(self) -> str:
        return (f"Nothing provides the extension point {self.name!r} (declared in {self.module}): {self.carries}. "
                f"Install the app that provides it, or provide it from an AppConfig.ready().")


def refusal_text(point: ExtensionPoint[Any]) -> str:
    from django.utils.translation import gettext as _

    return _("%(refusal)s This act is refused until the portal has it (extension point %(point)s).") % {
        "refusal": point.refusal, "point": point.name}


def points() -> list[ExtensionPoint[Any]]:
    """Every declared extension point, by name."""
    return [_CATALOGUE[name] for name in sorted(_CATALOGUE)]


def point(name: str) -> ExtensionPoint[Any]:
    return _CATALOGUE[name]


def undeclare(point: ExtensionPoint[Any]) -> None:
    """Forget a point declared by a test."""
    _CATALOGUE.pop(point.name, None)


def missing_required() -> list[ExtensionPoint[Any]]:
    return [p for p in points() if p.required and not p.provided()]

