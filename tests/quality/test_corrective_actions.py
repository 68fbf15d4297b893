"""A corrective action carries the nonconformity, the correction, the cause found, the action, its owner and due date,
the evidence and an effectiveness check by someone else (ISO/IEC 17024 10.2.7); an overdue one escalates to the
quality reviewer's and the supervisor's home queues and tells them once (a surveillance audit found the action on
a major finding overdue for a month with no evidence, and escalating nowhere)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from certportal.notifications.models import Notification
from certportal.workqueue import work_for
from quality.system import services
from quality.system.models import ActionStatus
from quality.system.services import actions_escalate
from quality.system.workflow import QualitySystemError

from .system_helpers import audit, auditor, finding, pdf

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def _overdue_item(user, role):
    return next((i for i in work_for(role, user) if i.key == "corrective-actions-overdue"), None)


def test_the_owner_records_the_correction_and_the_cause_before_reporting_done(lina, quinn, tono, login):
    action = finding(audit(lina), lina, tono).action
    services.evidence_add(action, actor=tono, upload=pdf())
    with pytest.raises(QualitySystemError, match="penyebab"):
        services.action_take(action, "completed", actor=tono)
    refused = login(quinn).post(reverse("quality:system-action-analysis", args=[action.pk]),
                                {"correction": "x", "cause": "y"})  # not the owner
    action.refresh_from_db()
    assert refused.status_code in (302, 403) and action.cause == ""
    with pytest.raises(QualitySystemError):
        services.action_analyse(action, actor=tono, correction="Peralatan dikalibrasi ulang", cause=" ")
    login(tono).post(reverse("quality:system-action-analysis", args=[action.pk]), {
        "correction": "Peralatan TUK dikalibrasi ulang", "cause": "Jadwal kalibrasi tidak ada di SOP TUK"})
    action.refresh_from_db()
    assert action.correction == "Peralatan TUK dikalibrasi ulang" and action.cause.startswith("Jadwal")
    entry = AuditEntry.objects.get(action="quality.correctiveaction.analysed")
    assert entry.actor == tono and entry.from_state == entry.to_state == "open"
    services.action_take(action, "completed", actor=tono)
    with pytest.raises(QualitySystemError, match="efektivitas"):
        services.action_take(action, "closed", actor=quinn, reason="")
    services.action_take(action, "closed", actor=quinn, reason="Kalibrasi berikutnya tercatat tepat waktu")
    page = login(lina).get(action.get_absolute_url()).content.decode()
    for text in ("Rekaman FR.AK.06 tidak lengkap", "Peralatan TUK dikalibrasi ulang", "Jadwal kalibrasi",
                 "Lengkapi rekaman", "Tono Kepala TUK", "bukti.pdf", "Kalibrasi berikutnya tercatat tepat waktu",
                 "Quinn Quality"):
        assert text in page, text


def test_an_overdue_action_is_on_the_quality_reviewers_and_the_supervisors_queue_and_escalates_once(
        lina, quinn, sofia, tono):
    action = finding(audit(lina, held_on=datetime.date(2026, 9, 1)), lina, tono, "Kalibrasi tidak terdokumentasi")
    action = action.action
    with time_machine.travel(datetime.datetime(2026, 11, 23, 8, tzinfo=WIB), tick=False):
        assert action.is_overdue()
        assert _overdue_item(quinn, Role.QUALITY).overdue == 1
        assert _overdue_item(sofia, Role.SUPERVISOR).overdue == 1
        # the owner, the supervisor and each quality reviewer (quinn and the audit's auditor, Ida)
        assert actions_escalate(today=datetime.date(2026, 11, 23)) == 4
        assert actions_escalate(today=datetime.date(2026, 11, 24)) == 0  # told once
    for person in (tono, quinn, sofia, auditor()):
        assert Notification.objects.filter(user=person, key=f"quality.action.{action.pk}.overdue").exists()
    assert not Notification.objects.filter(user=lina, key__endswith=".overdue").exists()


def test_a_closed_or_not_yet_due_action_escalates_nowhere(lina, quinn, tono):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 8, tzinfo=WIB), tick=False):
        action = finding(audit(lina, held_on=datetime.date(2026, 11, 20)), lina, tono).action
        assert action.status == ActionStatus.OPEN and not action.is_overdue()
        assert _overdue_item(quinn, Role.QUALITY).count == 0
        assert actions_escalate(today=datetime.date(2026, 11, 23)) == 0
