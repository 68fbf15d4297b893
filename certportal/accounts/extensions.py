"""Fields a domain app adds to the LSP admin's staff form, for what a role needs besides its name.

The core never imports a domain app: the agencies app registers, in ``AppConfig.ready()``, the agency an agency
officer or head speaks for. ``fields(instance)`` gives the extra form fields (with initial values for an existing
account), ``clean(data)`` returns ``{field: message}`` for what is wrong with the submitted values (the roles are
in ``data["roles"]``), and ``save(user=..., data=..., actor=...)`` runs inside the service's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from certportal.registry import ExtensionPoint


@dataclass(frozen=True)
class StaffExtension:
    key: str
    fields: Callable[[object], dict]
    clean: Callable[[dict], dict[str, str]]
    save: Callable[..., None]


EXTENSIONS: ExtensionPoint[Any] = ExtensionPoint("core.staff_form", "StaffExtension(key, fields, clean, save), keyed by its key: fields a "
                             "domain app adds to the LSP admin's staff form", keyed=True)


def register(extension: StaffExtension) -> None:
    EXTENSIONS.provide(extension, key=extension.key)


def extensions() -> list[StaffExtension]:
    return EXTENSIONS.all()


def save_all(*, user, data: dict, actor) -> None:
    for extension in extensions():
        extension.save(user=user, data=data, actor=actor)
