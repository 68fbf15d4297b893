"""The written multiple-choice test FR.IA.05 taken in the browser (issue 19 item 2): started by the participant
when the plan of their event asks it, questions drawn per participant and unit, autosaved answers, a deadline the
server enforces, scored into one signed FR.IA.05 record per unit; a participant sees only the questions of their
own running test, staff read the answer sheet (audited) and the PDF."""

import datetime
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments import services
from assessments.events.models import Event, EventStatus
from assessments.instruments.models.plans import BankItem
from assessments.instruments.models.records import InstrumentRecord, WrittenTest
from assessments.instruments.services import bank as bank_services
from assessments.instruments.services import written_test as wt
from certportal.audit.models import AuditEntry
from tests.assessments.factories import agree, make_application, planned_event, run_steps
from tests.factories import UserFactory

from .written_factories import fill_bank, plan_with_written_test, right_choice, wrong_choice

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(scheme):
    return [su.unit for su in scheme.scheme_units.order_by("position")]


@pytest.fixture
def exam(lina, scheme, site, assessor, alice_app, bob_app, units):
    """An event that began an hour ago, planned with FR.IA.05 for the first two units (3 questions each, 30
    minutes, pass mark 70%), each with six questions in its bank; Alice and Bob accepted FR.AK.01."""
    plan_with_written_test(scheme, admin=lina, units=units[:2])
    for unit in units[:2]:
        fill_bank(unit, actor=lina)
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[alice_app, bob_app])
    for p in event.participants.all():
        agree(p)
    return event


@pytest.fixture
def alice_p(exam, alice):
    return exam.participants.get(application__applicant=alice)


@pytest.fixture
def bob_p(exam, bob):
    return exam.participants.get(application__applicant=bob)


def start(participant):
    return wt.written_test_start(participant, user=participant.application.applicant)


# --- starting --------------------------------------------------------------------------------------------------


def test_alice_starts_her_test_from_her_page_and_gets_three_questions_per_planned_unit(login, alice, alice_p, units):
    c = login(alice)
    page = c.get(reverse("assessments:my-participation", args=[alice_p.pk])).content.decode()
    assert "Tes tertulis pilihan ganda (FR.IA.05)" in page and "Mulai tes tertulis" in page
    assert units[0].code in page and units[2].code not in page.split('id="written-test"')[1].split("</div></div>")[0]
    response = c.post(reverse("assessments:my-test-start", args=[alice_p.pk]), follow=True)
    assert "Tes tertulis Anda sudah dimulai." in response.content.decode()
    test = WrittenTest.objects.get(participant=alice_p)
    per_unit = {u.pk: sum(q["unit"] == u.pk for q in test.questions) for u in units}
    assert per_unit == {units[0].pk: 3, units[1].pk: 3, units[2].pk: 0}
    assert test.total == 6 and test.status == "running"
    assert test.deadline - test.started_at == datetime.timedelta(minutes=30)
    for q in test.questions:
        assert sorted(q["order"]) == [0, 1, 2, 3]
    entry = AuditEntry.objects.get(action="assessments.writtentest.started")
    assert entry.actor == alice and entry.note == "6 soal, 2 unit, 30 menit"
    assert test.questions[0]["text"] in response.content.decode()  # the test page, with the first question


def test_each_participant_draws_their_own_questions_and_option_orders(lina, alice_p, bob_p, units):
    for n in range(7, 16):  # a bigger bank, so that two draws are all but never the same
        fill_bank(units[0], actor=lina, count=1, prefix=f"Tambahan {n} ")
    draws = [start(p).questions for p in (alice_p, bob_p)]
    shown = [[(q["item"], tuple(q["order"])) for q in d] for d in draws]
    assert shown[0] != shown[1]
    for d in draws:
        items = [q["item"] for q in d]
        assert len(items) == len(set(items))


def test_fewer_questions_are_drawn_when_the_bank_has_fewer_and_out_of_use_ones_never(lina, alice_p, units):
    kept = BankItem.objects.filter(unit=units[1]).order_by("id")
    for item in kept[2:]:
        bank_services.bank_item_set_active(item, actor=lina, active=False)
    test = start(alice_p)
    drawn = {q["item"] for q in test.questions if q["unit"] == units[1].pk}
    assert drawn == set(kept[:2].values_list("pk", flat=True))


