"""Each role's work queue on its home page: what is waiting for this person, overdue first.

The core never imports a domain app: each app registers, in ``AppConfig.ready()``, a function per role that
returns :class:`WorkItem` rows for a user (counts and a link to where the work is done). The home page of the
role shows them through ``{% work_queue %}`` (certportal/templatetags/workqueue.py).

Each function says which models it reads (``@reads("app.Model", ...)``; ``register_work`` refuses one that does
not), and its items are kept per person, their roles, the day and the language until one of those models is saved
or deleted (a version number per model in the cache, moved by ``post_save``, ``post_delete`` and ``m2m_changed``,
and again when the transaction commits) or for ``REPORT_FIGURES_CACHE_SECONDS`` at most: a home page asks the
cache twice for its whole queue instead of asking each function, which together read a score of tables on every
view. ``tests/core/test_work_reads.py`` runs every function on the demo and fails when one reads a table its
declaration leaves out. What a declaration cannot see: a change made by ``QuerySet.update()``, ``bulk_create`` or
SQL, which no signal reports (shown within the minute, unless the writer calls :func:`forget`, as the agencies'
restamp and roster import do), and a count that moves with the hour (an SLA deadline passing at 14:00 is counted
overdue within the minute).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import get_language

from certportal import versions
from certportal.registry import ExtensionPoint


@dataclass(frozen=True)
class WorkItem:
    label: str
    count: int
    url: str
    overdue: int = 0  # how many of ``count`` are past their deadline (shown first, in red)
    key: str = ""  # a stable name for tests and styling (``data-work``)


WorkSource = Callable[[object], list[WorkItem]]
WORK: ExtensionPoint[Any] = ExtensionPoint("core.work", "fn(user) -> [WorkItem, ...], keyed by role, with the models "
                      "it reads (@reads): asked when the role's home page is shown and one of them changed",
                      many=True, keyed=True)


Reader = TypeVar("Reader", bound=Callable[..., Any])


def reads(*models: str) -> Callable[[Reader], Reader]:
    """Declare the models (``"app.Model"`` labels) a work function reads: its items are kept until one changes."""

    def declare(fn: Reader) -> Reader:
        fn.reads = tuple(sorted(set(models)))  # type: ignore[attr-defined]
        return fn

    return declare


def register_work(role: str, fn: WorkSource) -> None:
    """``fn(user) -> [WorkItem, ...]`` is asked when ``role``'s home page is shown and what it reads changed."""
    _declared(fn)
    WORK.provide(fn, key=role)


def _declared(fn: Callable[[Any], Any]) -> None:
    declared = getattr(fn, "reads", None)
    if not declared:
        raise ImproperlyConfigured(f"{fn.__module__}.{fn.__qualname__} is a work source without @reads(...): say "
                                   "which models it reads, so that its kept items are forgotten when they change")
    for label in declared:
        watch(label)


LISTS: ExtensionPoint[Any] = ExtensionPoint("core.kept_lists", "fn(user) -> what a home draws for one reader (its "
                       "lists), keyed by role, with the models it reads (@reads): kept like a work source",
                       many=True, keyed=True)


def register_list(role: str, fn: Callable[[Any], Any]) -> None:
    """``fn(user)`` draws what ``role``'s home shows this reader beside the queue (its lists); :func:`kept` keeps it
    as a work source's items are kept, until a model it reads changes."""
    _declared(fn)
    LISTS.provide(fn, key=role)


def kept(fn: Callable[[Any], Any], user) -> Any:
    """``fn(user)``, kept per person, role set, day and language until a model ``fn`` reads changes (or for
    ``REPORT_FIGURES_CACHE_SECONDS`` at most). ``fn`` must be registered (:func:`register_list`): the declarations
    of what is registered are checked against what it reads (``tests/core/test_work_reads.py``)."""
    if fn not in {p.value for p in LISTS.provisions()}:
        raise ImproperlyConfigured(f"{fn.__module__}.{fn.__qualname__} is kept without register_list(): its "
                                   "declared reads would never be checked")
    return _kept([fn], user)[0]


