"""Existing certificate, handover, result-letter and print-job audit rows move to the workflow core's codes and
back, touching nothing else; the histories then read in both languages."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from assessments import services
from assessments.certificates import services as certs
from certportal.audit.models import AuditEntry
from certportal.audit.services import audit_record
from certportal.audit.templatetags.audit import audit_action

pytestmark = pytest.mark.django_db

migration = importlib.import_module("assessments.migrations.0004_certs_namespaced_audit_actions")


def _apps():
    return MigrationExecutor(connection).loader.project_state(
        ("assessments", "0004_certs_namespaced_audit_actions")).apps


def test_old_codes_become_namespaced_and_come_back(decided, lina, alice):
    p = decided.participants.get(application__applicant=alice)
    letter = certs.result_letter_issue(p, actor=lina)
    cert_rows = [("", "issued", "00001"), ("issued", "suspended", "Diperiksa"), ("suspended", "issued", "Selesai"),
                 ("issued", "withdrawn", "Digantikan oleh sertifikat 00002: salah ketik"),
                 ("suspended", "withdrawn", "Melanggar")]
    services.participant_accept_obligations(p, user=alice)
    cert = certs.certificate_issue(p, actor=lina)
    olds = {audit_record(actor=lina, obj=cert, action="status", from_state=f, to_state=t, note=n).pk: (f, t)
            for f, t, n in cert_rows}
    events = {code: audit_record(actor=lina, obj=decided, action=code, from_state="x", to_state="y").pk
              for code in ("print started", "print job running", "print job done", "print job failed",
                           "print job queued")}
    handed = audit_record(actor=lina, obj=p.application, action="handed over", note="00001 → Alice").pk
    issued = audit_record(actor=lina, obj=letter, action="issued", note=letter.number).pk
    untouched = audit_record(actor=lina, obj=decided, action="status", from_state="held", to_state="reviewed").pk
    apps = _apps()

    migration.forwards(apps, None)
    codes = dict(AuditEntry.objects.filter(pk__in=olds).values_list("pk", "action"))
    assert sorted(codes.values()) == sorted(f"assessments.certificate.{c}" for c in
                                            ("issued", "suspended", "reinstated", "replaced", "withdrawn"))
    assert AuditEntry.objects.get(pk=events["print job failed"]).action == "assessments.printjob.failed"
    assert AuditEntry.objects.get(pk=handed).action == "assessments.handover.recorded"
    assert AuditEntry.objects.get(pk=issued).action == "assessments.resultletter.issued"
    assert AuditEntry.objects.get(pk=untouched).action == "status"
    kept = AuditEntry.objects.get(pk=next(iter(olds)))
    assert (kept.from_state, kept.to_state, kept.note, kept.actor) == ("", "issued", "00001", lina)
    with translation.override("id"):
        assert audit_action("assessments.certificate.reinstated") == "pembekuan dicabut"
        assert audit_action("assessments.printjob.failed") == "tugas cetak gagal"
    with translation.override("en"):
        assert audit_action("assessments.certificate.suspended") == "certificate suspended"

    migration.backwards(apps, None)
    assert set(AuditEntry.objects.filter(pk__in=olds).values_list("action", flat=True)) == {"status"}
    assert {AuditEntry.objects.get(pk=pk).action for pk in events.values()} == set(events)
    assert AuditEntry.objects.get(pk=handed).action == "handed over"
    assert AuditEntry.objects.get(pk=issued).action == "issued"