def test_a_unit_without_questions_refuses_the_start_and_nothing_is_drawn(login, lina, alice, alice_p, units):
    for item in BankItem.objects.filter(unit=units[1]):
        bank_services.bank_item_set_active(item, actor=lina, active=False)
    response = login(alice).post(reverse("assessments:my-test-start", args=[alice_p.pk]), follow=True)
    assert (f"Bank soal unit {units[1].code} belum memiliki soal pilihan ganda: beri tahu asesor Anda."
            in response.content.decode())
    assert not WrittenTest.objects.exists()


def test_the_test_waits_for_the_start_of_the_event_the_agreement_and_presence(lina, tono, alice_p, bob_p):
    Event.objects.filter(pk=alice_p.event_id).update(starts_at=timezone.now() + datetime.timedelta(days=1))
    alice_p.refresh_from_db()
    assert "setelah uji kompetensi dimulai" in _refusal_id(alice_p)
    Event.objects.filter(pk=alice_p.event_id).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    alice_p.refresh_from_db()
    type(alice_p).objects.filter(pk=alice_p.pk).update(agreement_accepted_at=None)  # set-up: not accepted yet
    alice_p.refresh_from_db()
    assert _refusal_id(alice_p) == "Setujui dahulu persetujuan asesmen (FR.AK.01)."
    with pytest.raises(services.AssessmentError, match="Accept the assessment agreement"):
        start(alice_p)
    run_steps(bob_p.event, 4, admin=lina, tuk_head=tono)
    services.attendance_record(bob_p.event, actor=tono, participants={bob_p.pk: False}, assessors={})
    bob_p.refresh_from_db()
    assert _refusal_id(bob_p) == "Anda tercatat tidak hadir dalam uji kompetensi."
    Event.objects.filter(pk=alice_p.event_id).update(status=EventStatus.REPORT_SIGNED)  # set-up: results locked
    alice_p.refresh_from_db()
    assert "tes tertulis ditutup" in _refusal_id(alice_p)
    assert not WrittenTest.objects.exists()


def _refusal_id(participant) -> str:
    from django.utils import translation

    with translation.override("id"):
        return wt.start_refusal(participant)


def test_a_test_is_started_once(alice_p):
    start(alice_p)
    with pytest.raises(services.AssessmentError, match="already started"):
        start(alice_p)
    assert WrittenTest.objects.count() == 1


def test_no_card_without_a_written_test_in_the_plan(login, lina, alice, site, assessor, scheme):
    from .factories import validated_plan

    validated_plan(scheme)  # the seed-000 plan: no FR.IA.05
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor,
                          applications=[make_application(scheme, UserFactory(roles=["applicant"]))])
    p = event.participants.get()
    assert wt.written_units(p) == []
    page = login(p.application.applicant).get(reverse("assessments:my-participation", args=[p.pk])).content
    assert b'id="written-test"' not in page


# --- answering and scoring ---------------------------------------------------------------------------------------


def test_answers_autosave_and_the_submit_scores_each_unit_into_a_signed_record(login, alice, alice_p, units):
    test = start(alice_p)
    c = login(alice)
    answer_url = reverse("assessments:my-test-answer", args=[alice_p.pk])
    first_unit = [q for q in test.questions if q["unit"] == units[0].pk]
    second_unit = [q for q in test.questions if q["unit"] == units[1].pk]
    for q in first_unit:  # all right
        response = c.post(answer_url, {"item": q["item"], "choice": right_choice(test, q["item"])})
        assert response.status_code == 200 and response.json()["saved"]
    c.post(answer_url, {"item": second_unit[0]["item"], "choice": right_choice(test, second_unit[0]["item"])})
    c.post(answer_url, {"item": second_unit[1]["item"], "choice": wrong_choice(test, second_unit[1]["item"])})
    refused = c.post(answer_url, {"item": second_unit[2]["item"], "choice": 9})
    assert refused.status_code == 422 and refused.json()["message"] == "Pilih salah satu pilihan jawaban."
    forged = c.post(answer_url, {"item": 999999, "choice": 0})
    assert forged.json()["message"] == "Soal ini tidak ada dalam tes Anda."
    test.refresh_from_db()
    assert len(test.answers) == 5
    # each change is in the test's answer history, none is an audit row (the trail keeps the test's acts)
    assert test.changes.count() == 5 and not AuditEntry.objects.filter(action="assessments.writtentest.answered")
    # the last answer, never autosaved (a dropped connection), travels with the submit
    last = second_unit[2]["item"]
    response = c.post(reverse("assessments:my-test-submit", args=[alice_p.pk]),
                      {"confirm": "1", f"q-{last}": wrong_choice(test, last)}, follow=True)
    page = response.content.decode()
    assert "Jawaban Anda sudah diserahkan dan dinilai." in page
    test.refresh_from_db()
    assert (test.status, test.correct, test.total, test.timed_out) == ("submitted", 4, 6, False)
    one, two = (InstrumentRecord.objects.get(participant=alice_p, unit=u, instrument="IA.05") for u in units[:2])
    assert (one.status, one.outcome, one.details["correct"], one.details["percent"]) == ("signed", "satisfactory", 3,
                                                                                         100)
    assert (two.status, two.outcome, two.details["correct"], two.details["percent"]) == (
        "signed", "not_satisfactory", 1, 33)
    assert two.signed_name == wt.SYSTEM_SIGNATURE and two.recorded_by is None and two.signed_at == test.submitted_at
    entry = two.entries[1]
    assert set(entry) >= {"item", "text", "chosen", "correct", "options", "key"} and entry["correct"] is False
    assert two.snapshot["unit"]["code"] == units[1].code and len(two.snapshot["questions"]) == 3
    assert AuditEntry.objects.filter(action="assessments.writtentest.submitted", actor=alice).count() == 1
    assert AuditEntry.objects.filter(action="assessments.instrumentrecord.scored").count() == 2
    # the plan's evidence for the unit now rests on the record
    line = next(x for x in services.evidence_state(alice_p, units[0].pk).lines if x.row.instrument == "IA.05")
    assert line.sufficient


