"""The applicant's wizard: profile, draft, documents, self-assessment, declaration, submission."""


import pytest
from django.core import mail
from django.utils import timezone

from applicants.models import ApplicantProfile, Application, DocumentFile, SelfAssessment, Status

from .helpers import fill_dossier, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def profile(**changes) -> dict:
    """The profile form's answers; the years of service counted on the day the test runs (a module-level figure was
    wrong for a run that crosses the new year in Jakarta)."""
    return {**PROFILE, "years_of_service": str(timezone.localdate().year - 2010), **changes}


PROFILE = {
    "nip": "198503142010012001", "full_name": "Dra. Alice Applicant, M.Si.", "birth_place": "Bandung",
    "birth_date": "1985-03-14", "gender": "2", "employment_status": "pns", "org_unit": "Dinas Pendidikan",
    "position": "Analis", "rank": "III/c", "education": "S2", "phone": "0812", "email": "alice@example.go.id",
    # Appointed 01/2010 (NIP digits 9-14): the years of service must agree with it (issue 16); see profile().
    "employer_government": "31", "years_in_government": "8",
}


def test_alice_saves_her_profile_with_a_valid_nip(alice, login):
    response = login(alice).post("/permohonan/saya/profil/", profile(), follow=True)
    assert "Your profile is saved." in response.content.decode()
    assert ApplicantProfile.objects.get(user=alice).nip == "198503142010012001"


def test_a_profile_without_a_phone_saves_as_registration_allowed(client, login):
    """Issue 43: the phone is optional at registration, but the profile refused to save without one."""
    from django.urls import reverse

    from certportal.accounts.models import User

    client.post(reverse("accounts:register"), {
        "full_name": "Dra. Alice Applicant, M.Si.", "email": "alice.nophone@example.go.id", "phone": "",
        "password1": "Kata-Sandi-Panjang-2026", "password2": "Kata-Sandi-Panjang-2026", "consent": "on"})
    user = User.objects.get(email="alice.nophone@example.go.id")
    assert user.phone == ""
    user.is_active, user.preferred_language = True, "en"
    user.save()
    client = login(user)
    form = client.get("/permohonan/saya/profil/").content.decode()
    phone = form.split('name="phone"')[0].rsplit("<input", 1)[1] + form.split('name="phone"')[1].split(">")[0]
    assert "required" not in phone and 'value="' not in phone, phone  # nothing given at registration
    response = client.post("/permohonan/saya/profil/", profile(phone="", email=user.email), follow=True)
    assert "Your profile is saved." in response.content.decode()
    assert ApplicantProfile.objects.get(user=user).phone == ""


