"""Event audit rows move to the workflow core's codes (``assessments.event.<verb>``), so every event history reads
in both languages; events already past step 1 get ``schedule_distributed_at`` (step 1's first act, now recorded
on its own). Reversible: the old codes come back on the way down.

The SOP step transitions were all audited as "status" with from/to; each step's code is found from its "to"
state (one code per state), so the way back is exact. AuditEntry refuses updates through its own manager
(append-only); the historical model has the plain manager, and renaming a code is the one sanctioned rewrite."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery

PREFIX = "assessments.event."
BY_TARGET = {"planned": "created", "schedule_sent": "schedule_sent", "site_ready": "site_prepared",
             "reminded": "candidates_reminded", "confirmed": "confirmed", "held": "held",
             "report_signed": "report_signed", "reviewed": "reviewed", "archived": "archived"}
RENAMED = {"assessor added": "assessor_added", "participant added": "participant_added",
           "report signed by assessor": "report_signed_by_assessor", "minutes saved": "minutes_saved",
           "attendance recorded": "attendance_recorded"}


def _entries(apps):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    return AuditEntry.objects.filter(content_type__app_label="assessments", content_type__model="event")


def forwards(apps, schema_editor):
    entries = _entries(apps)
    for target, new in BY_TARGET.items():
        entries.filter(action="status", to_state=target).update(action=PREFIX + new)
    for old, new in RENAMED.items():
        entries.filter(action=old).update(action=PREFIX + new)
    Event = apps.get_model("assessments", "Event")
    EventStep = apps.get_model("assessments", "EventStep")
    step1 = EventStep.objects.filter(event=OuterRef("pk"), number=1).values("done_at")[:1]
    Event.objects.filter(schedule_distributed_at__isnull=True).exclude(status="planned").update(
        schedule_distributed_at=Subquery(step1))
    Event.objects.filter(schedule_distributed_at__isnull=True).exclude(status="planned").update(
        schedule_distributed_at=F("created_at"))


def backwards(apps, schema_editor):
    entries = _entries(apps)
    for new in BY_TARGET.values():
        entries.filter(action=PREFIX + new).update(action="status")
    for old, new in RENAMED.items():
        entries.filter(action=PREFIX + new).update(action=old)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_events_sop_people"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
