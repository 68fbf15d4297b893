"""The one service for every status change: allowed arrows only, reasons where owed, audit, e-mail, clock."""

import pytest
from django.core import mail
from django.utils import translation

from applicants.models import Application, Status
from applicants.services import ApplicationError, application_act
from certportal.audit.services import history_for

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_a_submitted_application_can_be_returned_with_a_reason_and_the_applicant_is_emailed(
        alice, victor, django_capture_on_commit_callbacks):
    app = ApplicationFactory(applicant=alice, status=Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        application_act(app, "returned", actor=victor, reason="SK Pangkat tidak terbaca")
    app.refresh_from_db()
    assert app.status == Status.RETURNED
    assert app.status_reason == "SK Pangkat tidak terbaca"
    entry = list(history_for(app))[-1]
    assert (entry.from_state, entry.to_state, entry.note, entry.actor) == (
        "submitted", "returned", "SK Pangkat tidak terbaca", victor)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.go.id"]
    assert "Dikembalikan untuk perbaikan" in mail.outbox[0].subject  # alice reads Indonesian
    assert "SK Pangkat tidak terbaca" in mail.outbox[0].body


def test_the_email_is_in_the_applicants_language(alice, victor, django_capture_on_commit_callbacks):
    alice.preferred_language = "en"
    alice.save()
    app = ApplicationFactory(applicant=alice, status=Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        application_act(app, "returned", actor=victor, reason="Blurred decree")
    assert "Returned for correction" in mail.outbox[0].subject


@pytest.mark.parametrize("name", ["returned", "withdrawn"])
def test_a_reason_is_required_to_return_or_withdraw(alice, victor, name):
    app = ApplicationFactory(applicant=alice, status=Status.SUBMITTED)
    actor = alice if name == "withdrawn" else victor  # the applicant withdraws, the verifier returns
    with pytest.raises(ApplicationError, match="alasan|reason"):
        application_act(app, name, actor=actor, reason="  ")
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED


def test_a_transition_out_of_order_is_refused_with_a_clear_message_and_nothing_changes(alice, victor):
    app = ApplicationFactory(applicant=alice, status=Status.DRAFT)
    with translation.override("en"), pytest.raises(ApplicationError) as exc:
        application_act(app, "named", actor=victor)
    assert "is draft; “Name the ticked applicants as participants” is not possible now" in str(exc.value)
    app.refresh_from_db()
    assert app.status == Status.DRAFT
    assert not history_for(app).exists()


def test_withdrawal_after_the_test_is_refused(alice):
    app = ApplicationFactory(applicant=alice, status=Status.ASSESSED)
    with pytest.raises(ApplicationError):
        application_act(app, "withdrawn", actor=alice, reason="berubah pikiran")


def test_timestamps_follow_the_transitions(alice_profile, scheme, victor, lina):
    from applicants import services

    from .helpers import accept_all, submitted_application

    app = submitted_application(alice_profile, scheme)
    assert app.submitted_at is not None
    accept_all(app, victor)
    app = services.application_complete(app, actor=victor)
    assert app.completed_at is not None
    services.check_record(app, actor=victor, kind="administrative", result="passed")
    services.check_record(app, actor=victor, kind="substantive", result="passed")
    app = application_act(app, "verified", actor=victor)
    assert app.decided_at is not None
    app = application_act(app, "named", actor=lina, reason="800/1/BKPSDM/2026")
    assert app.named_at is not None


def test_rejection_cancels_the_clock(alice, victor):
    from certportal.sla import services as sla

    app = ApplicationFactory(applicant=alice, status=Status.SUBMITTED)
    application_act(app, "completed", actor=victor)
    application_act(app, "rejected", actor=victor, reason="Pangkat belum memenuhi")
    clock = sla.clock_for(app, "certification")
    assert clock.outcome == "cancelled"
