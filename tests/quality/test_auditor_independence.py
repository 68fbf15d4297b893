"""An internal auditor audits no work they took part in (ISO/IEC 17024 10.2.6): a surveillance audit found the quality
reviewer auditing the files whose FR.AK.06 she had signed. The refusal names who and why; the audit's page shows the
auditor, the events audited and their independence, read again at every visit."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.instruments.models.records import AssessmentReview
from certportal.audit.models import AuditEntry
from quality.system import services
from quality.system.models import SystemReview
from quality.system.workflow import QualitySystemError
from tests.assessments.factories import planned_event

from .system_helpers import HELD, audit, auditor

pytestmark = pytest.mark.django_db


def _fr_ak_06_signed_by(event, user) -> None:
    """Set-up: ``user`` signed quality's review of the event's assessment (FR.AK.06)."""
    AssessmentReview.objects.create(event=event, reviewer=user, signed_at=timezone.now(), signed_name=user.full_name)


def test_the_quality_reviewer_who_signed_fr_ak_06_cannot_audit_that_event(lina, quinn):
    event = planned_event(actor=lina)
    _fr_ak_06_signed_by(event, quinn)
    with pytest.raises(QualitySystemError) as refused:
        audit(lina, by=quinn, events=[event])
    message = refused.value.message
    assert "Quinn Quality" in message and "FR.AK.06" in message and event.scheme.code in message
    assert not SystemReview.objects.exists()


def test_the_lsp_admin_who_planned_the_event_cannot_audit_it(lina):
    event = planned_event(actor=lina)
    with pytest.raises(QualitySystemError, match="Lina LSP Admin"):
        audit(lina, by=lina, events=[event])


def test_an_auditor_who_took_no_part_is_recorded_and_the_page_shows_their_independence(lina, quinn, sofia, login):
    event = planned_event(actor=lina)
    _fr_ak_06_signed_by(event, quinn)
    review = audit(lina, events=[event])
    assert review.auditor == auditor() and list(review.audited_events.all()) == [event]
    entry = AuditEntry.objects.get(action="quality.systemreview.recorded")
    assert "Ida Auditor" in entry.note and str(event.pk) in entry.note
    page = login(sofia).get(review.get_absolute_url()).content.decode()  # the supervisor reads it
    assert "Ida Auditor" in page and event.scheme.code in page
    assert "took no part" in page or "tidak terlibat" in page


def test_an_act_the_auditor_took_in_an_audited_event_afterwards_is_flagged_on_the_audit(lina, login):
    event = planned_event(actor=lina)
    review = audit(lina, events=[event])
    _fr_ak_06_signed_by(event, auditor())
    page = login(lina).get(review.get_absolute_url()).content.decode()
    assert "text-danger" in page and "FR.AK.06" in page


def test_an_internal_audit_names_its_auditor_and_a_management_review_none(lina, quinn, login):
    with pytest.raises(QualitySystemError):
        services.review_record(actor=lina, kind=SystemReview.Kind.INTERNAL_AUDIT, held_on=HELD, scope="x",
                               participants="y")
    with pytest.raises(QualitySystemError):
        services.review_record(actor=lina, kind=SystemReview.Kind.MANAGEMENT_REVIEW, held_on=HELD, scope="x",
                               participants="y", auditor=quinn)
    response = login(lina).post(reverse("quality:system-review-create"), {
        "kind": "internal_audit", "held_on": HELD.isoformat(), "scope": "x", "participants": "y"})
    assert response.status_code == 200 and not SystemReview.objects.exists()


def test_the_form_refuses_an_auditor_who_took_part_with_the_reason(lina, quinn, login):
    event = planned_event(actor=lina)
    _fr_ak_06_signed_by(event, quinn)
    type(event).objects.filter(pk=event.pk).update(status="held")  # set-up: the form offers events past planning
    response = login(lina).post(reverse("quality:system-review-create"), {
        "kind": "internal_audit", "held_on": HELD.isoformat(), "scope": "x", "participants": "y",
        "auditor": quinn.pk, "audited_events": [event.pk]})
    assert response.status_code == 200 and not SystemReview.objects.exists()
    assert "FR.AK.06" in response.content.decode()


def test_only_lsp_personnel_audit(lina, victor):
    with pytest.raises(QualitySystemError):
        audit(lina, by=victor)
