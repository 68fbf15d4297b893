"""What the event page needs for step 2 (the readiness checklist, the assessors' planning) and step 5's
documentation (kept apart from the event views)."""

from django.db.models import Max

from assessments.events.models import ReadinessCheck
from assessments.events.models.readiness import READINESS_ITEMS
from assessments.events.services.planning import may_read_planning
from certportal.workflow import allowed_actions


def readiness_context(user, event, actions: dict | None = None) -> dict:
    """``actions``: the event's allowed_actions for ``user`` when the page has them already (they are read once)."""
    if actions is None:
        actions = allowed_actions(event, user)  # the same rules as the services
    # The OneToOne reverse raises when absent; the template tests it, so give it None instead.
    event.readiness = ReadinessCheck.objects.filter(event=event).select_related("checked_by").first()
    return {
        "readiness_items": [(name, str(label)) for name, label in READINESS_ITEMS],
        "may_fill_readiness": actions["readiness_checked"].allowed,
        "may_document": actions["documentation_added"].allowed,
        "may_plan": actions["planning_recorded"].allowed,
        "may_read_planning": may_read_planning(user, event),
        "planning_links": event.event_assessors.select_related("assessor__user").annotate(
            planned=Max("planning__planned_at")).order_by("assessor__user__full_name", "pk"),
    }
