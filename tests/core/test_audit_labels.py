"""Staff timelines show what happened in the reader's language, not the audit trail's internal codes."""

import pytest
from django.urls import reverse
from django.utils import translation

from certportal.audit.templatetags.audit import audit_action
from complaints.models import Complaint
from tests.complaints.factories import file_complaint

pytestmark = pytest.mark.django_db


def test_known_actions_are_translated_and_unknown_ones_stay_readable():
    with translation.override("id"):
        assert audit_action("document accepted") == "dokumen diterima"
        assert audit_action("sla.pause") == "tenggat dihentikan sementara"
        assert audit_action("some_new.action") == "some new action"
    with translation.override("en"):
        assert audit_action("sla.pause") == "deadline paused"


def test_the_complaint_timeline_says_received_in_indonesian(login, karin):
    file_complaint()
    complaint = Complaint.objects.get()
    page = login(karin).get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "· diterima" in page and "· received" not in page
