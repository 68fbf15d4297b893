"""FR.AK.01, FR.AK.07, FR.AK.05 and FR.AK.06 (issue 19): the agreement with the plan's evidence and each party's
typed-name consent (results wait for both), reasonable adjustments recorded before the test, each assessor's
report once their results are locked, quality management's review; who reads which; the PDFs as BNSP's forms."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.events.models import Event, EventStatus, Participant
from assessments.instruments.models.records import (
    AgreementConsent,
    AssessmentReview,
    AssessorReport,
    ReasonableAdjustment,
)
from assessments.instruments.services.records import REVIEW_ASPECTS
from certportal import dates
from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from certportal.workflow import allowed_actions
from tests.conftest import client_for
from tests.factories import UserFactory

from .factories import (
    GAP_REASON,
    SiteFactory,
    agree,
    assess,
    make_application,
    make_assessor,
    mark_all_present,
    planned_event,
    run_steps,
    the_test_day_arrives,
    validated_plan,
)
from .test_certificate_layout import keep, pdftotext

ALL_MET = {code: (True, "") for code, _part, _text in REVIEW_ASPECTS}


def _of(event, email: str) -> Participant:
    return event.participants.get(application__applicant__email=email)


@pytest.fixture
def planned(lina, scheme, site, assessor, alice_app, bob_app):
    """A week ahead, with the scheme's plan in force (seed 000: Alice experienced, Bob not)."""
    validated_plan(scheme)
    return planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[alice_app, bob_app],
                         days_ahead=7)


@pytest.fixture
def locked(event, lina, tono, asa):
    """The test held, every result recorded, the berita acara signed (step 6: results locked)."""
    run_steps(event, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(event)
    mark_all_present(event, actor=asa)
    for p in event.participants.all():
        assess(p, assessor_user=asa, results={} if p.application.experienced else {
            event.scheme.scheme_units.first().unit.code: "BK"})
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    event = run_steps(event, 6, admin=lina, tuk_head=tono)
    assert event.status == EventStatus.REPORT_SIGNED
    return event


def _report(event, user, **kw):
    kw.setdefault("signed_name", user.full_name)
    kw.setdefault("aspects", "Positif: asesi siap. Negatif: ruang kurang terang.")
    return services.report_sign(event, user=user, **kw)


# --- FR.AK.01: the agreement shows the plan's evidence -------------------------------------------------------------

def test_the_agreement_lists_the_plans_evidence_for_each_participants_group(planned, login, alice, bob):
    alice_page = login(alice).get(reverse("assessments:my-participation", args=[_of(planned, alice.email).pk]))
    page = alice_page.content.decode()
    unit = planned.scheme.scheme_units.first().unit
    assert unit.code in page and "FR.IA.08 Verifikasi Portofolio" in page and "FR.IA.09 Wawancara" in page
    assert "Portofolio: dokumen bukti kerja" in page and "FR.IA.01" not in page
    assert "Asesa Assessor" not in page and "Asa Assessor" in page and planned.test_site.name in page
    assert "Bahwa saya telah mendapatkan penjelasan terkait hak dan prosedur banding" in page
    bob_page = login(bob).get(reverse("assessments:my-participation", args=[_of(planned, bob.email).pk]))
    page = bob_page.content.decode()
    assert "FR.IA.01 Ceklis Observasi" in page and "FR.IA.07 Pertanyaan Lisan" in page and "FR.IA.08" not in page


def test_without_a_plan_the_agreement_gives_the_schemes_method(lina, scheme, site, assessor, alice_app, login, alice):
    unplanned = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[alice_app],
                              days_ahead=7, plan=False)
    page = login(alice).get(reverse("assessments:my-participation", args=[_of(unplanned, alice.email).pk]))
    text = page.content.decode()
    assert "Asesmen portofolio dan wawancara" in text and "agreement-evidence" not in text


# --- FR.AK.01: each party consents once, by typing their name -------------------------------------------------------

