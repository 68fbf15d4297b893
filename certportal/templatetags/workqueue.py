from django import template

from certportal.context_processors import current_role
from certportal.workqueue import work_for

register = template.Library()


@register.inclusion_tag("core/_work_queue.html", takes_context=True)
def work_queue(context, role: str | None = None):
    """The current role's work queue (see :mod:`certportal.workqueue`)."""
    request = context["request"]
    role = role or current_role(request)
    held = role and request.user.is_authenticated and request.user.has_role(role)
    return {"items": work_for(role, request.user) if role and held else []}
