"""Buttons from ``allowed_actions``: ``{% action_button actions.analysis_started complaint %}`` renders the POST
button of an action the reader may take now; ``{% action_refused actions.routed %}`` the reason why an action the
reader could take is not possible yet (help text), and nothing otherwise."""

from django import template

register = template.Library()


@register.inclusion_tag("workflow/_button.html")
def action_button(action, obj, style: str = "primary", confirm: str = ""):
    """The action's button; ``confirm`` (the act's own consequence) makes it ask first."""
    return {"action": action, "url": action.url(obj) if action and action.allowed else "", "style": style,
            "confirm": confirm}


@register.inclusion_tag("workflow/_refused.html")
def action_refused(action):
    return {"action": action if action and action.offer_reason else None}
