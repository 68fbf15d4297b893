"""Existing application audit rows move to the namespaced codes, and back, touching nothing else; afterwards the
history reads in both languages."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from certportal.audit.models import AuditEntry
from certportal.audit.services import audit_record
from certportal.audit.templatetags.audit import audit_action

from .factories import ApplicationFactory, ProfileFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("applicants.migrations.0004_app_workflow_action_codes")
OLD_ROWS = [  # (action, from, to) as the services wrote them before the workflow core
    ("status", "", "draft"), ("status", "draft", "submitted"), ("status", "submitted", "returned"),
    ("status", "returned", "resubmitted"), ("status", "resubmitted", "complete"), ("status", "complete", "returned"),
    ("status", "complete", "verified"), ("status", "verified", "participant"), ("status", "participant", "scheduled"),
    ("status", "scheduled", "assessed"), ("status", "assessed", "not_yet_competent"),
    ("status", "not_yet_competent", "appealed"), ("status", "appealed", "not_yet_competent"),
    ("status", "not_yet_competent", "handed_over"), ("status", "draft", "verified"),  # a pair no arrow names
    ("document uploaded", "", ""), ("document returned", "", ""), ("check substantive", "", "passed"),
]
NEW = ["created", "submitted", "returned", "resubmitted", "completed", "returned", "verified", "named", "scheduled",
       "assessed", "found_not_yet_competent", "appealed", "appeal_dismissed", "handed_over", None,
       "document_uploaded", "document_returned", "substantive_checked"]


def _historical_apps():
    return MigrationExecutor(connection).loader.project_state(
        ("applicants", "0004_app_workflow_action_codes")).apps


def test_old_application_codes_become_namespaced_and_come_back(alice, victor):
    app = ApplicationFactory(applicant=alice)
    rows = [audit_record(actor=victor, obj=app, action=a, from_state=f, to_state=t, note=f"{a} {f}>{t}")
            for a, f, t in OLD_ROWS]
    profile_row = audit_record(actor=alice, obj=ProfileFactory(user=alice), action="profile saved")
    other = audit_record(actor=victor, obj=victor, action="status", from_state="draft", to_state="submitted")
    apps = _historical_apps()

    migration.forwards(apps, None)
    for row, name in zip(rows, NEW, strict=True):
        kept = AuditEntry.objects.get(pk=row.pk)
        assert kept.action == (f"applicants.application.{name}" if name else "status"), row.note
        assert (kept.from_state, kept.to_state, kept.note, kept.actor, kept.created_at) == (
            row.from_state, row.to_state, row.note, victor, row.created_at)
    assert AuditEntry.objects.get(pk=profile_row.pk).action == "applicants.applicantprofile.saved"
    assert AuditEntry.objects.get(pk=other.pk).action == "status"  # another model's rows stay as they were
    with translation.override("id"):
        assert audit_action("applicants.application.returned") == "dikembalikan untuk perbaikan"
        assert audit_action("applicants.application.document_uploaded") == "dokumen diunggah"
        assert audit_action("applicants.applicantprofile.saved") == "profil disimpan"
    with translation.override("en"):
        assert audit_action("applicants.application.found_not_yet_competent") == "decided not yet competent"

    migration.backwards(apps, None)
    assert [AuditEntry.objects.get(pk=r.pk).action for r in rows] == [a for a, _f, _t in OLD_ROWS]
    assert AuditEntry.objects.get(pk=profile_row.pk).action == "profile saved"
