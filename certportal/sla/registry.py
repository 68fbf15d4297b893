"""Apps tell the core how to talk about the items they track (the core never imports a domain app).

    from certportal.sla.registry import register_tracked
    register_tracked(Application, role=Role.VERIFIER, related=("scheme",),
                     label=lambda app: "text", url=lambda app: "/path")

Who is responsible is resolved in BULK, once per tracked type, never once per item (the dashboard lists tens of
thousands of breached items; one query each took 18 s):

* ``role=``: everyone active with that role is responsible for every item of the type (one query, cached for the
  call); breaches are then counted per type in SQL, without loading the items;
* ``responsible_many=lambda objs: {obj.pk: [users]}``: a function of the whole list, which may run a constant
  number of queries (e.g. one ``IN`` query);
* ``responsible=lambda obj: [users]``: per item, only for functions that run no query (tests keep owners in a dict).

``related`` names the relations ``label`` reads, so the items are loaded with them (``select_related``).
Supervisors (``User.objects.with_role('supervisor')``) get the escalations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import models

from certportal.registry import ExtensionPoint

Bulk = Callable[[list], dict]


@dataclass(frozen=True)
class Tracked:
    model: type[models.Model]
    label: Callable[[models.Model], str]
    url: Callable[[models.Model], str]
    role: str | None = None
    responsible_many: Bulk | None = None
    related: tuple[str, ...] = ()
    readers: tuple[str, ...] | None = None  # the roles that may open ``url`` (None: whoever reads the dashboard)

    def queryset(self):
        qs = self.model._default_manager.all()
        return qs.select_related(*self.related) if self.related else qs


TRACKED = ExtensionPoint("core.sla_tracked", "Tracked(model, label, url, role, responsible_many, related, readers), "
                         "keyed by the model's label: objects whose SLA clocks the dashboard and the sweep show", keyed=True)


def _key(model) -> str:
    return model._meta.concrete_model._meta.label_lower


def _per_item(fn: Callable) -> Bulk:
    return lambda objs: {obj.pk: fn(obj) for obj in objs}


def register_tracked(model, *, label: Callable = str, url: Callable | None = None, role: str | None = None,
                     responsible_many: Bulk | None = None, responsible: Callable | None = None,
                     related: Iterable[str] = (), readers: Iterable[str] | None = None) -> None:
    """Register ``model`` (once: a second registration raises; :func:`unregister_tracked` takes it back).

    Give exactly one of ``role``, ``responsible_many`` or (query-free) ``responsible``. ``readers``: the roles that
    may open an item's page; others see its label without a link (a link that would answer 403)."""
    if sum(x is not None for x in (role, responsible_many, responsible)) != 1:
        raise ValueError("register_tracked needs exactly one of role=, responsible_many= or responsible=")

    def default_url(obj) -> str:
        getter = getattr(obj, "get_absolute_url", None)
        return getter() if getter else ""

    bulk = responsible_many or (_per_item(responsible) if responsible else None)
    TRACKED.provide(key=_key(model), value=Tracked(
        model, label, url or default_url, str(role) if role else None, bulk, tuple(related),
        tuple(str(r) for r in readers) if readers is not None else None))


# --- sweeps of other apps: reminders that are not deadlines of a clock (a certificate about to expire) --------

SweepFn = Callable[["date"], int]
SWEEPS = ExtensionPoint("core.sla_sweep", "fn(today) -> number sent, keyed by a name: a reminder run in every SLA "
                        "sweep after the clocks' notices (exactly-once on its own)", keyed=True)


def register_sweep(name: str, fn: SweepFn) -> None:
    """``fn(today) -> number sent`` runs in every SLA sweep (beat's ``sla-sweep``, ``manage.py sla_sweep``) after
    the clocks' notices. It must be exactly-once on its own (a row under a unique constraint claimed before
    sending), state-based and safe to run twice or concurrently, like the clocks' notices."""
    SWEEPS.provide(fn, key=name)


def registered_sweeps() -> dict[str, SweepFn]:
    return SWEEPS.by_key()


def unregister_tracked(model) -> None:
    TRACKED.withdraw(_key(model))


def tracked_for(model) -> Tracked | None:
    return TRACKED.get(_key(model))


def describe(obj) -> tuple[str, str]:
    """(label, url) of a tracked object, falling back to ``str(obj)`` for unregistered models."""
    entry = tracked_for(type(obj))
    if entry is None:
        return str(obj), ""
    try:
        return str(entry.label(obj)), entry.url(obj) or ""
    except Exception:  # a broken label must not break the sweep or the dashboard
        return str(obj), ""


def _active(users) -> list:
    return [u for u in (users or []) if u is not None and getattr(u, "is_active", True)]


def role_members(role: str) -> list:
    from certportal.accounts.models import User

    return list(User.objects.with_role(role).filter(is_active=True).order_by("pk"))


def responsible_many(model, objs: list, members: dict[str, list] | None = None) -> dict[int, list]:
    """{pk: active responsible users} for ``objs`` of one tracked ``model``: a constant number of queries.
    ``members``: the members of each role already read by the caller (filled as roles are read)."""
    entry = tracked_for(model)
    if entry is None or not objs:
        return {}
    if entry.role:
        found = members if members is not None else {}
        if entry.role not in found:
            found[entry.role] = role_members(entry.role)
        return {obj.pk: found[entry.role] for obj in objs}
    found = entry.responsible_many(objs) or {}
    return {obj.pk: _active(found.get(obj.pk)) for obj in objs}


def responsible_for(obj) -> list:
    return responsible_many(type(obj), [obj]).get(obj.pk, [])
