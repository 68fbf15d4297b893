"""FR.AK.03 (issue 19 item 3): the participant's feedback on the assessment, given once by the participant after
the test and once their results are recorded; read by them, their assessor, the LSP admin and quality
management only; printed like BNSP's paper form."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.events.models import Participant
from assessments.instruments.models.feedback import (
    COMMENT_MAX_LENGTH,
    FEEDBACK_STATEMENTS,
    AssessmentFeedback,
)
from certportal.audit.models import AuditEntry
from tests.conftest import client_for

from .factories import assess, mark_all_present, run_steps, the_test_day_arrives
from .test_certificate_layout import keep, pdftotext

ALL_YES = dict.fromkeys(range(1, len(FEEDBACK_STATEMENTS) + 1), "ya")


@pytest.fixture(autouse=True)
def _people_read_english(alice, asa, lina, quinn):
    for user in (alice, asa, lina, quinn):
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])


def _alices(event) -> Participant:
    return event.participants.get(application__applicant__email="alice@example.go.id")


@pytest.fixture
def assessed(event, lina, tono, asa):
    """The test held and Alice's results recorded (no decision yet)."""
    run_steps(event, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(event)
    mark_all_present(event, actor=asa)
    assess(_alices(event), assessor_user=asa)
    return _alices(event)


def _give(p, user, **kw):
    kw.setdefault("answers", ALL_YES)
    kw.setdefault("signed_name", "Alice Applicant")
    return services.feedback_give(p, user=user, **kw)


def _form(**over) -> dict:
    data = {f"answer_{n}": "ya" for n in ALL_YES} | {"answer_4": "tidak", "comment_4": "Portofolio saya tidak dibahas",
                                                    "overall_comment": "Terima kasih", "signed_name": "alice applicant"}
    return data | over


# --- the service ----------------------------------------------------------------------------------------------

def test_nothing_before_the_test_or_before_the_results(upcoming_event, alice):
    p = _alices(upcoming_event)
    with pytest.raises(services.AssessmentError, match="after the test"):
        _give(p, alice)
    the_test_day_arrives(upcoming_event)
    with pytest.raises(services.AssessmentError, match="once your results are recorded"):
        _give(p, alice)
    assert not AssessmentFeedback.objects.exists()


def test_given_once_frozen_with_the_form_words(assessed, alice):
    feedback = _give(assessed, alice, answers=ALL_YES | {6: "tidak"}, comments={6: "Belum dijelaskan"},
                     overall_comment="  Baik  ", signed_name="ALICE   applicant")
    assert feedback.signed_name == "ALICE applicant" and feedback.overall_comment == "Baik"
    assert feedback.answers[5] == {"number": 6, "statement": "Saya mendapatkan penjelasan yang memadai mengenai "
                                   "keputusan asesmen", "statement_en": "I received an adequate explanation of the "
                                   "assessment decision", "answer": "tidak", "comment": "Belum dijelaskan"}
    assert feedback.yes_count == 9 and feedback.form_version == "1" and feedback.submitted_at
    assert AuditEntry.objects.filter(action="feedback given (FR.AK.03)", actor=alice).count() == 1
    with pytest.raises(services.AssessmentError, match="already given your feedback"):
        _give(assessed, alice)
    assert AssessmentFeedback.objects.count() == 1


def test_after_the_decision_too(decided, alice):
    p = _alices(decided)
    assert p.decision == "K" and services.feedback_due(p)
    _give(p, alice)
    assert not services.feedback_due(p)


def test_only_the_participant(assessed, bob, asa, lina):
    for someone in (bob, asa, lina):
        with pytest.raises(services.AssessmentError, match="Only the participant"):
            _give(assessed, someone, signed_name=someone.full_name)
    assert not AssessmentFeedback.objects.exists()


@pytest.mark.parametrize(("kw", "message"), [
    ({"answers": {1: "ya"}}, "Answer every statement"),
    ({"answers": ALL_YES | {3: "maybe"}}, "Answer every statement"),
    ({"comments": {2: "x" * (COMMENT_MAX_LENGTH + 1)}}, "at most 1000 characters"),
    ({"overall_comment": "x" * 5001}, "at most 5000 characters"),
    ({"signed_name": ""}, "type your name as it is on your application"),
    ({"signed_name": "Bob Applicant"}, "type your name as it is on your application"),
])
def test_hostile_or_incomplete_input_is_refused(assessed, alice, kw, message):
    with pytest.raises(services.AssessmentError, match=message):
        _give(assessed, alice, **kw)
    assert not AssessmentFeedback.objects.exists()


# --- pages ----------------------------------------------------------------------------------------------------

def test_participant_gives_feedback_through_the_page(assessed, alice):
    c = client_for(alice)
    page = c.get(reverse("assessments:my-participation", args=[assessed.pk])).content.decode()
    assert "Give feedback (FR.AK.03)" in page
    url = reverse("assessments:my-feedback", args=[assessed.pk])
    form = c.get(url).content.decode()
    assert form.count('class="feedback-statement') == 10 and "I was fully given the opportunity" in form
    # a refusal comes back on the form with everything typed still there
    r = c.post(url, _form(signed_name="Someone Else"))
    assert r.status_code == 200 and "type your name as it is on your application" in r.content.decode()
    assert "Portofolio saya tidak dibahas" in r.content.decode()
    r = c.post(url, _form(comment_2="<script>alert(1)</script>"), follow=True)
    page = r.content.decode()
    assert "your feedback on the assessment is recorded" in page
    assert 'id="feedback-record"' in page and "Give feedback (FR.AK.03)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert 'data-number="4" data-answer="tidak"' in page
    # the form is not offered again, and a second post changes nothing
    assert c.get(url).status_code == 302
    c.post(url, _form(overall_comment="Diubah"))
    assert AssessmentFeedback.objects.get().overall_comment == "Terima kasih"


def test_huge_comment_on_the_page_is_a_form_error(assessed, alice):
    r = client_for(alice).post(reverse("assessments:my-feedback", args=[assessed.pk]),
                               _form(comment_1="x" * 5000))
    assert r.status_code == 200 and "at most 1000 characters" in r.content.decode()
    assert not AssessmentFeedback.objects.exists()


def test_the_card_waits_for_the_results(event, alice):
    p = _alices(event)
    c = client_for(alice)
    assert "Give feedback" not in c.get(reverse("assessments:my-participation", args=[p.pk])).content.decode()
    page = c.get(reverse("assessments:my-feedback", args=[p.pk])).content.decode()
    assert 'id="feedback-not-yet"' in page and 'id="feedback-form"' not in page


def test_who_reads_it(assessed, alice, bob, asa, lina, quinn, tono, sofia, other_assessor_user, client):
    _give(assessed, alice, comments={1: "Jelas sekali"})
    services.event_add_assessor(assessed.event, assessor=other_assessor_user.assessor, actor=lina)
    staff_page = reverse("assessments:participant", args=[assessed.pk])
    pdf = reverse("assessments:feedback-pdf", args=[assessed.pk])
    for reader in (asa, lina, quinn):
        page = client_for(reader).get(staff_page).content.decode()
        assert 'id="feedback-record"' in page and "Jelas sekali" in page, reader
        assert client_for(reader).get(pdf).status_code == 200
    # staff who see the participant page but not the feedback: the Kepala TUK, the supervisor, another assessor
    for other in (tono, sofia, other_assessor_user):
        r = client_for(other).get(staff_page)
        assert r.status_code == 200 and "Jelas sekali" not in r.content.decode(), other
        assert client_for(other).get(pdf).status_code == 403
    assert client_for(alice).get(pdf).status_code == 200
    assert client_for(bob).get(pdf).status_code == 403
    assert client_for(bob).get(reverse("assessments:my-feedback", args=[assessed.pk])).status_code == 403
    assert client.get(pdf).status_code == 302 and client.get(
        reverse("assessments:my-feedback", args=[assessed.pk])).status_code == 302


def test_the_pdf_reads_like_the_paper_form(assessed, alice, asa):
    _give(assessed, alice, answers=ALL_YES | {7: "tidak"}, comments={7: "Umpan balik <b>kurang</b>"},
          overall_comment="Proses berjalan baik")
    r = client_for(asa).get(reverse("assessments:feedback-pdf", args=[assessed.pk]))
    assert r["Content-Type"] == "application/pdf"
    keep(r.content, "fr-ak-03.pdf")
    text = pdftotext(r.content)
    for expected in ("FR.AK.03 · Versi 1", "UMPAN BALIK DAN CATATAN ASESMEN", "Nama Asesi", "Alice Applicant, S.Sos.",
                     "Nama Asesor", "Asa Assessor", assessed.event.scheme.code, "Tanggal mulai asesmen",
                     "Tanggal selesai asesmen", "Catatan/Komentar Asesi", "Umpan balik <b>kurang</b>",
                     "Proses berjalan baik", "Tanda tangan (elektronik)", "Alice Applicant"):
        assert expected in text, expected
    # the statements in the form's own words (cells wrap, so a distinctive piece of each)
    for piece in ("proses asesmen/uji kompetensi", "mendemonstrasikan", "keputusan asesmen", "menandatanganinya",
                  "keterampilan komunikasi"):
        assert piece in text, piece
    assert text.count("✔") == 10
