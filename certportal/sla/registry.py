"""Apps tell the core how to talk about the items they track (the core never imports a domain app).

    from certportal.sla.registry import register_tracked
    register_tracked(Application, responsible=lambda app: [users], label=lambda app: "text", url=lambda app: "/path")

``responsible`` names the staff who get the warnings and breach notices; supervisors
(``User.objects.with_role('supervisor')``) get the escalations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Tracked:
    model: type[models.Model]
    responsible: Callable[[models.Model], list]
    label: Callable[[models.Model], str]
    url: Callable[[models.Model], str]


_REGISTRY: dict[str, Tracked] = {}


def _key(model) -> str:
    return model._meta.concrete_model._meta.label_lower


def register_tracked(model, *, responsible: Callable, label: Callable = str, url: Callable | None = None) -> None:
    """Register (or re-register) ``model``; safe to call from ``AppConfig.ready()`` more than once."""

    def default_url(obj) -> str:
        getter = getattr(obj, "get_absolute_url", None)
        return getter() if getter else ""

    _REGISTRY[_key(model)] = Tracked(model, responsible, label, url or default_url)


def unregister_tracked(model) -> None:
    _REGISTRY.pop(_key(model), None)


def tracked_for(model) -> Tracked | None:
    return _REGISTRY.get(_key(model))


def describe(obj) -> tuple[str, str]:
    """(label, url) of a tracked object, falling back to ``str(obj)`` for unregistered models."""
    entry = tracked_for(type(obj))
    if entry is None:
        return str(obj), ""
    try:
        return str(entry.label(obj)), entry.url(obj) or ""
    except Exception:  # a broken label must not break the sweep or the dashboard
        return str(obj), ""


def responsible_for(obj) -> list:
    entry = tracked_for(type(obj))
    if entry is None:
        return []
    return [u for u in (entry.responsible(obj) or []) if u is not None and getattr(u, "is_active", True)]
