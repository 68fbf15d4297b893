"""Detail pages kept per record: what a page draws for one reader is kept until a row it shows changes.

An application's verification screen, a test event, a participant and a certificate each read a score of tables
(their panels, forms, history and the buttons the workflow allows) on every view. A page declares, once
(:class:`KeptPage`, registered in ``AppConfig.ready()``), the records it hangs on (its *anchors*: the page's own
record and those it names, such as a participant's event and application) and every model it reads, each with the
field that names the anchor its rows hang on, or ``None`` for a model whose every change forgets every page (the
schemes, the accounts: rarely written). A row saved or deleted moves the version of the anchor it hangs on (now and
again when the transaction commits: :mod:`certportal.versions`), so a result recorded for one participant forgets
that participant's page and its event's, not the pages of the 199 others. A page about no one record (the management
system's registers and lists: ``quality.kept_pages``) hangs on :data:`WHOLE` and is forgotten whenever a row of a
model it reads changes.

What is kept is the page's body (``{% kept %}...{% endkept %}`` in its template, :mod:`certportal.templatetags.kept`):
drawn with a placeholder where the reader's CSRF token goes, the real token put back on every view. The header,
the messages and the menus are drawn on every view. It is kept per person, role set, day, language and address
(the query string chooses a document or a tab) and for ``REPORT_FIGURES_CACHE_SECONDS`` at most; a page answering a
refused form is never kept. ``tests/core/test_kept_pages.py`` draws every registered page for the demo's records
and fails when one reads a table its declaration leaves out. A write that sends no signal
(``QuerySet.update()``, ``bulk_create()``, ``bulk_update()``) on a model a page reads forgets every page reading
it. What a declaration cannot see: a change made in SQL (the written test's autosave forgets its participant's
page itself), a row moved from one anchor to another (the old anchor's page is forgotten within the minute) and
what moves with the hour (a deadline passing at 14:00 shows within the minute).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db import models
from django.db.models.query import QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from certportal import versions, workqueue
from certportal.registry import ExtensionPoint

Link = tuple[str, "str | Callable[[Any], object]"]  # (anchor label, the row's field naming it, or a function)


@dataclass(frozen=True)
class KeptPage:
    """A detail page kept per record. ``anchors``: ``{model label: attribute of the page's record naming it}``
    (``"pk"`` for the record itself). ``reads``: ``{model label: a link, a list of links, or None}``, a link being
    ``(anchor label, field)``: the row's field naming the anchor's id (``"participant.event_id"`` follows a key;
    a function of the row may answer instead, ``None`` when the row is about no anchor of that kind)."""

    name: str
    anchors: Mapping[str, str]
    reads: Mapping[str, Link | list[Link] | None] = field(default_factory=dict)

    def links(self, label: str) -> list[Link]:
        found = self.reads[label]
        return [] if found is None else found if isinstance(found, list) else [found]


@dataclass(frozen=True)
class Whole:
    """The record of a page about no one record (a register, a list, a board of the whole LSP): its declaration has
    no anchor, every model it reads forgets it when one of its rows changes (``reads`` all ``None``)."""

    pk: str = "all"


WHOLE = Whole()


def about(label: str) -> Callable[[Any], object]:
    """A link for a row that names its record by content type and id (the audit trail, the SLA clocks)."""

    def anchor_id(row) -> object:
        from django.contrib.contenttypes.models import ContentType

        model = ContentType.objects.get_for_id(row.content_type_id).model_class()
        return row.object_id if model is not None and model._meta.label == label else None

    anchor_id.__qualname__ = f"about({label})"
    return anchor_id


def signed(kind: str) -> Callable[[Any], object]:
    """A link for a signature row (``signing.SignedDocument``, which names its record by document kind and id)."""

    def anchor_id(row) -> object:
        return row.object_id if row.kind == kind else None

    anchor_id.__qualname__ = f"signed({kind})"
    return anchor_id


PAGES: ExtensionPoint[KeptPage] = ExtensionPoint(
    "core.kept_pages", "KeptPage(name, anchors, reads): a detail page kept per record until a row it reads "
    "changes", keyed=True)

_LINKS: dict[str, set[Link]] = {}  # model label -> {(anchor label, how a row names it), ...}
_RECEIVERS: dict[str, Callable[..., None]] = {}  # signals hold receivers weakly


def register(page: KeptPage) -> KeptPage:
    """Declare ``page``: every model it reads is watched from now on (its saves move the anchors' versions)."""
    for label, links in page.reads.items():
        if links is None:
            workqueue.watch(label)
            continue
        for anchor, _how in page.links(label):
            if anchor not in page.anchors:
                raise ImproperlyConfigured(f"{page.name}: {label} hangs on {anchor}, not one of its anchors")
        _LINKS.setdefault(label, set()).update(page.links(label))
        _watch(label)
    _watch_bulk_writes(page.reads)
    for anchor in page.anchors:
        if anchor not in page.reads:
            raise ImproperlyConfigured(f"{page.name}: its anchor {anchor} is not among the models it reads")
    return PAGES.provide(page, key=page.name)


def _anchor_key(anchor: str, pk: object) -> str:
    return f"kept:{anchor}:{pk}"


def _bulk_key(label: str) -> str:
    return f"kept:all:{label}"


def forget(label: str, *pks: object) -> None:
    """The kept pages hanging on these rows of ``label`` (an anchor's own rows) are forgotten, or, with no ``pks``,
    every page reading ``label`` (and every kept queue: :func:`certportal.workqueue.forget`)."""
    if pks:
        versions.move(*(_anchor_key(label, pk) for pk in pks))
    else:
        versions.move(_bulk_key(label), workqueue.model_version_key(label))


def _written_in_bulk(method: str):
    """``QuerySet.update()``, ``bulk_create()`` and ``bulk_update()`` send no signal: on a model a kept page
    reads, each forgets every page reading it (which rows moved is not at hand), whoever the writer is; one that
    wrote no row (an update that matched none, an empty list) forgets nothing."""
    plain = getattr(QuerySet, method)

    def written(self, *args, **kwargs):
        done = plain(self, *args, **kwargs)
        if done and (label := self.model._meta.label) in _READ:
            forget(label)
        return done

    written.__wrapped__ = plain  # type: ignore[attr-defined]
    return written


_READ: set[str] = set()  # every model a kept page reads


def _watch_bulk_writes(labels) -> None:
    if not _READ:
        for method in ("update", "bulk_create", "bulk_update"):
            setattr(QuerySet, method, _written_in_bulk(method))
    _READ.update(labels)


def _watch(label: str) -> None:
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    if label in _RECEIVERS:
        return
    model = apps.get_model(label)
    quiet = workqueue.QUIET_FIELDS.get(label, frozenset())

    def saved(instance, **kwargs) -> None:
        fields = kwargs.get("update_fields")
        if fields and set(fields) <= quiet:
            return
        keys = [_anchor_key(anchor, value) for anchor, how in _LINKS[label]
                if (value := _follow(instance, how)) is not None]
        versions.move(*keys)

    def linked(instance, action: str, **kwargs) -> None:
        if not action.startswith("post_"):
            return
        if isinstance(instance, model):
            saved(instance)
        else:  # changed from the other side: which of this model's rows moved is not at hand
            versions.move(_bulk_key(label))

    _RECEIVERS[label] = saved
    _RECEIVERS[f"{label} m2m"] = linked
    post_save.connect(saved, sender=model, dispatch_uid=f"kept-save-{label}")
    post_delete.connect(saved, sender=model, dispatch_uid=f"kept-delete-{label}")
    for f in model._meta.get_fields():
        if f.many_to_many and not f.auto_created:
            m2m_changed.connect(linked, sender=f.remote_field.through, dispatch_uid=f"kept-m2m-{label}-{f.name}")


def _follow(row, how) -> object:
    """The anchor's id a row names: by a function of it, or by a field (dotted: through its foreign keys)."""
    if callable(how):
        return how(row)
    try:
        for name in how.split("."):
            row = getattr(row, name)
            if row is None:
                return None
    except ObjectDoesNotExist:  # deleted with the row (a cascade): its own delete moved the anchor
        return None
    return row


@dataclass(frozen=True)
class Body:
    """What ``{% kept %}`` needs: where the body is kept and how to draw what it shows when it is not."""

    key: str
    draw: Callable[[], dict[str, Any]]


def csrf_placeholder() -> str:
    """Where the reader's CSRF token goes in a kept body: the same in every process, not guessable from outside."""
    return "kept-csrf-" + hmac.new(settings.SECRET_KEY.encode(), b"kept-csrf", hashlib.sha256).hexdigest()[:32]


def page(request, template: str, name: str, obj: models.Model | Whole, draw: Callable[[], dict[str, Any]], *,
         around: dict[str, Any] | None = None, keep: bool = True):
    """Render ``template`` for ``obj`` with its body kept (``{% kept %}``): ``draw()`` gives what the body shows and
    is asked only when nothing is kept; ``around`` is what the rest of the template shows (the title)."""
    seconds = settings.REPORT_FIGURES_CACHE_SECONDS
    if not keep or not seconds:
        return render(request, template, {**(around or {}), **draw()})
    return render(request, template, {**(around or {}), "kept": Body(_body_key(request, PAGES.get(name), obj), draw)})


def _body_key(request, declared: KeptPage | None, obj: models.Model | Whole) -> str:
    if declared is None:
        raise ImproperlyConfigured("a kept page must be registered (certportal.kept_pages.register)")
    keys = [_anchor_key(anchor, getattr(obj, attr)) for anchor, attr in declared.anchors.items()]
    for label, link in sorted(declared.reads.items()):
        keys.append(workqueue.model_version_key(label) if link is None else _bulk_key(label))
    found = versions.current(keys)
    user = request.user
    seen = (declared.name, obj.pk, user.pk, tuple(sorted(user.roles)), timezone.localdate(), get_language(),
            request.get_full_path(), tuple(found[key] for key in keys))
    digest = hashlib.sha1(repr(seen).encode(), usedforsecurity=False).hexdigest()[:24]
    return f"kept:page:{declared.name}:{obj.pk}:{digest}"
