"""Issue 30 item 2: the demo shows the management system in each state, and loading it twice changes nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from quality.system import selectors
from quality.system.models import ActionStatus, ControlledDocument, CorrectiveAction, SystemReview

pytestmark = pytest.mark.django_db


def test_the_demo_shows_each_state_of_the_management_system(demo_data):
    call_command("load_demo", stdout=io.StringIO())  # loaded twice: the second time changes nothing
    assert set(SystemReview.objects.values_list("kind", flat=True)) == {"internal_audit", "management_review"}
    closed = CorrectiveAction.objects.get(status=ActionStatus.CLOSED)
    assert closed.closed_by != closed.owner and closed.evidence.exists()
    today = timezone.localdate()
    overdue = [a for a in CorrectiveAction.objects.exclude(status=ActionStatus.CLOSED) if a.is_overdue(today)]
    assert [a.owner.email for a in overdue] == ["kepala.tuk@demo.go.id"]
    assert CorrectiveAction.objects.filter(status=ActionStatus.COMPLETED).exists()
    manual = ControlledDocument.objects.get(code="PM-01")
    assert manual.versions.count() == 2
    assert selectors.version_in_force(manual, today).label == "Rev. 1"
    assert selectors.version_in_force(manual, today - datetime.timedelta(days=365)).label == "Rev. 0"


def test_the_demo_audit_is_by_an_auditor_who_took_part_in_none_of_the_events_audited(demo_data):
    """A surveillance audit found the quality reviewer auditing files whose FR.AK.06 she had signed."""
    from certportal.accounts.models import User

    audit = SystemReview.objects.get(kind="internal_audit")
    events = list(audit.audited_events.all())
    assert audit.auditor is not None and events
    assert selectors.involvement(audit.auditor, events) == []
    assert audit.auditor.has_usable_password()  # a demo login (README): an auditor sees what she audits
    assert audit.auditor.email == "auditor.internal@demo.go.id"
    quality = User.objects.get(email="mutu@demo.go.id")
    assert selectors.involvement(quality, events)  # the reviewer who was named before would be refused
