"""Each role's work queue on its home page: what is waiting for this person, overdue first.

The core never imports a domain app: each app registers, in ``AppConfig.ready()``, a function per role that
returns :class:`WorkItem` rows for a user (counts and a link to where the work is done). The home page of the
role shows them through ``{% work_queue %}`` (certportal/templatetags/workqueue.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from certportal.registry import ExtensionPoint


@dataclass(frozen=True)
class WorkItem:
    label: str
    count: int
    url: str
    overdue: int = 0  # how many of ``count`` are past their deadline (shown first, in red)
    key: str = ""  # a stable name for tests and styling (``data-work``)


WorkSource = Callable[[object], list[WorkItem]]
WORK: ExtensionPoint[Any] = ExtensionPoint("core.work", "fn(user) -> [WorkItem, ...], keyed by role: asked whenever the role's home "
                      "page is shown", many=True, keyed=True)


def register_work(role: str, fn: WorkSource) -> None:
    """``fn(user) -> [WorkItem, ...]`` is asked whenever ``role``'s home page is shown."""
    WORK.provide(fn, key=role)


def work_for(role: str, user) -> list[WorkItem]:
    """Every item for ``role``: overdue ones first, then those with work waiting, then the empty ones."""
    items = [item for fn in WORK.all(role) for item in fn(user)]
    return sorted(items, key=lambda i: (-(i.overdue > 0), -(i.count > 0)))
