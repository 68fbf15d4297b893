"""Figures kept for a short while: report aggregates that are the same for every reader (nothing personal in
them), which a page would otherwise recompute over a year of rows on every view.

``kept(namespace, key, compute)`` returns ``compute()``, kept ``REPORT_FIGURES_CACHE_SECONDS`` per namespace,
key and language; ``forget(namespace)`` drops every kept figure of the namespace at once (a version number in
the cache, :mod:`certportal.versions`, as the queue's counts and the unread count have), so the app calls it, or
connects it to its models' ``post_save``/``post_delete``, wherever its figures change: a reader never sees figures
older than the last change they could have made themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from certportal import versions


def _version_key(namespace: str) -> str:
    return f"figures:{namespace}:version"


def _version(namespace: str) -> int:
    return versions.current([_version_key(namespace)])[_version_key(namespace)]


def forget(namespace: str) -> None:
    """Every kept figure of ``namespace`` is forgotten, now and when the transaction commits (a page drawn between
    the save and the commit would otherwise keep what it read before the change)."""
    versions.move(_version_key(namespace))


def kept(namespace: str, key: Any, compute: Callable[[], Any]) -> Any:
    seconds = settings.REPORT_FIGURES_CACHE_SECONDS
    if not seconds:
        return compute()
    digest = hashlib.sha1(repr(key).encode(), usedforsecurity=False).hexdigest()[:16]
    cache_key = f"figures:{namespace}:{_version(namespace)}:{get_language()}:{digest}"
    found = cache.get(cache_key)
    if found is None:
        found = compute()
        cache.set(cache_key, found, seconds)
    return found


def forgetter(namespace: str) -> Callable[..., None]:
    """A signal receiver that forgets ``namespace`` (keep a reference: signals hold receivers weakly)."""

    def receiver(**_kwargs) -> None:
        forget(namespace)

    return receiver


def forget_on_change(namespace: str, *models) -> None:
    """Forget ``namespace`` whenever one of ``models`` (classes or "app.Model" labels) is saved or deleted."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    receiver = forgetter(namespace)
    for model in models:
        model = apps.get_model(model) if isinstance(model, str) else model
        label = model._meta.label
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"figures-{namespace}-save-{label}")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"figures-{namespace}-delete-{label}")
