"""Certificate, handover, result-letter and print-job audit rows move to the workflow core's namespaced codes, so
every history reads in both languages. Reversible: the old codes come back on the way down.

Certificates used one code, ``status``, for every change; the new code is read from the row's from/to states
(issued → suspended is ``suspended``, suspended → issued ``reinstated``, → withdrawn ``withdrawn`` or, when the
note says it was replaced, ``replaced``; no from state: ``issued``). Print-job rows were written on the event; they
stay on the event with the print job's codes. Who, when, from, to and why are left as they were (AuditEntry is
append-only through its own manager; the historical model has the plain one, and renaming a code is the one
sanctioned rewrite).
"""

from django.db import migrations

CERT = "assessments.certificate."
EVENT_CODES = {  # rows on the event
    "print started": "assessments.printjob.created",
    "print job running": "assessments.printjob.started",
    "print job done": "assessments.printjob.finished",
    "print job failed": "assessments.printjob.failed",
    "print job queued": "assessments.printjob.retried",
}
OTHER_CODES = {  # (model, old) → new
    ("application", "handed over"): "assessments.handover.recorded",
    ("resultletter", "issued"): "assessments.resultletter.issued",
}
REPLACED_NOTES = ("Replaced by certificate", "Digantikan oleh sertifikat")


def _rows(apps, app_label: str, model: str):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    return AuditEntry.objects.filter(content_type__app_label=app_label, content_type__model=model)


def _certificate_code(row) -> str:
    if not row.from_state:
        return "issued"
    if row.to_state == "suspended":
        return "suspended"
    if row.to_state == "issued":
        return "reinstated"
    if row.to_state == "withdrawn":
        return "replaced" if row.note.startswith(REPLACED_NOTES) else "withdrawn"
    return "status"


def forwards(apps, schema_editor):
    certs = _rows(apps, "assessments", "certificate")
    for row in certs.filter(action="status").only("pk", "from_state", "to_state", "note"):
        code = _certificate_code(row)
        if code != "status":
            certs.filter(pk=row.pk).update(action=CERT + code)
    events = _rows(apps, "assessments", "event")
    for old, new in EVENT_CODES.items():
        events.filter(action=old).update(action=new)
    for (model, old), new in OTHER_CODES.items():
        app_label = "applicants" if model == "application" else "assessments"
        _rows(apps, app_label, model).filter(action=old).update(action=new)


def backwards(apps, schema_editor):
    # Handover rows on a certificate are new (the old code had none): they are kept as they are.
    _rows(apps, "assessments", "certificate").filter(action__startswith=CERT).exclude(
        action=CERT + "handed_over").update(action="status")
    events = _rows(apps, "assessments", "event")
    for old, new in EVENT_CODES.items():
        events.filter(action=new).update(action=old)
    for (model, old), new in OTHER_CODES.items():
        app_label = "applicants" if model == "application" else "assessments"
        _rows(apps, app_label, model).filter(action=new).update(action=old)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_certs_printjob_skipped"),
        ("applicants", "0003_queue_deadline"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
