from django.conf import settings

from . import menus
from .notifications.unread import unread_count


def current_role(request) -> str | None:
    """The role whose menu is shown: the one picked in the role switcher, else the first held."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated or not user.roles:
        return None
    picked = request.session.get("active_role")
    return picked if picked in user.roles else user.roles[0]


def portal(request) -> dict:
    role = current_role(request)
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = unread_count(user)  # kept until one of the person's notices changes
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "PORTAL_AGENCY": settings.PORTAL_AGENCY,
        "active_role": role,
        "role_menu": menus.menu_html(role, request.path) if role else "",
        "unread_notifications": unread,
        "public_menu": menus.menu_for(menus.PUBLIC),
    }
