"""Audit rows of participants (results, decisions), appeals and result letters move to the workflow core's
namespaced codes, so their histories read in both languages. Reversible: the old codes come back on the way down.

AuditEntry refuses updates through its own manager (append-only); the historical model used here has the plain
manager, and renaming a code is the one sanctioned rewrite: who, when, from, to and why are left as they were."""

from django.db import migrations

# (model, old code, to_state or None for any, new verb)
RENAMES = [
    ("participant", "result recorded", None, "result_recorded"),
    ("participant", "result corrected", None, "result_corrected"),
    ("participant", "decision", "K", "decided_competent"),
    ("participant", "decision", "BK", "decided_not_yet_competent"),
    ("appeal", "status", "filed", "filed"),
    ("appeal", "status", "dismissed", "dismissed"),
    ("appeal", "status", "reassess", "upheld"),
    ("resultletter", "issued", None, "issued"),
]


def _entries(apps, model):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    return AuditEntry.objects.filter(content_type__app_label="assessments", content_type__model=model)


def forwards(apps, schema_editor):
    for model, old, to_state, verb in RENAMES:
        rows = _entries(apps, model).filter(action=old)
        if to_state is not None:
            rows = rows.filter(to_state=to_state)
        rows.update(action=f"assessments.{model}.{verb}")


def backwards(apps, schema_editor):
    for model, old, to_state, verb in RENAMES:
        rows = _entries(apps, model).filter(action=f"assessments.{model}.{verb}")
        if to_state is not None:
            rows = rows.filter(to_state=to_state)
        rows.update(action=old)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_results_participant_status"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