def test_the_participant_consents_typing_their_name_once(planned, alice, bob):
    p = _of(planned, alice.email)
    with pytest.raises(services.AssessmentError, match="type your name as it is on your application: Alice"):
        services.participant_accept_agreement(p, user=alice, signed_name="Bob Applicant")
    with pytest.raises(services.AssessmentError, match="Only the participant"):
        services.participant_accept_agreement(p, user=bob, signed_name="Bob Applicant")
    services.participant_accept_agreement(p, user=alice, signed_name="  alice   APPLICANT ")
    consent = AgreementConsent.objects.get(participant=p)
    assert consent.party == "participant" and consent.signed_name == "alice APPLICANT" and consent.user == alice
    assert p.agreement_accepted_at == consent.signed_at
    rows = consent.snapshot["units"][0]["evidence"]
    assert [r["instrument"] for r in rows] == ["IA.08", "IA.09"] and rows[0]["name"] == "Verifikasi Portofolio"
    assert consent.snapshot["assessor"]["name"] == "Asa Assessor" and consent.snapshot["plan"] == 1
    assert AuditEntry.objects.filter(action="assessments.participant.agreement_signed", actor=alice).count() == 1
    with pytest.raises(services.AssessmentError, match="it is given once"):
        services.participant_accept_agreement(p, user=alice, signed_name="Alice Applicant")
    assert AgreementConsent.objects.count() == 1


def test_the_assessor_consents_with_their_own_name(planned, asa, alice, other_assessor_user):
    p = _of(planned, alice.email)
    with pytest.raises(services.AssessmentError, match="type your name as it is on your account: Asa Assessor"):
        services.assessor_accept_agreement(p, user=asa, signed_name="Alice Applicant")
    for stranger in (other_assessor_user, alice):
        with pytest.raises(services.AssessmentError, match="Only the participant's assessor"):
            services.assessor_accept_agreement(p, user=stranger, signed_name=stranger.full_name)
    services.assessor_accept_agreement(p, user=asa, signed_name="asa assessor")
    consent = AgreementConsent.objects.get(participant=p, party="assessor")
    assert consent.user == asa and p.agreement_accepted_at is None  # the participant's consent is their own
    with pytest.raises(services.AssessmentError, match="given once"):
        services.assessor_accept_agreement(p, user=asa, signed_name="Asa Assessor")


def test_results_wait_for_both_consents_and_say_which_is_missing(event, lina, tono, asa, alice):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    p = _of(event, alice.email)
    unit = services.units_to_assess(p).first()

    def refusal():
        return allowed_actions(Participant.objects.get(pk=p.pk), asa)["result_recorded"].reason

    assert "Alice Applicant, S.Sos. has not consented to the assessment agreement (FR.AK.01)" in refusal()
    services.participant_accept_agreement(p, user=alice, signed_name="Alice Applicant")
    assert "The assessor has not consented to the assessment agreement (FR.AK.01)" in refusal()
    with pytest.raises(services.AssessmentError, match="assessor has not consented"):
        services.result_record(p, actor=asa, unit=unit, result="K", evidence="Portofolio",
                               evidence_gap_reason=GAP_REASON)
    services.assessor_accept_agreement(p, user=asa, signed_name="Asa Assessor")
    assert refusal() == ""
    services.result_record(p, actor=asa, unit=unit, result="K", evidence="Portofolio", evidence_gap_reason=GAP_REASON)
    assert p.results.count() == 1


def test_the_staff_page_names_the_missing_consent_in_indonesian(event, lina, tono, asa, alice, login):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    p = _of(event, alice.email)
    services.participant_accept_agreement(p, user=alice, signed_name="Alice Applicant")
    page = login(asa).get(reverse("assessments:participant", args=[p.pk])).content.decode()
    assert "Asesor belum menyetujui persetujuan asesmen (FR.AK.01) Alice Applicant, S.Sos." in page
    assert 'id="assessor-consent-form"' in page and 'data-party="participant" data-given="yes"' in page