def test_a_malformed_nip_is_refused_with_a_plain_explanation_and_the_rest_is_kept(alice, login):
    data = profile(nip="198502302010013001")
    response = login(alice).post("/permohonan/saya/profil/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Digits 1–8 of the NIP (19850230)" in page
    assert "Digit 15 of the NIP is the gender" in page
    assert "Dra. Alice Applicant, M.Si." in page and "Dinas Pendidikan" in page  # nothing lost
    assert not ApplicantProfile.objects.exists()


def test_the_nip_must_agree_with_the_birth_date_entered(alice, login):
    response = login(alice).post("/permohonan/saya/profil/", profile(birth_date="1985-03-15"))
    assert "The NIP encodes the birth date 14 March 1985, but you entered 15 March 1985." in response.content.decode()


def test_starting_an_application_needs_a_profile(alice, scheme, login):
    response = login(alice).post("/permohonan/baru/", {"scheme": scheme.pk}, follow=True)
    assert "Please fill in your profile first" in response.content.decode()
    assert not Application.objects.exists()


def test_alice_starts_a_draft_prefilled_from_her_profile(alice_profile, scheme, login):
    client = login(alice_profile.user)
    response = client.post("/permohonan/baru/", {"scheme": scheme.pk})
    app = Application.objects.get()
    assert response.url == f"/permohonan/{app.pk}/isi/data/"
    assert app.status == Status.DRAFT and app.nip == alice_profile.nip
    page = client.get(response.url).content.decode()
    assert alice_profile.nip in page and "Portofolio dan wawancara" in page
    assert "Yes, your data meets every requirement of the scheme." in page


def test_eligibility_is_explained_before_anything_is_submitted(alice_profile, scheme, login):
    alice_profile.rank, alice_profile.education = "II/d", "D3"
    alice_profile.save()
    client = login(alice_profile.user)
    client.post("/permohonan/baru/", {"scheme": scheme.pk})
    app = Application.objects.get()
    page = client.get(f"/permohonan/{app.pk}/isi/data/").content.decode()
    assert "Not yet. You can save a draft" in page
    assert "III/b" in page and "S1" in page


def test_uploads_are_saved_one_by_one_and_versions_are_kept(alice_profile, scheme, login):
    client = login(alice_profile.user)
    client.post("/permohonan/baru/", {"scheme": scheme.pk})
    app = Application.objects.get()
    doc = app.documents.order_by("requirement__position").first()
    url = f"/permohonan/{app.pk}/isi/dokumen/{doc.pk}/"
    client.post(url, {"file": pdf_upload("sk-lama.pdf")})
    response = client.post(url, {"file": png_upload("sk-baru.png")}, follow=True)
    assert "is saved" in response.content.decode()
    files = list(DocumentFile.objects.filter(document=doc).order_by("version"))
    assert [(f.original_name, f.version, f.is_current) for f in files] == [
        ("sk-lama.pdf", 1, False), ("sk-baru.png", 2, True)]
    page = client.get(f"/permohonan/{app.pk}/isi/dokumen/").content.decode()
    assert "sk-lama.pdf" in page and "earlier version" in page


def test_an_executable_renamed_pdf_is_refused_and_nothing_else_is_lost(alice_profile, scheme, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(alice_profile.user)
    client.post("/permohonan/baru/", {"scheme": scheme.pk})
    app = Application.objects.get()
    first, second = app.documents.order_by("requirement__position")
    client.post(f"/permohonan/{app.pk}/isi/dokumen/{first.pk}/", {"file": pdf_upload("ijazah.pdf")})
    fake = SimpleUploadedFile("sk-pangkat.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
    response = client.post(f"/permohonan/{app.pk}/isi/dokumen/{second.pk}/", {"file": fake})
    page = response.content.decode()
    assert response.status_code == 400
    assert "is not a real PDF" in page and "its content was checked, not its name" in page
    assert "ijazah.pdf" in page  # the earlier upload is still there
    assert DocumentFile.objects.filter(document=second).count() == 0
    assert DocumentFile.objects.filter(document=first).count() == 1


def test_an_oversized_file_is_refused_with_the_limit_named(alice_profile, scheme, login, settings):
    settings.MAX_UPLOAD_MB = 0.01
    client = login(alice_profile.user)
    client.post("/permohonan/baru/", {"scheme": scheme.pk})
    app = Application.objects.get()
    doc = app.documents.first()
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * 20_000)
    response = client.post(f"/permohonan/{app.pk}/isi/dokumen/{doc.pk}/", {"file": big})
    assert response.status_code == 400
    assert "the limit is 0 MB" in response.content.decode() or "Please upload a smaller file" in response.content.decode()
    assert not DocumentFile.objects.exists()


def test_self_assessment_is_saved_per_element(alice_profile, scheme, login):
    client = login(alice_profile.user)
    client.post("/permohonan/baru/", {"scheme": scheme.pk})
    app = Application.objects.get()
    page = client.get(f"/permohonan/{app.pk}/isi/asesmen-mandiri/").content.decode()
    assert "Elemen 1 unit" in page
    first = scheme.scheme_units.first().unit
    element = first.elements.first()
    client.post(f"/permohonan/{app.pk}/isi/asesmen-mandiri/", {
        f"a_{first.pk}_{element.pk}": "yes", f"e_{first.pk}_{element.pk}": "Laporan pelayanan 2025"})
    answer = SelfAssessment.objects.get()
    assert (answer.element, answer.answer, answer.evidence) == (element, "yes", "Laporan pelayanan 2025")
    page = client.get(f"/permohonan/{app.pk}/isi/kirim/").content.decode()
    assert "Answer the self-assessment for unit" in page  # the other unit is still open


def test_submit_needs_a_confirmed_email(alice_profile, scheme, login):
    alice = alice_profile.user
    alice.email_verified_at = None
    alice.save()
    client = login(alice)
    client.post("/permohonan/baru/", {"scheme": scheme.pk})
    app = Application.objects.get()
    fill_dossier(app, alice)
    response = client.post(f"/permohonan/{app.pk}/isi/kirim/", {"declaration": "on"}, follow=True)
    assert "Please confirm your e-mail address first" in response.content.decode()
    assert Application.objects.get().status == Status.DRAFT


def test_submit_needs_the_declaration(alice_profile, scheme, login):
    client = login(alice_profile.user)
    client.post("/permohonan/baru/", {"scheme": scheme.pk})
    app = Application.objects.get()
    fill_dossier(app, alice_profile.user)
    response = client.post(f"/permohonan/{app.pk}/isi/kirim/", {})
    assert "Please tick the declaration before submitting." in response.content.decode()


def test_alice_submits_a_complete_dossier_and_is_emailed(alice_profile, scheme, login,
                                                        django_capture_on_commit_callbacks):
    client = login(alice_profile.user)
    client.post("/permohonan/baru/", {"scheme": scheme.pk})
    app = Application.objects.get()
    fill_dossier(app, alice_profile.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/permohonan/{app.pk}/isi/kirim/", {"declaration": "on"}, follow=True)
    page = response.content.decode()
    assert "Your application is submitted." in page
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED and app.declaration_at is not None
    assert mail.outbox and "Submitted" in mail.outbox[-1].subject
    assert "Submitted" in page  # the timeline


def test_a_submitted_application_can_no_longer_be_edited(alice_profile, scheme, login):
    from .helpers import submitted_application

    app = submitted_application(alice_profile, scheme)
    client = login(alice_profile.user)
    doc = app.documents.first()
    response = client.post(f"/permohonan/{app.pk}/isi/dokumen/{doc.pk}/", {"file": pdf_upload()}, follow=True)
    assert "can no longer be changed" in response.content.decode()
    assert doc.files.count() == 1
