"""Per-role menus and home pages. Domain apps register their entries in ``AppConfig.ready()``.

The core never imports a domain app: apps call :func:`register` and :func:`register_home` themselves.

A role with many pages (the LSP admin has some twenty) gets them in a few drop-down groups instead of two lines of
links: an entry registered with ``group=`` (one of the :class:`MenuGroup` constants below) is shown in that group,
which takes the place of its first entry; the others stay plain links. :func:`menu_tree` gives that shape to the
template, :func:`menu_for` the flat list.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from certportal.registry import ExtensionPoint


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: str
    icon: str


SCHEMES = MenuGroup("schemes", _("Schemes and test sites"), "journal-bookmark")
APPLICATIONS = MenuGroup("applications", _("Applications"), "inboxes")
ASSESSMENT = MenuGroup("assessment", _("Assessment and certificates"), "award")
ADMINISTRATION = MenuGroup("administration", _("Administration"), "gear")


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str = "circle"
    order: int = 100
    group: MenuGroup | None = None

    @property
    def url(self) -> str:
        return _urls([self])[self.url_name]


_URLS: dict[tuple[str, str, str], str] = {}


def _urls(items: list[MenuItem]) -> dict[str, str]:
    """The entries' addresses, reversed once per URL configuration and script prefix (every page draws the menu)."""
    where = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    found = {}
    for item in items:
        key = (item.url_name, *where)
        if key not in _URLS:
            try:
                _URLS[key] = reverse(item.url_name)
            except NoReverseMatch:
                _URLS[key] = "#"
        found[item.url_name] = _URLS[key]
    return found


MENUS = ExtensionPoint("core.menu", "MenuItem(label, url_name, icon, order, group), keyed by role (\"public\": every "
                       "visitor): an entry of the role's menu", many=True, keyed=True)
HOMES = ExtensionPoint("core.home", "a URL name, keyed by role: the role's landing page (default: the core's role home)",
                       keyed=True)
PUBLIC = "public"  # pseudo-role for the links every visitor sees (catalogue, verification, complaints...)


def register(role: str, label, url_name: str, *, icon: str = "circle", order: int = 100,
             group: MenuGroup | None = None) -> None:
    if any(i.url_name == url_name for i in MENUS.all(role)):
        return
    MENUS.provide(MenuItem(label, url_name, icon, order, group), key=role)
    _HTML.clear()


def register_public(label, url_name: str, *, icon: str = "circle", order: int = 100) -> None:
    """A link shown to anonymous visitors in the top menu and to everyone in the footer."""
    register(PUBLIC, label, url_name, icon=icon, order=order)


def register_home(role: str, url_name: str) -> None:
    """Make ``url_name`` the landing page of ``role`` (default: the generic role home in the core)."""
    HOMES.provide(url_name, key=role)


def menu_for(role: str) -> list[MenuItem]:
    return sorted(MENUS.all(role), key=lambda i: i.order)


def _current(items: list[MenuItem], urls: dict[str, str], path: str) -> str | None:
    matches = [item for item in items if urls[item.url_name] != "#"
               and (path == urls[item.url_name] or (urls[item.url_name] != "/" and path.startswith(urls[item.url_name])))]
    return max(matches, key=lambda i: len(urls[i.url_name])).url_name if matches else None


def menu_tree(role: str, path: str = "") -> list[dict]:
    """The role's menu for the navigation bar: ``{"item": MenuItem}`` for a plain link, ``{"group": MenuGroup,
    "items": [...]}`` for a drop-down, in the order of each link (a group at the place of its first link).

    ``current`` names the link whose address is the longest start of ``path`` (the page being shown, or the list
    it belongs to); the link and its group are marked active, so the reader sees where they are."""
    items = menu_for(role)
    urls = _urls(items)
    return _tree(items, urls, _current(items, urls, path))


def _tree(items: list[MenuItem], urls: dict[str, str], current: str | None) -> list[dict]:
    tree: list[dict] = []
    groups: dict[str, dict] = {}
    for item in items:
        link = {"item": item, "url": urls[item.url_name], "active": item.url_name == current}
        if item.group is None:
            tree.append(link)
        elif item.group.key in groups:
            groups[item.group.key]["items"].append(link)
        else:
            groups[item.group.key] = {"group": item.group, "items": [link]}
            tree.append(groups[item.group.key])
    for entry in tree:
        if "group" in entry:
            entry["active"] = any(link["active"] for link in entry["items"])
    return tree


ACTIVE = (mark_safe(""), mark_safe(" active"))  # noqa: S308
CURRENT = (mark_safe(""), mark_safe(' aria-current="page"'))  # noqa: S308
LINK = '<li class="nav-item"><a class="nav-link{}" href="{}"{}><i class="bi bi-{}"></i> {}</a></li>'
GROUP_LINK = '<li><a class="dropdown-item{}" href="{}"{}><i class="bi bi-{}"></i> {}</a></li>'
GROUP = ('<li class="nav-item dropdown" data-menu-group="{}"><a class="nav-link dropdown-toggle{}" href="#" '
         'role="button" data-bs-toggle="dropdown" aria-expanded="false"><i class="bi bi-{}"></i> {}</a>'
         '<ul class="dropdown-menu">{}</ul></li>')


def _links(template: str, links: list[dict]) -> SafeString:
    return format_html_join("", template, (
        (ACTIVE[link["active"]], link["url"], CURRENT[link["active"]], link["item"].icon, str(link["item"].label))
        for link in links))


_HTML: dict[tuple, SafeString] = {}


def menu_html(role: str, path: str = "") -> SafeString:
    """:func:`menu_tree` as the navigation bar's ``<li>`` entries, drawn in Python and kept per role, current link,
    language and URL configuration: every page shows the menu, and drawing its twenty links in the template cost
    more than a page's rows (issue 28)."""
    items = menu_for(role)
    urls = _urls(items)
    current = _current(items, urls, path)
    key = (role, current, get_language(), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    if key not in _HTML:
        _HTML[key] = mark_safe("".join(  # noqa: S308 -- each part is built by format_html
            format_html(GROUP, entry["group"].key, ACTIVE[entry["active"]], entry["group"].icon,
                        str(entry["group"].label), _links(GROUP_LINK, entry["items"]))
            if "group" in entry else _links(LINK, [entry])
            for entry in _tree(items, urls, current)))
    return _HTML[key]


def home_url_for(role: str) -> str:
    name = HOMES.by_key().get(str(role))
    if name:
        try:
            return reverse(name)
        except NoReverseMatch:
            pass
    return reverse("role-home", kwargs={"role": role})


def register_core_menus() -> None:
    from .roles import Role

    for role in Role:
        register(role, _("Home"), "home", icon="house", order=0)
    register(Role.LSP_ADMIN, _("Staff accounts"), "accounts:staff-list", icon="people", order=900,
             group=ADMINISTRATION)
    register(Role.LSP_ADMIN, _("Audit trail"), "audit:search", icon="journal-text", order=910, group=ADMINISTRATION)
    register(Role.SUPERVISOR, _("Audit trail"), "audit:search", icon="journal-text", order=910)