def test_a_new_assessor_consents_again_in_place_of_the_former_one(event, lina, tono, asa, alice,
                                                                   other_assessor_user):
    from assessments.events.models import Assessor

    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    p = agree(_of(event, alice.email))
    oscar = Assessor.objects.get(user=other_assessor_user)
    services.event_add_assessor(event, assessor=oscar, actor=lina)
    services.participant_assign(p, assessor=oscar, actor=lina)
    p = Participant.objects.get(pk=p.pk)
    assert "The assessor has not consented" in allowed_actions(p, other_assessor_user)["result_recorded"].reason
    services.assessor_accept_agreement(p, user=other_assessor_user, signed_name="Oscar Other Assessor")
    consent = AgreementConsent.objects.get(participant=p, party="assessor")
    assert consent.user == other_assessor_user and consent.snapshot["assessor"]["name"] == "Oscar Other Assessor"
    entry = AuditEntry.objects.filter(action="assessments.participant.agreement_signed_by_assessor").order_by("pk").last()
    assert "← Asa Assessor" in entry.note
    assert allowed_actions(Participant.objects.get(pk=p.pk), other_assessor_user)["result_recorded"].allowed


def test_no_consent_once_the_results_are_locked_or_without_an_assessor(locked, lina, scheme, site, bob):
    p = locked.participants.first()
    AgreementConsent.objects.filter(participant=p).delete()
    Participant.objects.filter(pk=p.pk).update(agreement_accepted_at=None)
    with pytest.raises(services.AssessmentError, match="official report of this event is signed"):
        services.participant_accept_agreement(p, user=p.application.applicant, signed_name=p.name)
    lone = planned_event(actor=lina, scheme=scheme, site=SiteFactory(),
                         applications=[make_application(scheme, name="Cici Applicant")], days_ahead=3)
    q = lone.participants.get()
    with pytest.raises(services.AssessmentError, match="once the LSP has assigned one"):
        services.participant_accept_agreement(q, user=q.application.applicant, signed_name="Cici Applicant")


def test_consents_through_the_pages(planned, login, alice, asa):
    p = _of(planned, alice.email)
    here = reverse("assessments:my-participation", args=[p.pk])
    client = login(alice)
    response = client.post(here, {"action": "agree", "signed_name": "Someone Else"}, follow=True)
    assert "ketik nama Anda sebagaimana tercantum dalam permohonan" in response.content.decode()
    assert not AgreementConsent.objects.exists()
    response = client.post(here, {"action": "agree", "signed_name": "x" * 201}, follow=True)
    assert not AgreementConsent.objects.exists() and response.status_code == 200
    response = client.post(here, {"action": "agree", "signed_name": "Alice Applicant"}, follow=True)
    page = response.content.decode()
    assert "Anda telah menyetujui persetujuan asesmen (FR.AK.01)" in page and 'id="agreement-consented"' in page
    assert 'id="agreement-form"' not in page and "Asesor Anda belum menyetujui" in page
    response = client.post(here, {"action": "agree", "signed_name": "Alice Applicant"}, follow=True)
    assert "hanya diberikan satu kali" in response.content.decode()
    staff = login(asa)
    consent_url = reverse("assessments:ak01-assessor-consent", args=[p.pk])
    response = staff.post(consent_url, {"signed_name": "Asa Assessor"}, follow=True)
    assert "sebagai asesor" in response.content.decode()
    assert AgreementConsent.objects.filter(participant=p).count() == 2
    assert 'data-party="assessor" data-given="yes"' in staff.get(
        reverse("assessments:participant", args=[p.pk])).content.decode()
    assert "Asesor Anda, Asa Assessor, menyetujui" in client.get(here).content.decode()


