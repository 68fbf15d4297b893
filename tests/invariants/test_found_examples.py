"""Contradictions the invariant test (``test_workflow_invariants.py``) found, each kept as a regular test.

Each test is the shortest story that produces one contradiction: the services called in order by the right
people (through :mod:`tests.invariants.actions`), then the invariant of :mod:`tests.invariants.checks` that the
records must keep. A refusal along the way is an acceptable answer (``attempt``): what matters is that no
contradicting record is left.

They are regression tests for issue 13 (items 1–4: the workflow core, time guards, corrections, certificate batch
rules): each failed on the main branch of 23 November 2026 and passes since that work was merged; they stay, not
skipped, so that a change which brings a contradiction back fails here with its shortest story.

Where each comes from: the state machine found, on that main (run with the invariant it had just tripped set
aside, to find the next), the event held and decided before its day (its first failing example, shrunk to one
``advance_event`` a week early), the print job whose status history is not in its own audit rows, the decision
left standing after a correction, and a withdrawn certificate printed in a whole-event batch. The others are the
contradictions listed in issue 13 (a suspended or expired certificate printed or handed over, a certificate on a
K decision that a correction took away — valid while the decision it rests on is gone) and the appeal whose
audit row names its outcome instead of its state, written as the shortest story and checked with the same
invariants.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from applicants.models import Status as AppStatus
from assessments.certificates.models import Certificate, PrintJob
from assessments.certificates.services import suspended_after_correction
from assessments.certificates.workflow import not_printable
from certportal.errors import PortalError
from certportal.notifications.models import Notification
from certportal.workflow import allowed_actions

from . import actions, checks


def attempt(fn, *args, **kwargs):
    """Call an action; a refusal (PortalError) is an answer. Returns None when refused."""
    try:
        return fn(*args, **kwargs)
    except PortalError:
        return None


def decided(world, event, time_machine, *, keys=("alice",), results=("K",)):
    """Participants named, the event prepared before its day, held on the day (one hour after its start), the
    results signed and reviewed, each participant decided on the recommendation; returns the participants."""
    participants = actions.named_participants(world, event, keys)
    actions.event_walk(world, event, upto=4)
    time_machine.move_to(event.starts_at + datetime.timedelta(hours=1))
    actions.event_walk(world, event, upto=7, results=results)
    for p in participants:
        actions.participant_decide(p, actor=world.lina)
    return [actions.fresh(p) for p in participants]


def certified(world, event, time_machine, keys=("alice",)):
    """Decided K, holder obligations accepted, certificate issued; returns the certificates."""
    out = []
    for p in decided(world, event, time_machine, keys=keys):
        actions.participant_accept_obligations(p, user=p.application.applicant)
        out.append(actions.certificate_issue(p, actor=world.lina))
    return out


def test_an_event_is_not_held_results_signed_or_decided_before_its_test_day(world, event):
    """23 November: results, "held", signatures, review, decision and a certificate for a test on 30 November."""
    (alice,) = actions.named_participants(world, event, ["alice"])
    actions.event_walk(world, event, upto=4)  # preparing before the day is right
    attempt(actions.attendance_record, event, actor=world.asa)
    attempt(actions.participant_accept_agreement, alice, user=world.alice)
    attempt(actions.results_record, alice, actor=world.asa, results=["K"])
    attempt(actions.step_done_by_right_people, world, event, 5)
    attempt(actions.report_sign_as_assessor, event, actor=world.asa)
    attempt(actions.step_done_by_right_people, world, event, 6)
    attempt(actions.step_done_by_right_people, world, event, 7)
    attempt(actions.participant_decide, alice, actor=world.lina)
    attempt(actions.result_letter_issue, alice, actor=world.lina)
    attempt(actions.participant_accept_obligations, alice, user=world.alice)
    attempt(actions.certificate_issue, alice, actor=world.lina)

    assert checks.documents_before_test() == []


def test_a_result_corrected_after_the_decision_does_not_leave_the_old_decision_and_letter_standing(
        world, event, time_machine):
    """A BK result corrected to K after the decision left "recommendation K / decision BK" and a BK letter."""
    (alice,) = decided(world, event, time_machine, results=["K", "BK"])
    assert alice.decision == "BK"
    actions.result_letter_issue(alice, actor=world.lina)
    time_machine.shift(datetime.timedelta(days=2))

    actions.result_correct(alice, actor=world.lina, unit_index=1, result="K")

    assert checks.decisions_against_results() == []


def test_no_certificate_is_issued_on_a_k_decision_that_a_correction_took_away(world, event, time_machine):
    (alice,) = decided(world, event, time_machine)
    actions.participant_accept_obligations(alice, user=world.alice)
    actions.result_correct(alice, actor=world.lina, unit_index=0, result="BK")

    attempt(actions.certificate_issue, alice, actor=world.lina)

    assert checks.certificates_without_k() == []


def test_a_suspended_certificate_is_not_handed_over(world, event, time_machine):
    (cert,) = certified(world, event, time_machine)
    actions.certificate_suspend(cert, actor=world.lina, days=30)
    before = checks.certificate_states()

    handover = attempt(actions.handover, actor=world.victor, certificate=cert)

    assert checks.handed_over_invalid(handover, before) == []


def test_an_expired_certificate_is_not_handed_over(world, event, time_machine):
    (cert,) = certified(world, event, time_machine)
    time_machine.move_to(timezone.make_aware(datetime.datetime.combine(
        cert.expires_on + datetime.timedelta(days=2), datetime.time(10, 0))))
    before = checks.certificate_states()
    assert before[cert.number] == "expired"

    handover = attempt(actions.handover, actor=world.victor, certificate=cert)

    assert checks.handed_over_invalid(handover, before) == []


def test_a_whole_event_print_leaves_out_suspended_and_withdrawn_certificates(world, event, time_machine):
    alice_cert, bob_cert = certified(world, event, time_machine, keys=("alice", "bob"))
    actions.certificate_suspend(alice_cert, actor=world.lina, days=30)
    actions.certificate_withdraw(bob_cert, actor=world.lina)
    before = checks.certificate_states(event)

    job = attempt(actions.batch_print, event, actor=world.lina, kind=PrintJob.Kind.CERTIFICATES)

    assert checks.printed_invalid(actions.printed_text(job) if job else "", before) == []


def test_a_whole_event_print_leaves_out_expired_certificates(world, event, time_machine):
    alice_cert, _bob_cert = certified(world, event, time_machine, keys=("alice", "bob"))
    time_machine.move_to(timezone.make_aware(datetime.datetime.combine(
        alice_cert.expires_on + datetime.timedelta(days=2), datetime.time(10, 0))))
    before = checks.certificate_states(event)

    job = attempt(actions.batch_print, event, actor=world.lina, kind=PrintJob.Kind.CERTIFICATES)

    assert checks.printed_invalid(actions.printed_text(job) if job else "", before) == []


def test_an_appeal_decision_is_audited_with_the_state_the_appeal_reaches(world, event, time_machine):
    """The appeal becomes "decided" but its audit row says it went to "dismissed" (not a state of an appeal)."""
    (alice,) = decided(world, event, time_machine, results=["BK"])
    appeal = actions.appeal_file(alice, user=world.alice)

    actions.appeal_decide(appeal, actor=world.quinn, outcome="dismissed")

    assert checks.audit_trail_gaps() == []


def test_a_print_job_keeps_its_status_history_in_its_own_audit_rows(world, event, time_machine):
    """A print job goes queued → running → done, but its audit rows are written on the event, not on the job."""
    decided(world, event, time_machine, results=["BK"])

    job = actions.batch_print(event, actor=world.lina, kind=PrintJob.Kind.LETTERS)

    assert job.status == PrintJob.Status.DONE
    assert checks.audit_trail_gaps() == []


# --- a certificate issued before a result correction -------------------------------------------------------------

def _verification_status(cert) -> str:
    """What the public verification page says (anyone, no login)."""
    with translation.override(translation.get_language()):  # the request switches this thread's language
        page = Client().get(reverse("assessments:verify-code", kwargs={"code": cert.verification_code}))
    assert page.status_code == 200
    html = page.content.decode()
    return html.split('data-status="', 1)[1].split('"', 1)[0]


def _corrected(world, event, time_machine, result: str):
    """Certified, two days later one unit corrected to ``result``; returns (certificate, participant)."""
    (cert,) = certified(world, event, time_machine)
    time_machine.shift(datetime.timedelta(days=2))
    actions.result_correct(cert.participant, actor=world.lina, unit_index=0, result=result)
    return actions.fresh(cert), actions.fresh(cert.participant)


@translation.override("en")
def test_a_certificate_whose_result_is_corrected_to_bk_is_suspended_then_withdrawn_after_the_bk_decision(
        world, event, time_machine):
    """Was: the certificate stayed valid while the K decision it rests on was cleared (and then became BK)."""
    cert, alice = _corrected(world, event, time_machine, "BK")

    assert cert.status == Certificate.Status.SUSPENDED and cert.state() == "suspended"
    assert "Salah catat pada lembar hasil" in cert.status_reason  # the correction's reason
    assert cert.suspended_until == cert.expires_on  # until lifted: the public page says "until further notice"
    assert _verification_status(cert) == "suspended"
    assert not_printable(cert, timezone.localdate()) == "the certificate is suspended"  # no date: until lifted
    assert Notification.objects.filter(user=world.alice, subject__contains=cert.number).exists()  # as any suspension
    assert alice.application.status == AppStatus.ASSESSED
    assert checks.violations() == []

    reinstate = allowed_actions(cert, world.lina)["reinstated"]
    assert not reinstate.allowed and reinstate.offer_reason and "pending" in reinstate.reason
    with pytest.raises(PortalError, match="pending"):
        actions.certificate_reinstate(cert, actor=world.lina)
    assert attempt(actions.certificate_suspend, cert, actor=world.lina, days=5) is None  # it would run out
    assert attempt(actions.certificate_replace, cert, actor=world.lina) is None

    actions.participant_decide(alice, actor=world.lina)  # the recommendation: BK
    assert actions.fresh(alice).application.status == AppStatus.NOT_YET_COMPETENT
    with pytest.raises(PortalError, match="BK"):
        actions.certificate_reinstate(cert, actor=world.lina)
    assert allowed_actions(actions.fresh(cert), world.lina)["withdrawn"].allowed
    actions.certificate_withdraw(cert, actor=world.lina)

    assert _verification_status(cert) == "withdrawn"
    assert checks.violations() == []


def test_a_certificate_suspended_by_a_correction_is_reinstated_after_a_new_k_decision(world, event, time_machine):
    cert, alice = _corrected(world, event, time_machine, "K")
    assert cert.state() == "suspended"

    actions.participant_decide(alice, actor=world.lina)  # K again
    assert allowed_actions(cert, world.lina)["reinstated"].allowed
    cert = actions.certificate_reinstate(cert, actor=world.lina)

    assert cert.state() == "valid" and _verification_status(cert) == "valid"
    assert actions.fresh(alice).application.status == AppStatus.CERTIFIED
    assert checks.violations() == []


def test_a_certificate_suspended_by_a_correction_is_replaced_directly_after_a_new_k_decision(
        world, event, time_machine):
    cert, alice = _corrected(world, event, time_machine, "K")
    actions.participant_decide(alice, actor=world.lina)

    new = actions.certificate_replace(cert, actor=world.lina)

    assert new.replaces_id == cert.pk and new.state() == "valid"
    assert actions.fresh(cert).status == Certificate.Status.WITHDRAWN
    assert actions.fresh(alice).application.status == AppStatus.CERTIFIED
    assert checks.violations() == []


@translation.override("en")
def test_a_complaint_suspension_is_not_replaced_without_lifting_it(world, event, time_machine):
    """Only a suspension that a new K decision followed (a correction's) is replaced directly."""
    (cert,) = certified(world, event, time_machine)
    actions.certificate_suspend(cert, actor=world.lina, days=30)

    with pytest.raises(PortalError, match="suspended"):
        actions.certificate_replace(cert, actor=world.lina)
    assert not allowed_actions(actions.fresh(cert), world.lina)["replaced"].allowed


@translation.override("en")
def test_a_later_suspension_after_a_reinstated_correction_is_an_ordinary_one(world, event, time_machine):
    """Corrected, decided K again and reinstated; suspended later for another reason (a complaint): that suspension
    is not "after a correction" (not in the LSP admin's correction queue) and is not replaced without lifting it."""
    cert, alice = _corrected(world, event, time_machine, "K")
    assert list(suspended_after_correction()) == [cert]
    actions.participant_decide(alice, actor=world.lina)
    cert = actions.certificate_reinstate(cert, actor=world.lina)
    assert list(suspended_after_correction()) == []

    cert = actions.certificate_suspend(cert, actor=world.lina, days=30)

    assert list(suspended_after_correction()) == []
    assert not allowed_actions(actions.fresh(cert), world.lina)["replaced"].allowed
    with pytest.raises(PortalError, match="suspended"):
        actions.certificate_replace(cert, actor=world.lina)
    assert checks.violations() == []
