"""The one function every service calls to leave a trace."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from ..net import current_client_ip
from ..observability import request_id_var
from .models import SYSTEM_ACTOR, AuditEntry


def audit_record(
    *,
    actor,
    obj: models.Model,
    action: str,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    ip_address: str | None = None,
) -> AuditEntry:
    """Append one entry. ``actor`` may be None for the system (periodic tasks, imports run from a shell).

    The address defaults to the client of the request being served (``certportal.net``), None outside requests."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=(actor.full_name or actor.email) if actor else SYSTEM_ACTOR,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        action=action,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        note=note or "",
        ip_address=ip_address or current_client_ip(),
        request_id=request_id_var.get(),
    )


def history_for(obj: models.Model):
    """Every entry about ``obj``, oldest first (for timelines)."""
    return AuditEntry.objects.for_object(obj).select_related("actor").order_by("created_at", "id")
