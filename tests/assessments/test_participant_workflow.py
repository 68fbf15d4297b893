"""Participants, results, decisions, appeals and result letters on the workflow core (issue 13, items 1-3).

The buttons a page offers come from ``allowed_actions``; the services take the same arrows through
``transition()``: per state and per role, what is offered is exactly what is accepted."""

import datetime
import io

import pytest
from django.db import transaction
from django.utils import timezone, translation
from pypdf import PdfReader

from applicants.models import Status as AppStatus
from assessments import services
from assessments.certificates import services as certs
from assessments.certificates.models import ResultLetter
from assessments.events.models import Participant, ParticipantStatus
from certportal.audit.models import AuditEntry
from certportal.workflow import allowed_actions, transition

from .factories import GAP_REASON, agree, decide, mark_all_present, pleno_for, run_steps, the_test_day_arrives

pytestmark = pytest.mark.django_db
S = ParticipantStatus

# what a service would submit with each arrow (so that only the rules, not missing values, decide)
CHANGES = {"decided_competent": {"decision": "K", "decision_note": "Sesuai bukti"},
           "decided_not_yet_competent": {"decision": "BK", "decision_note": "Sesuai bukti"},
           "dismissed": {"outcome": "dismissed", "outcome_note": "Keputusan tetap"},
           "upheld": {"outcome": "reassess", "outcome_note": "Nilai ulang"}}


class _Rollback(Exception):
    pass


def _accepted(obj, name: str, user) -> bool:
    """Take the arrow for real inside a savepoint that is then rolled back: did the core accept it?"""
    try:
        with transaction.atomic():
            transition(obj, name, user=user, reason="Alasan uji", **CHANGES.get(name, {}))
            raise _Rollback
    except _Rollback:
        return True
    except services.AssessmentError:
        return False
    finally:
        obj.refresh_from_db()


def _assert_offered_equals_accepted(obj, users) -> set:
    offered = set()
    for user in users:
        for name, action in allowed_actions(obj, user).items():
            assert action.allowed == _accepted(obj, name, user), (obj.status, user, name, action.reason)
            if action.allowed:
                offered.add((user.email, name))
    return offered


def test_buttons_offered_are_exactly_the_arrows_accepted_per_state_and_role(event, lina, lina2, tono, asa, alice,
                                                                            bob, monkeypatch):
    users = [lina, lina2, tono, asa, alice, bob]
    p = event.participants.get(application__applicant=alice)
    # named, before the test: nobody may record or decide anything
    assert not {n for _e, n in _assert_offered_equals_accepted(p, users)} & {"result_recorded", "decided_competent"}
    run_steps(event, 4, admin=lina, tuk_head=tono)
    agree(p)
    the_test_day_arrives(event)
    mark_all_present(event, actor=asa)
    assert ("asa@example.go.id", "result_recorded") in _assert_offered_equals_accepted(p, users)
    for q in event.participants.all():
        for unit in services.units_to_assess(q):
            agree(q)
            services.result_record(q, actor=asa, unit=unit, result="BK" if q.pk != p.pk else "K",
                                   evidence="Portofolio", explanation="Belum cukup bukti", evidence_gap_reason=GAP_REASON)
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    run_steps(event, 7, admin=lina, tuk_head=tono)
    p.refresh_from_db()
    assert p.status == S.AWAITING_DECISION
    pleno = pleno_for(event, admin=lina)  # the event has a plan: its decisions are the pleno's
    for name in ("decided_competent", "decided_not_yet_competent"):
        monkeypatch.setitem(CHANGES, name, {**CHANGES[name], "pleno": pleno})
    offered = _assert_offered_equals_accepted(p, users)
    assert {("lina@example.go.id", "decided_competent"), ("lina@example.go.id", "result_corrected")} <= offered
    assert not any(email == "asa@example.go.id" for email, _n in offered)
    bob_p = event.participants.get(application__applicant=bob)
    decide(bob_p, actor=lina, decision="BK")
    bob_p.refresh_from_db()
    assert ("bob@example.go.id", "appealed") in _assert_offered_equals_accepted(bob_p, users)
    assert ("alice@example.go.id", "appealed") not in _assert_offered_equals_accepted(bob_p, users)
    appeal = services.appeal_file(bob_p, user=bob, grounds="Bukti saya tidak diperiksa")
    offered = _assert_offered_equals_accepted(appeal, users)
    assert ("lukas@example.go.id", "dismissed") in offered
    assert ("lina@example.go.id", "dismissed") not in offered  # Lina decided the case