def test_the_ak01_pdf_prints_the_agreement_as_consented_to(planned, alice, asa, login):
    p = _of(planned, alice.email)
    agree(p)
    shown_at = planned.starts_at
    Event.objects.filter(pk=planned.pk).update(starts_at=shown_at + datetime.timedelta(days=2))  # moved later
    r = login(asa).get(reverse("assessments:ak01-pdf", args=[p.pk]))
    assert r["Content-Type"] == "application/pdf"
    keep(r.content, "fr-ak-01.pdf")
    text = pdftotext(r.content)
    assert "FR.AK.01 · Versi 1" in text and "PERSETUJUAN ASESMEN DAN KERAHASIAAN" in text
    assert "FR.IA.08 Verifikasi Portofolio" in text and "Hasil Pertanyaan Wawancara" in text
    assert "Alice Applicant, S.Sos." in text and "Asa Assessor" in text and "belum ditandatangani" not in text
    with translation.override("id"):
        from certportal.templatetags.documents import long_date

        assert long_date(shown_at) in text and long_date(shown_at + datetime.timedelta(days=2)) not in text


# --- FR.AK.07: reasonable adjustments, before the test ------------------------------------------------------------

def _adjust(p, user, **kw):
    kw.setdefault("needs", ["physical", "language"])
    kw.setdefault("adjustments", "Ruang di lantai dasar; waktu tambahan 15 menit.")
    kw.setdefault("signed_name", user.full_name)
    return services.adjustment_record(p, user=user, **kw)


def test_the_assessor_records_adjustments_before_the_test_and_may_replace_them(upcoming_event, asa, alice,
                                                                                other_assessor_user):
    p = _of(upcoming_event, alice.email)
    with pytest.raises(services.AssessmentError, match="Only the participant's assessor"):
        _adjust(p, other_assessor_user)
    with pytest.raises(services.AssessmentError, match="Unknown need"):
        _adjust(p, asa, needs=["telepathy"])
    with pytest.raises(services.AssessmentError, match="Say which adjustments"):
        _adjust(p, asa, adjustments="  ")
    with pytest.raises(services.AssessmentError, match="at most 5000 characters"):
        _adjust(p, asa, adjustments="x" * 5001)
    with pytest.raises(services.AssessmentError, match="type your name"):
        _adjust(p, asa, signed_name="Alice Applicant")
    first = _adjust(p, asa, needs_note="Menggunakan kursi roda")
    assert first.needs == ["physical", "language"] and first.signed_name == "Asa Assessor"
    second = _adjust(p, asa, needs=[], needs_note="", adjustments="")
    assert ReasonableAdjustment.objects.get() == second and second.needs == [] and second.adjustments == ""
    entries = list(AuditEntry.objects.filter(action__startswith="assessments.participant.adjustments")
                   .order_by("pk"))
    assert [e.action.rsplit(".", 1)[1] for e in entries] == ["adjustments_recorded", "adjustments_replaced"]
    assert "Menggunakan kursi roda" in entries[1].note  # the replaced record stays in the history


def test_no_adjustment_once_the_test_has_started(upcoming_event, asa, alice):
    p = _of(upcoming_event, alice.email)
    starts = upcoming_event.starts_at
    with time_machine.travel(starts - datetime.timedelta(minutes=1), tick=False):
        _adjust(p, asa)
    with time_machine.travel(starts, tick=False), translation.override("id"), pytest.raises(
            services.AssessmentError, match="Uji kompetensi dimulai pada") as refused:
        _adjust(p, asa, adjustments="Terlambat")
    with translation.override("id"):
        assert dates.day(starts) in refused.value.message
    assert ReasonableAdjustment.objects.get().adjustments.startswith("Ruang di lantai dasar")


