"""Per-role menus and home pages. Domain apps register their entries in ``AppConfig.ready()``.

The core never imports a domain app: apps call :func:`register` and :func:`register_home` themselves.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str = "circle"
    order: int = 100

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return "#"


_MENUS: dict[str, list[MenuItem]] = {}
_HOMES: dict[str, str] = {}
PUBLIC = "public"  # pseudo-role for the links every visitor sees (catalogue, verification, complaints...)


def register(role: str, label, url_name: str, *, icon: str = "circle", order: int = 100) -> None:
    items = _MENUS.setdefault(role, [])
    if any(i.url_name == url_name for i in items):
        return
    items.append(MenuItem(label, url_name, icon, order))
    items.sort(key=lambda i: i.order)


def register_public(label, url_name: str, *, icon: str = "circle", order: int = 100) -> None:
    """A link shown to anonymous visitors in the top menu and to everyone in the footer."""
    register(PUBLIC, label, url_name, icon=icon, order=order)


def register_home(role: str, url_name: str) -> None:
    """Make ``url_name`` the landing page of ``role`` (default: the generic role home in the core)."""
    _HOMES[role] = url_name


def menu_for(role: str) -> list[MenuItem]:
    return list(_MENUS.get(role, []))


def home_url_for(role: str) -> str:
    name = _HOMES.get(role)
    if name:
        try:
            return reverse(name)
        except NoReverseMatch:
            pass
    return reverse("role-home", kwargs={"role": role})


def register_core_menus() -> None:
    from .accounts.models import Role

    for role in Role:
        register(role, _("Home"), "home", icon="house", order=0)
    register(Role.LSP_ADMIN, _("Staff accounts"), "accounts:staff-list", icon="people", order=900)
    for role in (Role.LSP_ADMIN, Role.SUPERVISOR):
        register(role, _("Audit trail"), "audit:search", icon="journal-text", order=910)
