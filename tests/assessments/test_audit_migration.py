"""Existing event audit rows move to the workflow core's codes (``assessments.event.<verb>``) and back, touching
nothing else; an event already past step 1 gets the date its schedule went out; histories read in both languages."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from assessments.events.models import Event
from certportal.audit.models import AuditEntry
from certportal.audit.services import audit_record
from certportal.audit.templatetags.audit import audit_action

pytestmark = pytest.mark.django_db

migration = importlib.import_module("assessments.migrations.0004_events_audit_codes")
OLD = [("status", "", "planned"), ("status", "planned", "schedule_sent"), ("status", "confirmed", "held"),
       ("status", "report_signed", "reviewed"), ("assessor added", "", ""), ("report signed by assessor", "", ""),
       ("minutes saved", "", ""), ("attendance recorded", "", "")]


def _apps():
    return MigrationExecutor(connection).loader.project_state(("assessments", "0004_events_audit_codes")).apps


def test_old_event_codes_become_namespaced_and_come_back(event, lina):
    before = {audit_record(actor=lina, obj=event, action=a, from_state=f, to_state=t, note="SOP").pk: (a, f, t)
              for a, f, t in OLD}
    other = audit_record(actor=lina, obj=lina, action="status", to_state="held")  # another model's stays
    Event.objects.filter(pk=event.pk).update(status="held", schedule_distributed_at=None)
    apps = _apps()

    migration.forwards(apps, None)
    rows = {e.pk: e for e in AuditEntry.objects.filter(pk__in=before)}
    codes = {rows[pk].action for pk in before}
    assert {"assessments.event.created", "assessments.event.schedule_sent", "assessments.event.held",
            "assessments.event.reviewed", "assessments.event.assessor_added",
            "assessments.event.report_signed_by_assessor", "assessments.event.minutes_saved",
            "assessments.event.attendance_recorded"} == codes
    assert all((rows[pk].from_state, rows[pk].to_state, rows[pk].note) == (f, t, "SOP")
               for pk, (_a, f, t) in before.items())
    assert AuditEntry.objects.get(pk=other.pk).action == "status"
    assert Event.objects.get(pk=event.pk).schedule_distributed_at is not None
    for code in codes:
        with translation.override("id"):
            indonesian = audit_action(code)
        with translation.override("en"):
            english = audit_action(code)
        assert "assessments" not in indonesian and "assessments" not in english and indonesian != english, code

    migration.backwards(apps, None)
    assert {pk: e.action for pk, e in AuditEntry.objects.in_bulk(list(before)).items()} == {
        pk: a for pk, (a, _f, _t) in before.items()}
