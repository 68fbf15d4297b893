"""Existing complaint audit rows move to the namespaced codes, and back, touching nothing else."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from certportal.audit.models import AuditEntry
from certportal.audit.services import audit_record

from .factories import file_complaint

pytestmark = pytest.mark.django_db

migration = importlib.import_module("complaints.migrations.0002_namespaced_audit_actions")


def _historical_apps():
    return MigrationExecutor(connection).loader.project_state(
        ("complaints", "0002_namespaced_audit_actions")).apps


def test_old_complaint_codes_become_namespaced_and_come_back(karin):
    complaint = file_complaint()
    for old in ("classified", "routed", "progress", "escalated"):
        audit_record(actor=karin, obj=complaint, action=old, from_state="x", to_state="y", note=old)
    other = audit_record(actor=karin, obj=karin, action="closed")  # another model's "closed" stays as it is
    apps = _historical_apps()

    migration.forwards(apps, None)
    codes = set(AuditEntry.objects.for_object(complaint).values_list("action", flat=True))
    assert {"complaints.complaint.classified", "complaints.complaint.routed",
            "complaints.complaint.progress_posted", "complaints.complaint.escalated"} <= codes
    assert not codes & {"classified", "routed", "progress", "escalated"}
    assert AuditEntry.objects.get(pk=other.pk).action == "closed"
    kept = AuditEntry.objects.for_object(complaint).get(action="complaints.complaint.routed")
    assert (kept.from_state, kept.to_state, kept.note, kept.actor) == ("x", "y", "routed", karin)

    migration.backwards(apps, None)
    codes = set(AuditEntry.objects.for_object(complaint).values_list("action", flat=True))
    assert {"classified", "routed", "progress", "escalated", "received"} <= codes