def _kinds(captured) -> list[str]:
    """Each statement as its verb and the first table it reads or writes (the test's savepoints left out)."""
    kinds = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if "SAVEPOINT" not in sql:
            table = re.search(r'(?:FROM|UPDATE|INTO) "?(\w+)', sql).group(1)
            kinds.append(f"{sql.split()[0]}{' FOR UPDATE' if 'FOR UPDATE' in sql else ''} {table}")
    return kinds


def test_an_autosave_is_one_statement_that_writes_the_answer_and_its_history(login, alice, alice_p, bob_p):
    """200 participants click at once: beyond the session, the user and their roles, a changed answer is one
    statement, which writes it into the person's own running test with its history row (docs/benchmarks.md)."""
    test, bobs = start(alice_p), start(bob_p)
    c = login(alice)
    url = reverse("assessments:my-test-answer", args=[alice_p.pk])
    item = test.questions[0]["item"]
    c.post(url, {"item": item, "choice": 0})  # the session's first request (its last-seen time written)
    with CaptureQueriesContext(connection) as changed:
        response = c.post(url, {"item": item, "choice": 1})
    assert response.json() == {"saved": True, "message": "tersimpan", "running": True, "answered": 1}
    with CaptureQueriesContext(connection) as same:
        assert c.post(url, {"item": item, "choice": 1}).json() == response.json()
    known = ["SELECT django_session", "SELECT accounts_user", "SELECT accounts_userrole"]
    if connection.vendor == "postgresql":
        assert _kinds(changed) == [*known, "WITH assessments_writtentest"]
        assert "INSERT INTO assessments_writtenanswer" in changed.captured_queries[-1]["sql"]
        # the option already chosen: the statement writes nothing, the test is read under its lock, and no more
        assert _kinds(same) == [*known, "WITH assessments_writtentest", "SELECT FOR UPDATE assessments_writtentest"]
    else:  # the embedded database: the test read (SQLite's write lock, taken when the transaction began), then written
        assert _kinds(changed) == [*known, "SELECT assessments_writtentest", "UPDATE assessments_writtentest",
                                   "INSERT assessments_writtenanswer"]
    test.refresh_from_db()
    assert test.answers == {str(item): 1} and test.changes.count() == 2
    # Bob's question sent to Bob's test by Alice: refused, nothing written
    other = c.post(reverse("assessments:my-test-answer", args=[bob_p.pk]), {"item": bobs.questions[0]["item"],
                                                                             "choice": 0})
    assert other.status_code == 403
    bobs.refresh_from_db()
    assert bobs.answers == {} and not bobs.changes.exists()


