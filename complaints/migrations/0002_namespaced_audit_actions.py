"""Complaint audit rows move to the workflow core's namespaced action codes (``complaints.complaint.<verb>``),
so every history reads in both languages. Reversible: the old codes come back on the way down.

AuditEntry refuses updates through its own manager (append-only); the historical model used here has the plain
manager, and renaming a code is the one sanctioned rewrite: who, when, from, to and why are left as they were."""

from django.db import migrations

OLD_TO_NEW = {
    "received": "received",
    "classified": "classified",
    "analysis_started": "analysis_started",
    "analysis_recorded": "analysis_recorded",
    "apip_approved": "apip_approved",
    "routed": "routed",
    "escalated": "escalated",
    "answered": "answered",
    "closed": "closed",
    "progress": "progress_posted",
}
PREFIX = "complaints.complaint."


def _entries(apps):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    return AuditEntry.objects.filter(content_type__app_label="complaints", content_type__model="complaint")


def forwards(apps, schema_editor):
    entries = _entries(apps)
    for old, new in OLD_TO_NEW.items():
        entries.filter(action=old).update(action=PREFIX + new)


def backwards(apps, schema_editor):
    entries = _entries(apps)
    for old, new in OLD_TO_NEW.items():
        entries.filter(action=PREFIX + new).update(action=old)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
