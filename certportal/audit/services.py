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


def audit_records(*, actor, objs, action: str, to_state: str = "", notes=None, batch: int = 2000) -> int:
    """One entry per object of ``objs`` (of one model), written in batches: an import of thousands of records
    leaves one row per record as :func:`audit_record` would, without a round trip each. ``notes`` gives each
    object's note (a callable on the object). Returns how many."""
    objs = list(objs)
    if not objs:
        return 0
    actor = actor if getattr(actor, "is_authenticated", False) else None
    name = (actor.full_name or actor.email) if actor else SYSTEM_ACTOR
    content_type = ContentType.objects.get_for_model(objs[0], for_concrete_model=False)
    ip, request_id = current_client_ip(), request_id_var.get()
    entries = [AuditEntry(actor=actor, actor_name=name, content_type=content_type, object_id=str(o.pk),
                          object_repr=str(o)[:300], action=action, to_state=str(to_state or ""),
                          note=notes(o) if notes else "", ip_address=ip, request_id=request_id) for o in objs]
    AuditEntry.objects.bulk_create(entries, batch_size=batch)
    return len(entries)


def history_for(obj: models.Model):
    """Every entry about ``obj``, oldest first (for timelines). The account is not joined: a timeline shows the name
    kept on the entry (``actor_label``), and the join, planned as a merge over the accounts' key, read every
    account below the highest actor's id (an applicant's, among the last: 100,211 accounts for an 11-entry history
    at a million applications)."""
    return AuditEntry.objects.for_object(obj).order_by("created_at", "id")
