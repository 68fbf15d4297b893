"""The classification rules of seed 003 item 6, applied on intake and explained on the record."""

import datetime

import pytest
import time_machine

from complaints.models import Kind, Rule
from complaints.services import classify_by_rules

from .factories import anonymous_suggestion, file_complaint

FILED = datetime.date(2026, 3, 31)


def rules(**overrides):
    data = {"name": "Citra", "email": "citra@example.go.id", "phone": "", "object_text": "Verifikasi",
            "reference": "", "service_date": FILED - datetime.timedelta(days=30), "filed_on": FILED}
    data.update(overrides)
    return classify_by_rules(**data)


def test_filed_exactly_30_calendar_days_after_the_service_is_a_complaint():
    assert rules() == (Kind.COMPLAINT, Rule.COMPLAINT)


def test_filed_31_calendar_days_after_the_service_is_a_suggestion():
    assert rules(service_date=FILED - datetime.timedelta(days=31)) == (Kind.SUGGESTION, Rule.LATE)


def test_without_identity_or_object_it_is_a_suggestion():
    assert rules(name="") == (Kind.SUGGESTION, Rule.NO_IDENTITY)
    assert rules(email="", phone="") == (Kind.SUGGESTION, Rule.NO_IDENTITY)  # a name alone reaches no one
    assert rules(email="", phone="0812") == (Kind.COMPLAINT, Rule.COMPLAINT)
    assert rules(object_text="") == (Kind.SUGGESTION, Rule.NO_OBJECT)
    assert rules(object_text="", reference="certificate:12") == (Kind.COMPLAINT, Rule.COMPLAINT)


@pytest.mark.django_db
@pytest.mark.parametrize("days,kind", [(30, Kind.COMPLAINT), (31, Kind.SUGGESTION)])
def test_intake_applies_the_30_day_rule_and_explains_it(days, kind):
    with time_machine.travel(datetime.datetime(2026, 3, 31, 10, 0, tzinfo=datetime.UTC), tick=False):
        complaint = file_complaint(service_date=FILED - datetime.timedelta(days=days))
    assert complaint.kind == kind
    assert ("30" in complaint.rule_explanation)


@pytest.mark.django_db
def test_an_anonymous_report_is_recorded_as_a_suggestion_with_the_reason():
    complaint = anonymous_suggestion(object_text="Ruang tunggu")
    assert complaint.kind == Kind.SUGGESTION and complaint.rule == Rule.NO_IDENTITY
    assert complaint.tracking_number.startswith("ADU-")
    assert complaint.updates.count() == 1  # the acknowledgement, visible on the tracking page
