"""Existing audit rows of results, decisions, appeals and letters move to the namespaced codes, and back."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from certportal.audit.models import AuditEntry
from certportal.audit.services import audit_record
from certportal.audit.templatetags.audit import audit_action

pytestmark = pytest.mark.django_db

migration = importlib.import_module("assessments.migrations.0004_results_namespaced_audit_actions")


def test_old_codes_become_namespaced_read_in_both_languages_and_come_back(decided, lina, bob):
    p = decided.participants.get(application__applicant=bob)
    appeal_model = p.appeals.model
    appeal = appeal_model.objects.create(participant=p, grounds="Bukti")
    old = [audit_record(actor=lina, obj=p, action="result recorded", to_state="BK", note="N.1"),
           audit_record(actor=lina, obj=p, action="decision", to_state="BK", note="sesuai"),
           audit_record(actor=lina, obj=appeal, action="status", to_state="reassess", note="nilai ulang")]
    other = audit_record(actor=lina, obj=lina, action="decision")  # another model's "decision" stays
    apps = MigrationExecutor(connection).loader.project_state(
        ("assessments", "0004_results_namespaced_audit_actions")).apps

    migration.forwards(apps, None)
    codes = [AuditEntry.objects.get(pk=e.pk).action for e in old]
    assert codes == ["assessments.participant.result_recorded", "assessments.participant.decided_not_yet_competent",
                     "assessments.appeal.upheld"]
    assert AuditEntry.objects.get(pk=other.pk).action == "decision"
    kept = AuditEntry.objects.get(pk=old[1].pk)
    assert (kept.to_state, kept.note, kept.actor) == ("BK", "sesuai", lina)
    with translation.override("id"):
        assert audit_action(codes[1]) == "diputuskan belum kompeten (BK)"
    with translation.override("en"):
        assert audit_action(codes[1]) == "decided not yet competent (BK)"

    migration.backwards(apps, None)
    assert [AuditEntry.objects.get(pk=e.pk).action for e in old] == ["result recorded", "decision", "status"]