def test_the_participant_reads_the_adjustments_and_the_assessor_edits_them_on_the_page(upcoming_event, login,
                                                                                       asa, alice, lina):
    p = _of(upcoming_event, alice.email)
    form = reverse("assessments:ak07", args=[p.pk])
    staff = login(asa)
    assert 'id="ak07-edit"' in staff.get(reverse("assessments:participant", args=[p.pk])).content.decode()
    response = staff.post(form, {"needs": ["literacy"], "adjustments": "Soal dibacakan", "signed_name": "Nobody"})
    assert response.status_code == 200 and "Soal dibacakan" in response.content.decode()  # nothing lost
    response = staff.post(form, {"needs": ["literacy"], "adjustments": "Soal dibacakan",
                                 "signed_name": "Asa Assessor"})
    assert response.status_code == 302
    page = login(alice).get(reverse("assessments:my-participation", args=[p.pk])).content.decode()
    assert 'id="my-adjustments"' in page and "Literasi dan numerasi" in page and "Soal dibacakan" in page
    assert login(lina).get(form).status_code == 403 and login(alice).get(form).status_code == 403
    the_test_day_arrives(upcoming_event)
    page = staff.get(reverse("assessments:participant", args=[p.pk])).content.decode()
    assert 'id="ak07-edit"' not in page and "dicatat sebelum uji kompetensi" in page


def test_the_ak07_pdf(upcoming_event, asa, alice, login):
    p = _of(upcoming_event, alice.email)
    _adjust(p, asa, needs_note="Menggunakan kursi roda")
    r = login(alice).get(reverse("assessments:ak07-pdf", args=[p.pk]))
    keep(r.content, "fr-ak-07.pdf")
    text = pdftotext(r.content)
    assert "FR.AK.07 · Versi 1" in text and "CEKLIS PENYESUAIAN YANG WAJAR DAN BERALASAN" in text
    assert "Ruang di lantai dasar" in text and "Menggunakan kursi roda" in text and "Asa Assessor" in text
    assert "Keterbatasan fisik" in text and "Alice Applicant, S.Sos." in text


# --- FR.AK.05: each assessor's report, once their results are locked ----------------------------------------------

def test_the_report_waits_for_the_test_the_results_then_the_berita_acara(event, lina, tono, asa, alice, bob):
    with time_machine.travel(event.starts_at - datetime.timedelta(minutes=5), tick=False), pytest.raises(
            services.AssessmentError, match="written after it"):
        _report(event, asa)
    run_steps(event, 4, admin=lina, tuk_head=tono)
    services.attendance_record(event, actor=asa, participants={_of(event, alice.email).pk: True,
                                                               _of(event, bob.email).pk: False},
                               assessors={a.pk: True for a in event.event_assessors.all()})
    with pytest.raises(services.AssessmentError, match=r"Results are missing for Alice Applicant, S\.Sos\.: N\."):
        _report(event, asa)
    assess(_of(event, alice.email), assessor_user=asa)  # Bob is absent: nothing to wait for
    with pytest.raises(services.AssessmentError, match="once the official report"):
        _report(event, asa)
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    event = run_steps(event, 6, admin=lina, tuk_head=tono)
    report = _report(event, asa)
    rows = {r["name"]: r for r in report.snapshot["participants"]}
    assert rows["Bob Applicant, S.E."]["absent"] and rows["Bob Applicant, S.E."]["recommendation"] == ""
    assert rows["Alice Applicant, S.Sos."]["recommendation"] == "K"
    assert set(rows["Alice Applicant, S.Sos."]["results"].values()) == {"K"}


def test_each_assessor_signs_one_report_for_their_own_participants(locked, asa, lina, other_assessor_user, quinn):
    for user in (lina, quinn):
        with pytest.raises(services.AssessmentError, match="Only an assessor of this event"):
            _report(locked, user)
    with pytest.raises(services.AssessmentError, match="Only an assessor of this event"):
        _report(locked, other_assessor_user)
    with pytest.raises(services.AssessmentError, match="type your name"):
        _report(locked, asa, signed_name="Quinn Quality")
    with pytest.raises(services.AssessmentError, match="at most 5000"):
        _report(locked, asa, notes="x" * 5001)
    report = _report(locked, asa, rejections="Tidak ada penolakan.", improvements="Perbanyak contoh SOP.")
    assert report.assessor.user == asa and report.signed_name == "Asa Assessor"
    rows = {r["name"]: r for r in report.snapshot["participants"]}
    bk = locked.scheme.scheme_units.first().unit.code
    assert rows["Bob Applicant, S.E."]["results"][bk] == "BK" and rows["Bob Applicant, S.E."]["recommendation"] == "BK"
    assert AuditEntry.objects.filter(action="assessments.event.assessor_report_signed").count() == 1
    with pytest.raises(services.AssessmentError, match="signed once"):
        _report(locked, asa)
    assert AssessorReport.objects.count() == 1


