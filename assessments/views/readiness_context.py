"""What the event page needs for the readiness checklist and the documentation (kept apart from staff.py)."""

from ..models import ReadinessCheck
from ..readiness_models import READINESS_ITEMS
from ..services.readiness import DOCUMENTATION_OPEN, READINESS_OPEN, may_document


def readiness_context(user, event) -> dict:
    is_head = event.test_site.head_id == user.pk
    # The OneToOne reverse raises when absent; the template tests it, so give it None instead.
    event.readiness = ReadinessCheck.objects.filter(event=event).select_related("checked_by").first()
    return {
        "readiness_items": [(name, str(label)) for name, label in READINESS_ITEMS],
        "may_fill_readiness": is_head and event.status in READINESS_OPEN,
        "may_document": event.status in DOCUMENTATION_OPEN and may_document(user, event),
    }