def test_the_bank_edited_during_a_test_does_not_change_the_test(lina, alice_p, units):
    test = start(alice_p)
    q = test.questions[0]
    item = BankItem.objects.get(pk=q["item"])
    bank_services.bank_item_save(item.unit, actor=lina, instrument="IA.05", item=item, data=bank_services.ItemData(
        text="Teks baru", options=["x", "y"], key=1))
    wt.written_answer_save(test, user=alice_p.application.applicant, item=q["item"], choice=right_choice(test,
                                                                                                         q["item"]))
    wt.written_test_submit(test, user=alice_p.application.applicant)
    record = InstrumentRecord.objects.get(participant=alice_p, unit_id=q["unit"])
    assert record.entries[0]["text"] == q["text"] != "Teks baru" and record.entries[0]["correct"]


def test_a_second_submit_is_refused_and_changes_nothing(login, alice, alice_p):
    test = start(alice_p)
    c = login(alice)
    c.post(reverse("assessments:my-test-submit", args=[alice_p.pk]), {"confirm": "1"})
    test.refresh_from_db()
    submitted_at = test.submitted_at
    again = c.post(reverse("assessments:my-test-submit", args=[alice_p.pk]), {"confirm": "1"}, follow=True)
    assert "Tes tertulis Anda sudah diserahkan: jawaban tidak dapat diubah." in again.content.decode()
    late = c.post(reverse("assessments:my-test-answer", args=[alice_p.pk]),
                  {"item": test.questions[0]["item"], "choice": 0})
    assert late.status_code == 422 and late.json()["running"] is False
    test.refresh_from_db()
    assert test.submitted_at == submitted_at and test.answers == {}
    assert InstrumentRecord.objects.filter(participant=alice_p).count() == 2


def test_the_submit_needs_the_confirmation(login, alice, alice_p):
    start(alice_p)
    response = login(alice).post(reverse("assessments:my-test-submit", args=[alice_p.pk]), follow=True)
    assert "Centang kotak untuk menyatakan Anda sudah selesai" in response.content.decode()
    assert WrittenTest.objects.get().status == "running"


def test_after_the_deadline_answers_are_refused_and_the_test_is_scored_as_saved(login, alice, alice_p):
    test = start(alice_p)
    q = test.questions[0]
    wt.written_answer_save(test, user=alice_p.application.applicant, item=q["item"], choice=right_choice(test,
                                                                                                         q["item"]))
    with time_machine.travel(test.deadline + datetime.timedelta(seconds=5), tick=False):
        c = login(alice)
        response = c.post(reverse("assessments:my-test-answer", args=[alice_p.pk]),
                          {"item": test.questions[1]["item"], "choice": right_choice(test, test.questions[1]["item"])})
        assert response.status_code == 422 and "Waktu habis pada" in response.json()["message"]
        assert response.json()["running"] is False
    test.refresh_from_db()
    assert (test.status, test.timed_out, test.correct, test.submitted_at) == ("submitted", True, 1, test.deadline)
    assert list(test.answers) == [str(q["item"])]
    entry = AuditEntry.objects.get(action="assessments.writtentest.timed_out")
    assert entry.actor is None
    assert InstrumentRecord.objects.filter(participant=alice_p, status="signed").count() == 2


def test_a_submit_after_the_deadline_scores_what_was_saved_by_then(login, alice, alice_p):
    test = start(alice_p)
    with time_machine.travel(test.deadline + datetime.timedelta(minutes=1), tick=False):
        item = test.questions[0]["item"]
        response = login(alice).post(reverse("assessments:my-test-submit", args=[alice_p.pk]),
                                     {"confirm": "1", f"q-{item}": right_choice(test, item)}, follow=True)
        assert "Waktu habis pada" in response.content.decode()
    test.refresh_from_db()
    assert test.timed_out and test.correct == 0 and test.answers == {}


def test_the_periodic_sweep_closes_tests_whose_time_ran_out(alice_p, bob_p):
    alice_test, bob_test = start(alice_p), start(bob_p)
    WrittenTest.objects.filter(pk=bob_test.pk).update(deadline=timezone.now() + datetime.timedelta(hours=2))
    with time_machine.travel(alice_test.deadline + datetime.timedelta(minutes=1), tick=False):
        from certportal.sla.registry import registered_sweeps

        assert registered_sweeps()["written-test-deadlines"](timezone.localdate()) == 1
        assert wt.written_tests_expire_due() == 0  # twice changes nothing more
    alice_test.refresh_from_db()
    bob_test.refresh_from_db()
    assert (alice_test.status, bob_test.status) == ("submitted", "running")


# --- who sees what -----------------------------------------------------------------------------------------------


