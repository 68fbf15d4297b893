"""Staff timelines show what happened in the reader's language, not the audit trail's internal codes."""

import pytest
from django.urls import reverse
from django.utils import translation

from certportal.audit.models import AuditEntry
from certportal.audit.templatetags.audit import audit_action, audit_state
from complaints.models import Complaint, Status
from tests.complaints.factories import file_complaint

pytestmark = pytest.mark.django_db


def test_known_actions_are_translated_and_unknown_ones_stay_readable():
    with translation.override("id"):
        assert audit_action("applicants.application.document_accepted") == "dokumen diterima"  # namespaced (issue 13)
        assert audit_action("sla.pause") == "tenggat dihentikan sementara"
        assert audit_action("some_new.action") == "some new action"
    with translation.override("en"):
        assert audit_action("sla.pause") == "deadline paused"


def test_the_complaint_timeline_says_received_in_indonesian(login, karin):
    file_complaint()
    complaint = Complaint.objects.get()
    page = login(karin).get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "· diterima" in page and "· received" not in page


def test_states_are_shown_with_the_audited_models_labels(login, karin):
    file_complaint()
    complaint = Complaint.objects.get()
    entry = AuditEntry.objects.for_object(complaint).get(action="complaints.complaint.received")
    with translation.override("en"):
        assert audit_state(entry.to_state, entry) == str(Status(entry.to_state).label)
        assert audit_state("inactive") == "inactive"
        assert audit_state("no-such-state", entry) == "no-such-state"
    with translation.override("id"):
        label = audit_state(entry.to_state, entry)
        assert label == str(Status(entry.to_state).label) and label != entry.to_state
        assert audit_state("inactive") == "nonaktif"
    page = login(karin).get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert f"→ {label}" in page and f"→ {entry.to_state}<" not in page