def test_no_result_and_no_decision_before_the_test_with_the_date_in_both_languages(on_23_november, event, lina, tono,
                                                                                   asa, alice):
    """On 23 November an event dated 8 December takes no result, in the service as on the page."""
    event.starts_at = timezone.make_aware(datetime.datetime(2026, 12, 8, 9, 0))
    event.save(update_fields=["starts_at"])
    run_steps(event, 4, admin=lina, tuk_head=tono)
    p = event.participants.get(application__applicant=alice)
    agree(p)
    unit = services.units_to_assess(p).first()
    for language, words in (("id", "8 Desember 2026"), ("en", "8 December 2026")):
        with translation.override(language):
            action = allowed_actions(p, asa)["result_recorded"]
            assert not action.allowed and words in action.reason
            with pytest.raises(services.AssessmentError, match=words):
                services.result_record(p, actor=asa, unit=unit, result="K", evidence="Portofolio",
                                       evidence_gap_reason=GAP_REASON)
    assert not p.results.exists()


def test_a_bk_corrected_to_k_after_the_decision_reopens_it_and_withdraws_the_letter(decided, lina, bob, scheme):
    p = decided.participants.get(application__applicant=bob)
    assert (p.status, p.decision) == (S.NOT_YET_COMPETENT, "BK")
    old = certs.result_letter_issue(p, actor=lina)
    assert old.issued_on == timezone.localtime(p.decided_at).date()
    row = p.results.get(result="BK")
    services.result_correct(row, actor=lina, result="K", evidence="Bukti SOP diperiksa ulang", explanation="",
                            reason="Bukti SOP terlewat", evidence_gap_reason=GAP_REASON)
    p.refresh_from_db()
    assert (p.status, p.recommendation, p.decision) == (S.AWAITING_DECISION, "K", "")
    assert p.application.status == AppStatus.ASSESSED
    old.refresh_from_db()
    assert old.status == ResultLetter.Status.WITHDRAWN and old.withdrawn_at and "Bukti SOP terlewat" in old.withdrawn_reason
    codes = list(AuditEntry.objects.for_object(p).values_list("action", flat=True))
    assert "assessments.participant.result_corrected" in codes
    assert AuditEntry.objects.for_object(old).filter(action="assessments.resultletter.withdrawn").exists()

    decide(p, actor=lina, decision="K")
    p.refresh_from_db()
    assert p.application.status == AppStatus.COMPETENT
    new = certs.result_letter_issue(p, actor=lina)
    assert new.pk != old.pk and new.outcome == "K" and new.number != old.number
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(certs.letter_pdf(new))).pages)
    text = " ".join(text.split())  # the line may wrap inside the outcome (the decree's number varies in length)
    assert "KOMPETEN (K)" in text and "BELUM" not in text
    withdrawn = "".join(page.extract_text() for page in PdfReader(io.BytesIO(certs.letter_pdf(old))).pages)
    assert "DITARIK" in withdrawn


def test_a_correction_after_the_certificate_offers_the_correcting_certificate(decided, lina, alice, login, scheme):
    p = decided.participants.get(application__applicant=alice)
    services.participant_accept_obligations(p, user=alice)
    cert = certs.certificate_issue(p, actor=lina)
    row = p.results.first()
    services.result_correct(row, actor=lina, result="K", evidence="Bukti dilengkapi", explanation="",
                            reason="Bukti tertulis salah")
    p.refresh_from_db()
    assert p.status == S.AWAITING_DECISION
    page = login(lina).get(f"/asesmen/peserta/{p.pk}/").content.decode()
    assert 'id="certificate-to-correct"' in page and cert.number in page
    decide(p, actor=lina, decision="K")
    new = certs.certificate_replace(cert, actor=lina, reason="Koreksi hasil unit", holder_name=cert.holder_name)
    assert new.replaces == cert


def test_the_letter_is_never_dated_before_the_test_nor_before_the_decision(decided, lina, alice):
    p = decided.participants.get(application__applicant=alice)
    day_before = timezone.localtime(decided.starts_at).date() - datetime.timedelta(days=1)
    with pytest.raises(services.AssessmentError, match="before the test"):
        certs.result_letter_issue(p, actor=lina, on=day_before)
    assert not ResultLetter.objects.filter(participant=p).exists()


def test_the_decision_is_an_arrow_of_the_participant_with_its_audit_row(decided, alice):
    p = Participant.objects.get(event=decided, application__applicant=alice)
    entry = AuditEntry.objects.for_object(p).get(action="assessments.participant.decided_competent")
    assert (entry.from_state, entry.to_state) == (S.AWAITING_DECISION, S.COMPETENT)


def test_a_withdrawn_letter_is_not_handed_over(decided, lina, bob):
    p = decided.participants.get(application__applicant=bob)
    old = certs.result_letter_issue(p, actor=lina)
    services.result_correct(p.results.get(result="BK"), actor=lina, result="K", evidence="Bukti lengkap",
                            explanation="", reason="Salah nilai")
    with pytest.raises(services.AssessmentError, match="withdrawn result letter"):
        certs.handover_record(actor=lina, letter=old, received_by="Bob Applicant")
    assert not old.handovers.exists()