def test_the_participant_sees_questions_only_while_her_own_test_runs(login, alice, bob, alice_p, bob_p):
    test = start(alice_p)
    start(bob_p)
    c = login(alice)
    page = c.get(reverse("assessments:my-test", args=[alice_p.pk]))
    text = page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    assert test.questions[0]["text"] in text and 'id="test-timer"' in text
    key_text = test.questions[0]["options"][test.questions[0]["key"]]
    assert key_text in text  # shown as an option...
    assert "kunci" not in text.lower().split('id="test-form"')[1]  # ...never marked as the key
    # another participant's test: refused, and nothing of it shown
    for name in ("my-test", "my-test-start", "my-test-answer", "my-test-submit"):
        method = c.get if name == "my-test" else c.post
        response = method(reverse(f"assessments:{name}", args=[bob_p.pk]), {"confirm": "1"})
        assert response.status_code == 403, name
    wt.written_test_submit(test, user=alice)
    after = c.get(reverse("assessments:my-test", args=[alice_p.pk]), follow=True).content.decode()
    assert test.questions[0]["text"] not in after and 'id="written-test-scores"' in after
    for unit_code in {r.unit.code for r in InstrumentRecord.objects.filter(participant=alice_p)}:
        assert unit_code in after
    assert "0 / 3" in after


@pytest.mark.slow  # a whole paper or a big export: make test runs it, make check leaves it out
def test_staff_read_the_answer_sheet_and_the_pdf_each_access_audited(login, asa, lina, quinn, alice_p):
    test = start(alice_p)
    wt.written_test_submit(test, user=alice_p.application.applicant)
    for user in (asa, lina, quinn):
        c = login(user)
        card = c.get(reverse("assessments:participant", args=[alice_p.pk])).content.decode()
        assert 'id="staff-written-scores"' in card and "0 / 3" in card
        sheet = c.get(reverse("assessments:test-sheet", args=[alice_p.pk]))
        assert sheet.status_code == 200 and sheet["Cache-Control"] == "private, no-store"
        text = sheet.content.decode()
        assert test.questions[0]["text"] in text and "Kunci" in text and "Rahasia" in text
        assert AuditEntry.objects.filter(action="assessments.writtentest.answers_viewed", actor=user).count() == 1
        pdf = c.get(reverse("assessments:test-pdf", args=[alice_p.pk]))
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert AuditEntry.objects.filter(action="assessments.writtentest.printed", actor=user).count() == 1


def test_the_applicant_other_assessors_and_the_tuk_head_never_read_the_keys(login, alice, bob, tono,
                                                                          other_assessor_user, alice_p):
    test = start(alice_p)
    wt.written_test_submit(test, user=alice)
    for user in (alice, bob, tono, other_assessor_user):
        c = login(user)
        for name in ("test-sheet", "test-pdf"):
            assert c.get(reverse(f"assessments:{name}", args=[alice_p.pk])).status_code == 403, (user, name)
    card = login(tono).get(reverse("assessments:participant", args=[alice_p.pk])).content.decode()
    assert 'id="staff-written-test"' not in card
    assert not AuditEntry.objects.filter(action="assessments.writtentest.answers_viewed").exists()


def test_the_running_test_has_no_answer_sheet_yet(login, asa, alice_p):
    start(alice_p)
    c = login(asa)
    assert c.get(reverse("assessments:test-sheet", args=[alice_p.pk])).status_code == 404
    card = c.get(reverse("assessments:participant", args=[alice_p.pk])).content.decode()
    assert "Berlangsung sejak" in card and "0 dari 6 soal dijawab" in card


def test_the_pdf_reads_like_bnsps_form_with_the_answers_and_the_score(login, asa, alice, alice_p, units):
    test = start(alice_p)
    for q in test.questions:
        if q["unit"] == units[0].pk:
            wt.written_answer_save(test, user=alice, item=q["item"], choice=right_choice(test, q["item"]))
    wt.written_test_submit(test, user=alice)
    data = login(asa).get(reverse("assessments:test-pdf", args=[alice_p.pk])).content
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)
    for expected in ("FR.IA.05 · Versi 1", "FR.IA.05. PERTANYAAN TERTULIS PILIHAN GANDA", "Alice Applicant, S.Sos.",
                     "Asa Assessor", alice_p.event.test_site.name, alice_p.event.scheme.code, units[0].code,
                     units[1].code, "Lembar Jawaban dan Pencapaian", "Kunci Jawaban",
                     f"Skor unit {units[0].code}: 3 dari 3 jawaban benar (100%)",
                     f"Skor unit {units[1].code}: 0 dari 3 jawaban benar (0%)", "BELUM MEMADAI",
                     "(tidak dijawab)", wt.SYSTEM_SIGNATURE, "Jumlah seluruhnya: 3 dari 6 jawaban benar"):
        assert expected in text, expected
    first = test.questions[0]
    assert " ".join(first["text"].split()) in text