def test_an_assessor_without_participants_has_nothing_to_report(locked, lina, other_assessor_user):
    from assessments.events.models import Assessor, EventAssessor

    EventAssessor.objects.create(event=locked, assessor=Assessor.objects.get(user=other_assessor_user))
    with pytest.raises(services.AssessmentError, match="nothing to report"):
        _report(locked, other_assessor_user)


def test_the_event_page_shows_the_report_state_and_the_form(locked, login, asa, tono):
    page = login(asa).get(reverse("assessments:event", args=[locked.pk])).content.decode()
    assert 'data-state="open"' in page and 'id="ak05-write"' in page
    form = login(asa).get(reverse("assessments:ak05", args=[locked.pk])).content.decode()
    assert 'id="ak05-preview"' in form and "Bob Applicant, S.E." in form
    response = login(asa).post(reverse("assessments:ak05", args=[locked.pk]), {
        "aspects": "Asesmen tertib", "rejections": "", "improvements": "", "notes": "", "signed_name": "asa assessor"})
    assert response.status_code == 302
    page = login(tono).get(reverse("assessments:event", args=[locked.pk])).content.decode()
    assert "FR.AK.05 ditandatangani" in page and "ak05-pdf" in page and 'id="ak05-write"' not in page


def test_the_ak05_pdf(locked, asa, tono, login):
    report = _report(locked, asa, rejections="Tidak ada penolakan.")
    r = login(tono).get(reverse("assessments:ak05-pdf", args=[report.pk]))
    keep(r.content, "fr-ak-05.pdf")
    text = pdftotext(r.content)
    assert "FR.AK.05 · Versi 1" in text and "LAPORAN ASESMEN" in text and "Tidak ada penolakan." in text
    assert "Bob Applicant, S.E." in text and " BK " in text and "Asa Assessor" in text
    assert "Positif: asesi siap" in text


# --- FR.AK.06: quality's review -----------------------------------------------------------------------------------

def test_quality_reviews_once_an_assessor_has_reported(locked, asa, quinn, lina, tono):
    findings = dict(ALL_MET)
    with pytest.raises(services.AssessmentError, match="no assessment report"):
        services.review_record(locked, user=quinn, findings=findings, signed_name="Quinn Quality")
    _report(locked, asa)
    for user in (lina, tono, asa):
        with pytest.raises(services.AssessmentError, match="Quality management reviews"):
            services.review_record(locked, user=user, findings=findings, signed_name=user.full_name)
    with pytest.raises(services.AssessmentError, match="Answer every aspect"):
        services.review_record(locked, user=quinn, findings=findings | {"fair": (None, "")}, signed_name="Quinn Quality")
    with pytest.raises(services.AssessmentError, match="Say why this aspect is not met"):
        services.review_record(locked, user=quinn, findings=findings | {"current": (False, " ")},
                               signed_name="Quinn Quality")
    review = services.review_record(locked, user=quinn, signed_name="Quinn Quality",
                                    findings=findings | {"current": (False, "SK jabatan lama (2019)")},
                                    recommendations="Minta SK jabatan terbaru.")
    assert [a["aspect"] for a in review.answers][:4] == ["valid", "reliable", "flexible", "fair"]
    current = next(a for a in review.answers if a["aspect"] == "current")
    assert current["met"] is False and current["text"].startswith("Bukti terkini")
    assert AuditEntry.objects.filter(action="assessments.event.assessment_reviewed", note="8/9").exists()
    with pytest.raises(services.AssessmentError, match="was reviewed"):
        services.review_record(locked, user=quinn, findings=findings, signed_name="Quinn Quality")
    assert AssessmentReview.objects.count() == 1


