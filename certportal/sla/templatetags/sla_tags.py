from django import template

from certportal.sla import services

register = template.Library()


@register.filter
def sla_label(state: str) -> str:
    return services.state_label(state)


@register.filter
def sla_colour(state: str) -> str:
    return services.STATE_COLOURS.get(state, "secondary")
