"""What the event page needs for the readiness checklist and the documentation (kept apart from the event views)."""

from assessments.events.models import ReadinessCheck
from assessments.events.models.readiness import READINESS_ITEMS
from certportal.workflow import allowed_actions


def readiness_context(user, event) -> dict:
    actions = allowed_actions(event, user)  # the same rules as the services
    # The OneToOne reverse raises when absent; the template tests it, so give it None instead.
    event.readiness = ReadinessCheck.objects.filter(event=event).select_related("checked_by").first()
    return {
        "readiness_items": [(name, str(label)) for name, label in READINESS_ITEMS],
        "may_fill_readiness": actions["readiness_checked"].allowed,
        "may_document": actions["documentation_added"].allowed,
    }