def test_every_change_is_kept_in_the_answer_history_and_the_auditor_reads_the_final_times(
        login, alice, asa, alice_p):
    """Autosave keeps what an auditor needs without an audit row per click: each change (question, option, time)
    in the answer history; the final answer's time and the number of changes frozen in the scored record, on the
    answer sheet and in FR.IA.05; every change listed for staff; ONE audit row when the test ends."""
    test = start(alice_p)
    item = test.questions[0]["item"]
    first, second = wrong_choice(test, item), right_choice(test, item)
    began = test.started_at
    with time_machine.travel(began + datetime.timedelta(minutes=2), tick=False):
        wt.written_answer_save(test, user=alice, item=item, choice=first)
    with time_machine.travel(began + datetime.timedelta(minutes=5, seconds=7), tick=False):
        wt.written_answer_save(test, user=alice, item=item, choice=second)
    with time_machine.travel(began + datetime.timedelta(minutes=6), tick=False):
        wt.written_answer_save(test, user=alice, item=item, choice=second)  # the same option again: no change
        wt.written_test_submit(test, user=alice)
    assert list(test.changes.values_list("choice", flat=True)) == [first, second]
    assert not AuditEntry.objects.filter(action="assessments.writtentest.answered").exists()
    ended = AuditEntry.objects.get(action="assessments.writtentest.submitted")
    assert ended.note == "1 of 6 questions answered, 2 answer changes"
    record = InstrumentRecord.objects.get(participant=alice_p, unit_id=test.questions[0]["unit"])
    final = timezone.localtime(began + datetime.timedelta(minutes=5, seconds=7))
    assert (datetime.datetime.fromisoformat(record.entries[0]["answered_at"]), record.entries[0]["changes"]) == (
        final, 2)
    assert record.entries[1]["answered_at"] is None  # never answered
    sheet = login(asa).get(reverse("assessments:test-sheet", args=[alice_p.pk])).content.decode()
    assert "jawaban akhir diberikan" in sheet and "diubah 1 kali" in sheet
    assert sheet.count('class="answer-change"') == 2 and 'id="answer-history"' in sheet
    pdf = login(asa).get(reverse("assessments:test-pdf", args=[alice_p.pk])).content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert f"pukul {final:%H.%M.%S} WIB, diubah 1 kali" in text


def test_the_staff_page_of_a_participant_counts_each_autosaved_answer_at_once(login, lina, alice, alice_p):
    """The participant's page is kept for the staff (certportal.kept_pages); an autosave writes by SQL, which no
    signal reports, and forgets that page itself: the next view counts the new answer."""
    test = start(alice_p)
    staff, page = login(lina), reverse("assessments:participant", args=[alice_p.pk])

    def state() -> str:
        html = staff.get(page).content.decode()
        return re.search(r'id="staff-written-state">([^<]*)<', html).group(1)

    before = state()
    assert state() == before  # kept
    answered = login(alice).post(reverse("assessments:my-test-answer", args=[alice_p.pk]),
                                 {"item": test.questions[0]["item"], "choice": 1}).json()["answered"]
    after = state()
    assert after != before and f" {answered} " in after


def test_the_answers_autosaved_before_are_copied_into_the_history_from_their_audit_rows(alice, alice_p):
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from certportal.audit.services import audit_record

    migration = importlib.import_module("assessments.migrations.0016_written_answer_changes")
    test = start(alice_p)
    third = test.questions[2]["item"]
    audit_record(actor=alice, obj=test, action="assessments.writtentest.answered", note="soal 3: B")
    audit_record(actor=alice, obj=test, action="assessments.writtentest.answered", note="question 3: D")
    audit_record(actor=alice, obj=test, action="assessments.writtentest.answered", note="soal 99: A")  # not in it
    apps = MigrationExecutor(connection).loader.project_state(
        ("assessments", "0016_written_answer_changes")).apps
    migration.copy_answers(apps, None)
    assert list(test.changes.values_list("item", "choice")) == [(third, 1), (third, 3)]
    assert AuditEntry.objects.filter(action="assessments.writtentest.answered").count() == 3  # the trail stays