def work_for(role: str, user) -> list[WorkItem]:
    """Every item for ``role``: overdue ones first, then those with work waiting, then the empty ones."""
    items = [item for found in _kept(WORK.all(role), user) for item in found]
    return sorted(items, key=lambda i: (-(i.overdue > 0), -(i.count > 0)))


# --- what is kept, and when it is forgotten ---------------------------------------------------------------------

def model_version_key(label: str) -> str:
    return f"work:model:{label}"


def _kept(sources: list[WorkSource], user) -> list[list[WorkItem]]:
    """Each source's items: read from the cache in two round trips (the versions of every model read, then the
    items kept under them); a source whose items are missing is asked, and what it answers kept."""
    seconds = settings.REPORT_FIGURES_CACHE_SECONDS
    if not seconds or not sources:
        return [fn(user) for fn in sources]
    labels = sorted({label for fn in sources for label in fn.reads})  # type: ignore[attr-defined]
    versions = _versions(labels)
    context = (user.pk, tuple(sorted(user.roles)), timezone.localdate(), get_language())
    keys = [_item_key(fn, context, versions) for fn in sources]
    found = cache.get_many(keys)
    missing = {key: fn(user) for key, fn in zip(keys, sources, strict=True) if key not in found}
    if missing:
        cache.set_many(missing, seconds)
    return [found[key] if key in found else missing[key] for key in keys]


def _item_key(fn: WorkSource, context: tuple, versions: dict[str, int]) -> str:
    read = tuple(versions[label] for label in fn.reads)  # type: ignore[attr-defined]
    digest = hashlib.sha1(repr((context, read)).encode(), usedforsecurity=False).hexdigest()[:20]
    return f"work:items:{fn.__module__}.{fn.__qualname__}:{digest}"


def _versions(labels: list[str]) -> dict[str, int]:
    """Each model's version (:mod:`certportal.versions`: one evicted starts again at a random number)."""
    found = versions.current([model_version_key(label) for label in labels])
    return {label: found[model_version_key(label)] for label in labels}


def forget(*labels: str) -> None:
    """The kept items of every source that reads one of ``labels`` are forgotten (now, and when the transaction
    commits: a page drawn between the save and the commit would otherwise keep what it read before the change).
    Called by the signals; a service that writes rows without them (``QuerySet.update()``, ``bulk_create``) calls
    it itself."""
    versions.move(*(model_version_key(label) for label in labels))


_WATCHED: dict[str, Callable[..., None]] = {}
# Saves of only these fields change nothing a work source counts: every login saves the account's ``last_login``
# (``update_fields=["last_login"]``), which would otherwise forget, at each login of anyone, every queue that reads
# the accounts (the names and roles of assessors, verifiers and signers).
QUIET_FIELDS: dict[str, frozenset[str]] = {"accounts.User": frozenset({"last_login"})}


def watch(label: str) -> None:
    """Forget ``label``'s kept items whenever one of its rows (or one of its many-to-many links) changes."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    if label in _WATCHED:
        return
    model = apps.get_model(label)

    quiet = QUIET_FIELDS.get(label, frozenset())

    def receiver(**kwargs) -> None:
        fields = kwargs.get("update_fields")
        if fields and set(fields) <= quiet:
            return
        if kwargs.get("action", "post_").startswith("post_"):
            forget(label)

    _WATCHED[label] = receiver  # signals hold receivers weakly
    post_save.connect(receiver, sender=model, dispatch_uid=f"work-save-{label}")
    post_delete.connect(receiver, sender=model, dispatch_uid=f"work-delete-{label}")
    for field in _m2m_fields(model):
        m2m_changed.connect(receiver, sender=field.remote_field.through, dispatch_uid=f"work-m2m-{label}-{field.name}")


def _m2m_fields(model) -> Iterable:
    return [f for f in model._meta.get_fields() if f.many_to_many and not f.auto_created]
