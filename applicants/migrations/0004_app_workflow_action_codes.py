"""Application audit rows move to the workflow core's namespaced action codes (``applicants.application.<name>``),
so every history reads right in both languages. Reversible: the old codes come back on the way down.

A status change was recorded as ``status`` with its from and to states; the arrow it took is named from that
pair with the table below (a copy of :mod:`applicants.workflow` as it was when this migration was written:
migrations must not change when the code does). A pair no arrow names (data written by hand) keeps ``status``.
AuditEntry refuses updates through its own manager (append-only); the historical model used here has the plain
manager, and renaming a code is the one sanctioned rewrite: who, when, from, to and why are left as they were."""

from django.db import migrations

PREFIX = "applicants.application."
ARROWS = {  # (from, to) -> name
    ("", "draft"): "created",
    ("draft", "submitted"): "submitted",
    ("returned", "resubmitted"): "resubmitted",
    **{(s, "withdrawn"): "withdrawn" for s in ("draft", "submitted", "returned", "resubmitted", "complete",
                                               "verified", "participant", "scheduled")},
    **{(s, "returned"): "returned" for s in ("submitted", "resubmitted", "complete")},
    ("submitted", "complete"): "completed",
    ("resubmitted", "complete"): "completed",
    ("complete", "verified"): "verified",
    ("complete", "rejected"): "rejected",
    ("verified", "participant"): "named",
    ("participant", "scheduled"): "scheduled",
    ("appealed", "scheduled"): "scheduled",
    ("scheduled", "participant"): "unscheduled",
    ("scheduled", "assessed"): "assessed",
    ("assessed", "competent"): "found_competent",
    ("assessed", "not_yet_competent"): "found_not_yet_competent",
    ("not_yet_competent", "appealed"): "appealed",
    ("appealed", "not_yet_competent"): "appeal_dismissed",
    ("appealed", "competent"): "appeal_upheld",
    ("competent", "certified"): "certified",
    ("certified", "handed_over"): "handed_over",
    ("not_yet_competent", "handed_over"): "handed_over",
}
OTHER = {  # old code -> name
    "document uploaded": "document_uploaded",
    "document removed": "document_removed",
    "document accepted": "document_accepted",
    "document returned": "document_returned",
    "check completeness": "completeness_checked",
    "check administrative": "administrative_checked",
    "check substantive": "substantive_checked",
}
PROFILE = ("profile saved", "applicants.applicantprofile.saved")


def _entries(apps, model: str):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    return AuditEntry.objects.filter(content_type__app_label="applicants", content_type__model=model)


def forwards(apps, schema_editor):
    entries = _entries(apps, "application")
    for (from_state, to_state), name in ARROWS.items():
        entries.filter(action="status", from_state=from_state, to_state=to_state).update(action=PREFIX + name)
    for old, name in OTHER.items():
        entries.filter(action=old).update(action=PREFIX + name)
    _entries(apps, "applicantprofile").filter(action=PROFILE[0]).update(action=PROFILE[1])


def backwards(apps, schema_editor):
    entries = _entries(apps, "application")
    entries.filter(action__in={PREFIX + name for name in ARROWS.values()}).update(action="status")
    for old, name in OTHER.items():
        entries.filter(action=PREFIX + name).update(action=old)
    _entries(apps, "applicantprofile").filter(action=PROFILE[1]).update(action=PROFILE[0])


class Migration(migrations.Migration):
    dependencies = [
        ("applicants", "0003_queue_deadline"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
