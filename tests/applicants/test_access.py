"""Every page with the right role, a wrong role, another applicant and an anonymous visitor."""

import io
import json
import zipfile

import pytest
from pypdf import PdfReader

from applicants.models import DocumentAccess
from applicants.selectors import VISIBILITY, applications_visible_to

from .helpers import submitted_application

pytestmark = pytest.mark.django_db

APPLICANT_PAGES = ["/permohonan/saya/", "/permohonan/saya/profil/", "/permohonan/baru/"]
STAFF_PAGES = ["/permohonan/antrian/", "/permohonan/rekap-unit/", "/permohonan/antrian/ekspor.csv",
               "/permohonan/antrian/ekspor.xlsx"]


@pytest.mark.parametrize("url", APPLICANT_PAGES + STAFF_PAGES + ["/permohonan/penetapan/"])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/akun/masuk/" in response.url


@pytest.mark.parametrize("url", APPLICANT_PAGES)
def test_applicant_pages_are_for_applicants(alice, victor, login, url):
    assert login(alice).get(url).status_code == 200
    assert login(victor).get(url).status_code == 403


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_refuse_applicants_and_assessors(alice, asa, victor, sofia, login, url):
    assert login(victor).get(url).status_code == 200
    assert login(sofia).get(url).status_code == 200
    assert login(alice).get(url).status_code == 403
    assert login(asa).get(url).status_code == 403


def test_naming_is_for_verifiers_and_lsp_admins_only(victor, lina, sofia, alice, login):
    assert login(victor).get("/permohonan/penetapan/").status_code == 200
    assert login(lina).get("/permohonan/penetapan/").status_code == 200
    assert login(sofia).get("/permohonan/penetapan/").status_code == 403
    assert login(alice).get("/permohonan/penetapan/").status_code == 403


def test_another_applicant_cannot_see_alices_application_or_files(alice_profile, bob, scheme, login, client):
    app = submitted_application(alice_profile, scheme)
    file = app.documents.first().files.first()
    urls = [f"/permohonan/{app.pk}/", f"/permohonan/{app.pk}/fr-apl-01.pdf", f"/permohonan/{app.pk}/fr-apl-02.pdf",
            f"/permohonan/berkas/{file.pk}/", f"/permohonan/{app.pk}/isi/data/", f"/permohonan/{app.pk}/tarik/"]
    for url in urls:
        assert login(bob).get(url).status_code == 404, url
        assert client.get(url).status_code == 302, url
    assert login(bob).post(f"/permohonan/verifikasi/{app.pk}/keputusan/", {"action": "complete"}).status_code == 403
    assert not DocumentAccess.objects.exists()


def test_verifier_screen_refuses_applicants_and_assessors(alice_profile, scheme, asa, victor, login):
    app = submitted_application(alice_profile, scheme)
    assert login(victor).get(f"/permohonan/verifikasi/{app.pk}/").status_code == 200
    assert login(alice_profile.user).get(f"/permohonan/verifikasi/{app.pk}/").status_code == 403
    assert login(asa).get(f"/permohonan/verifikasi/{app.pk}/").status_code == 403
    assert login(asa).get(f"/permohonan/{app.pk}/").status_code == 404


def test_supervisors_read_but_cannot_decide(alice_profile, scheme, sofia, login):
    app = submitted_application(alice_profile, scheme)
    client = login(sofia)
    page = client.get(f"/permohonan/verifikasi/{app.pk}/").content.decode()
    assert "Declare complete and correct" not in page
    assert client.post(f"/permohonan/verifikasi/{app.pk}/keputusan/", {"action": "complete"}).status_code == 403


def test_assessors_see_what_the_assessments_hook_allows(alice_profile, bob_profile, scheme, asa):
    app = submitted_application(alice_profile, scheme)
    submitted_application(bob_profile, scheme)
    assert not applications_visible_to(asa).exists()
    with VISIBILITY.replaced(lambda user, qs: qs.filter(applicant__email="alice@example.go.id"), key="assessor"):
        assert list(applications_visible_to(asa)) == [app]


def test_opening_a_document_is_logged(alice_profile, scheme, victor, login):
    app = submitted_application(alice_profile, scheme)
    file = app.documents.first().files.first()
    response = login(victor).get(f"/permohonan/berkas/{file.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    access = DocumentAccess.objects.get()
    assert (access.user, access.file) == (victor, file)
    page = login(victor).get(f"/permohonan/verifikasi/{app.pk}/").content.decode()
    assert "Victor Verifier" in page.split("Document openings")[1]


def test_the_forms_are_pdfs_laid_out_like_the_paper_forms(alice_profile, scheme, login):
    app = submitted_application(alice_profile, scheme)
    client = login(alice_profile.user)
    apl01 = PdfReader(io.BytesIO(client.get(f"/permohonan/{app.pk}/fr-apl-01.pdf").content))
    text = " ".join(p.extract_text() for p in apl01.pages)
    assert "FR.APL.01" in text and alice_profile.nip in text and scheme.code in text and "Dokumen 1" in text
    apl02 = PdfReader(io.BytesIO(client.get(f"/permohonan/{app.pk}/fr-apl-02.pdf").content))
    text = " ".join(p.extract_text() for p in apl02.pages)
    assert "FR.APL.02" in text and "Elemen 1 unit" in text and "✔" in text


def test_alice_downloads_everything_the_portal_holds_about_her(alice_profile, scheme, login):
    app = submitted_application(alice_profile, scheme)
    client = login(alice_profile.user)
    assert client.get("/permohonan/saya/data-pribadi/").url == "/akun/data-pribadi/"  # its old address
    response = client.post("/akun/data-pribadi/")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["profile"][0]["nip"] == alice_profile.nip
    assert data["account"][0]["consent_given_at"]
    assert data["applications"][0]["id"] == app.pk
    assert len([n for n in archive.namelist() if n.startswith("files/")]) == 2


def test_alice_withdraws_before_the_test(alice_profile, scheme, login):
    app = submitted_application(alice_profile, scheme)
    client = login(alice_profile.user)
    response = client.post(f"/permohonan/{app.pk}/tarik/", {"reason": ""})
    assert "This field is required" in response.content.decode()
    response = client.post(f"/permohonan/{app.pk}/tarik/", {"reason": "Pindah tugas"}, follow=True)
    assert "Your application is withdrawn." in response.content.decode()
    app.refresh_from_db()
    assert app.status == "withdrawn" and app.status_reason == "Pindah tugas"


def test_homes_and_menus(alice, victor, login):
    assert login(alice).get("/beranda/", follow=True).redirect_chain[-1][0] == "/permohonan/saya/"
    response = login(victor).get("/beranda/", follow=True)
    assert response.redirect_chain[-1][0] == "/permohonan/antrian/"
    assert "Verification queue" in response.content.decode()
