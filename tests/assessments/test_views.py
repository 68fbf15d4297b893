"""Pages: the right role sees them, a wrong role or an assessor of another event gets 403, anonymous → login."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments import services
from assessments.certificates import services as certs

from .factories import agree, assess, confirm_step1, decide, mark_all_present, run_steps, the_test_day_arrives

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(event, lina, tono, asa):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    for p in event.participants.all():
        assess(p, assessor_user=asa)
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    return run_steps(event, 7, admin=lina, tuk_head=tono)


def event_pages(event):
    p = event.participants.first()
    return [reverse("assessments:event", args=[event.pk]), reverse("assessments:event-attendance", args=[event.pk]),
            reverse("assessments:participant", args=[p.pk])] + [
        reverse("assessments:event-document", args=[event.pk, d]) for d in ("berita-acara", "daftar-hadir", "notulen")]


def test_lsp_admin_sees_every_page_of_the_event(login, lina, reviewed):
    client = login(lina)
    for url in event_pages(reviewed):
        assert client.get(url).status_code == 200, url


def test_event_assessor_sees_the_event_and_another_assessor_gets_403(login, asa, other_assessor_user, reviewed):
    mine, other = login(asa), login(other_assessor_user)
    for url in event_pages(reviewed):
        assert mine.get(url).status_code == 200, url
        assert other.get(url).status_code == 403, url


def test_applicant_and_anonymous_are_kept_out(client, login, alice, reviewed):
    for url in event_pages(reviewed):
        assert login(alice).get(url).status_code == 403
        response = client.get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_berita_acara_pdf_lists_participants_and_results(login, lina, reviewed):
    from io import BytesIO

    from pypdf import PdfReader

    response = login(lina).get(reverse("assessments:event-document", args=[reviewed.pk, "berita-acara"]))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages).split())
    assert "BERITA ACARA" in text and "Alice Applicant, S.Sos." in text and "Bob Applicant, S.E." in text


def test_participant_sees_explanation_of_every_bk_unit(login, lina, bob, event, tono, asa, scheme):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    bk_code = scheme.scheme_units.first().unit.code
    for p in event.participants.all():
        assess(p, assessor_user=asa, results={bk_code: "BK"})
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    run_steps(event, 7, admin=lina, tuk_head=tono)
    p = event.participants.get(application__applicant=bob)
    decide(p, actor=lina, decision="BK")
    page = login(bob).get(reverse("assessments:my-participation", args=[p.pk])).content.decode()
    assert "Belum menunjukkan bukti yang cukup" in page and bk_code in page
    assert 'id="file-appeal"' in page


def test_assessor_records_results_through_the_form(login, lina, tono, asa, alice, event):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(event)  # results are refused before the test starts
    p = event.participants.get(application__applicant=alice)
    agree(p)
    units = list(services.units_to_assess(p))
    data = {f"result_{units[0].pk}": "BK", f"evidence_{units[0].pk}": "Portofolio", f"explanation_{units[0].pk}": ""}
    response = login(asa).post(reverse("assessments:participant", args=[p.pk]), data, follow=True)
    assert "participant has the right to an explanation" in response.content.decode() or \
        "berhak" in response.content.decode()
    assert 'Portofolio</textarea>' in response.content.decode()  # nothing lost
    data[f"explanation_{units[0].pk}"] = "Belum dapat menunjukkan SOP layanan"
    login(asa).post(reverse("assessments:participant", args=[p.pk]), data)
    assert p.results.get().result == "BK"


def test_an_assessor_whose_licence_lapsed_before_the_day_records_and_signs_nothing(login, lina, tono, asa, alice,
                                                                                     assessor, event):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    for participant in event.participants.all():
        assess(participant, assessor_user=asa)
    event = run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)  # held, report not signed yet
    p = event.participants.get(application__applicant=alice)
    # the licence ended yesterday: not valid on the day of the test (the event began an hour ago)
    assessor.licence_valid_until = timezone.localdate(event.starts_at) - datetime.timedelta(days=1)
    assessor.save()
    url = reverse("assessments:participant", args=[p.pk])
    page = login(asa).get(url).content.decode()
    assert 'id="not-qualified"' in page and "Minta admin LSP menugaskan asesor lain." in page
    assert 'id="save-results"' not in page
    unit = services.units_to_assess(p).first()
    page = login(asa).post(url, {f"result_{unit.pk}": "BK", f"evidence_{unit.pk}": "Portofolio",
                                 f"explanation_{unit.pk}": "Belum cukup"}, follow=True)
    assert "tidak berlaku pada" in page.content.decode() and p.results.get(unit=unit).result == "K"
    with translation.override("en"), pytest.raises(services.AssessmentError, match="not valid on"):
        services.report_sign_as_assessor(event, actor=asa)


def test_public_verification_shows_only_public_data_and_json(client, lina, alice, reviewed):
    p = reviewed.participants.get(application__applicant=alice)
    decide(p, actor=lina, decision="K")
    services.participant_accept_obligations(p, user=alice)
    cert = certs.certificate_issue(p, actor=lina)
    page = client.get(reverse("assessments:verify-code", args=[cert.verification_code])).content.decode()
    assert cert.number in page and "Alice Applicant, S.Sos." in page and cert.holder_nip not in page
    data = client.get(reverse("assessments:verify-json", args=[cert.verification_code])).json()
    assert data["status"] == "valid" and data["number"] == cert.number and "nip" not in str(data).lower()
    assert client.get(reverse("assessments:verify-json", args=["NOPE"])).status_code == 404
    from assessments.certificates.models import VerificationLookup

    assert VerificationLookup.objects.filter(certificate=cert).count() == 2


def test_public_verification_is_rate_limited(client, settings):
    settings.ASSESSMENT_VERIFY_PER_MINUTE = 3
    from django.core.cache import cache

    cache.clear()
    codes = [client.get(reverse("assessments:verify-json", args=["X"])).status_code for _ in range(5)]
    assert codes[:3] == [404, 404, 404] and codes[3:] == [429, 429]


def test_assessor_sees_only_the_applications_of_their_own_events(event, asa, other_assessor_user, alice_app):
    from applicants.selectors import applications_visible_to

    assert alice_app in applications_visible_to(asa)
    assert alice_app not in applications_visible_to(other_assessor_user)


def test_verification_form_leads_to_the_page_of_the_code(client):
    response = client.get(reverse("assessments:verify"), {"kode": "abcd-efgh"})
    assert response.status_code == 302 and "/asesmen/verifikasi/ABCDEFGH/" in response["Location"]
    assert client.get(response["Location"]).status_code == 404


def test_applicant_confirms_attendance_and_accepts_the_agreement(login, alice, event, lina):
    confirm_step1(event, admin=lina)
    p = event.participants.get(application__applicant=alice)
    client = login(alice)
    client.post(reverse("assessments:my-participation", args=[p.pk]), {"action": "confirm"})
    client.post(reverse("assessments:my-participation", args=[p.pk]), {"action": "agree",
                                                                       "signed_name": "Alice Applicant"})
    p.refresh_from_db()
    assert p.attendance_confirmed_at and p.agreement_accepted_at


def test_another_applicant_cannot_open_my_participation(login, bob, alice, event):
    p = event.participants.get(application__applicant=alice)
    assert login(bob).get(reverse("assessments:my-participation", args=[p.pk])).status_code == 403