def test_quality_reviews_through_the_page_and_prints_fr_ak_06(locked, asa, quinn, login):
    client = login(quinn)
    page = client.get(reverse("assessments:event", args=[locked.pk])).content.decode()
    assert 'id="ak06-refused"' in page and "belum ada laporan asesmen" in page
    _report(locked, asa)
    assert 'id="ak06-write"' in client.get(reverse("assessments:event", args=[locked.pk])).content.decode()
    data = {f"met_{code}": "ya" for code, _p, _t in REVIEW_ASPECTS}
    form = reverse("assessments:ak06", args=[locked.pk])
    response = client.post(form, data | {"met_sufficient": "tidak", "signed_name": "Quinn Quality"})
    assert response.status_code == 200 and "Jelaskan mengapa aspek ini tidak terpenuhi" in response.content.decode()
    response = client.post(form, data | {"met_sufficient": "tidak", "note_sufficient": "Bukti unit 2 tipis",
                                         "recommendations": "Tambah wawancara", "signed_name": "Quinn Quality"})
    assert response.status_code == 302 and AssessmentReview.objects.get().answers[7]["note"] == "Bukti unit 2 tipis"
    r = client.get(reverse("assessments:ak06-pdf", args=[locked.pk]))
    keep(r.content, "fr-ak-06.pdf")
    text = pdftotext(r.content)
    assert "FR.AK.06 · Versi 1" in text and "MENINJAU PROSES ASESMEN" in text and "Bukti unit 2 tipis" in text
    assert "Reliabel" in text and "Tambah wawancara" in text and "Quinn Quality" in text and "Asa Assessor" in text


# --- who reads what -----------------------------------------------------------------------------------------------

@pytest.fixture
def everything(locked, asa, quinn):
    """FR.AK.01 (both consents, from assess), FR.AK.07 (recorded before the test), FR.AK.05 and FR.AK.06."""
    alice_p = locked.participants.get(application__applicant__email="alice@example.go.id")
    ReasonableAdjustment.objects.create(participant=alice_p, needs=["age"], adjustments="Kursi dengan sandaran",
                                        recorded_by=asa, recorded_at=locked.starts_at - datetime.timedelta(days=1),
                                        signed_name="Asa Assessor")
    report = _report(locked, asa)
    services.review_record(locked, user=quinn, findings=dict(ALL_MET), signed_name="Quinn Quality")
    return {"p": alice_p, "report": report, "event": locked}


@pytest.mark.slow
def test_who_reads_which_record(everything, client, alice, bob, asa, lina, quinn, tono, sofia, other_assessor_user):
    p, event = everything["p"], everything["event"]
    participant_pdfs = [reverse("assessments:ak01-pdf", args=[p.pk]), reverse("assessments:ak07-pdf", args=[p.pk])]
    event_pdfs = [reverse("assessments:ak05-pdf", args=[everything["report"].pk]),
                  reverse("assessments:ak06-pdf", args=[event.pk])]
    readers = {alice: participant_pdfs, asa: participant_pdfs + event_pdfs, lina: participant_pdfs + event_pdfs,
               quinn: participant_pdfs + event_pdfs, tono: event_pdfs}
    for user, allowed in readers.items():
        c = client_for(user)
        for url in participant_pdfs + event_pdfs:
            assert c.get(url).status_code == (200 if url in allowed else 403), (user.full_name, url)
    for other in (bob, sofia, other_assessor_user):
        c = client_for(other)
        assert all(c.get(url).status_code == 403 for url in participant_pdfs + event_pdfs), other.full_name
    for url in participant_pdfs + event_pdfs:
        response = client.get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_the_pages_show_the_records_to_their_readers_only(everything, alice, tono, sofia, asa):
    p, event = everything["p"], everything["event"]
    tono_page = client_for(tono).get(reverse("assessments:participant", args=[p.pk])).content.decode()
    assert 'id="participant-agreement"' not in tono_page and "Kursi dengan sandaran" not in tono_page
    assert 'id="event-records"' in client_for(tono).get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert 'id="event-records"' not in client_for(sofia).get(
        reverse("assessments:event", args=[event.pk])).content.decode()
    page = client_for(asa).get(reverse("assessments:participant", args=[p.pk])).content.decode()
    assert "Kursi dengan sandaran" in page and 'id="ak01-pdf"' in page
    other_site_head = UserFactory(roles=[Role.TUK_HEAD])
    assert client_for(other_site_head).get(reverse("assessments:ak06-pdf", args=[event.pk])).status_code == 403


def test_the_forms_are_for_their_author_only(everything, login, alice, lina, tono, quinn, other_assessor_user):
    p, event = everything["p"], everything["event"]
    for user, url in [(alice, reverse("assessments:ak07", args=[p.pk])),
                      (other_assessor_user, reverse("assessments:ak07", args=[p.pk])),
                      (quinn, reverse("assessments:ak05", args=[event.pk])),
                      (tono, reverse("assessments:ak06", args=[event.pk])),
                      (lina, reverse("assessments:ak06", args=[event.pk])),
                      (alice, reverse("assessments:ak01-assessor-consent", args=[p.pk]))]:
        assert login(user).get(url).status_code == 403, (user.full_name, url)
    assert login(other_assessor_user).post(reverse("assessments:ak01-assessor-consent", args=[p.pk]),
                                           {"signed_name": "Oscar Other Assessor"}).status_code == 403


def test_forged_ids_and_records_not_made_yet_are_refused(locked, login, asa):
    unknown = Participant.objects.order_by("-pk").first().pk + 100
    assert login(asa).get(reverse("assessments:ak01-pdf", args=[unknown])).status_code == 403
    assert login(asa).get(reverse("assessments:ak05-pdf", args=[unknown])).status_code == 403
    make_assessor(schemes=[locked.scheme])  # another assessor in scope changes nothing
    assert login(asa).get(reverse("assessments:ak06-pdf", args=[locked.pk])).status_code == 403  # none yet


@pytest.mark.slow
def test_the_assessment_file_holds_the_four_forms_each_drawn_once(everything, monkeypatch):
    """Each form is drawn once, then the cover: the cover's index once drew every form three times more (its
    template called each row's renderer to ask whether the form is in the file), so the LSP admin waited four
    times as long for the file."""
    import weasyprint

    from assessments.instruments.paperwork.assessment_file import parts, render_assessment_file

    drawn = []
    write_pdf = weasyprint.HTML.write_pdf
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda html, *a, **k: drawn.append(1) or write_pdf(html, *a, **k))
    text = pdftotext(render_assessment_file(everything["p"]))
    for words in ("PERSETUJUAN ASESMEN DAN KERAHASIAAN", "CEKLIS PENYESUAIAN YANG WAJAR DAN BERALASAN",
                  "FR.AK.05. LAPORAN ASESMEN", "FR.AK.06. MENINJAU PROSES ASESMEN", "Kursi dengan sandaran"):
        assert words in text, words
    forms = sum(part.render is not None for part in parts(everything["p"]))
    assert forms >= 6 and len(drawn) == forms + 1  # every form, then the cover (one page: drawn once)
    assert "Tidak ada dalam berkas" in text  # a form not in the file is listed with the reason


def test_the_event_page_says_nothing_of_reports_before_the_test_is_held(upcoming_event, login, asa, quinn):
    for user in (asa, quinn):
        page = login(user).get(reverse("assessments:event", args=[upcoming_event.pk])).content.decode()
        assert 'id="event-records"' not in page
