"""The privacy notice the registration consent cites: public, in both languages, linked from the consent and the
footer, naming the configured controller and contact."""

import pytest

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_notice_with_the_configured_controller_and_contact(client, settings):
    settings.PRIVACY_CONTROLLER = "BKPSDM Kota Contoh"
    settings.PRIVACY_CONTACT_EMAIL = "privasi@contoh.go.id"
    settings.PRIVACY_CONTACT_ADDRESS = "Jl. Merdeka 1, Kota Contoh"
    page = client.get("/privasi/").content.decode()
    assert "Pemberitahuan privasi" in page and "BKPSDM Kota Contoh" in page
    assert 'href="mailto:privasi@contoh.go.id"' in page and "Jl. Merdeka 1" in page
    assert "UU 27/2022" in page and "BNSP" in page and "jadwal retensi arsip" in page


def test_the_notice_in_english(client):
    client.cookies["django_language"] = "en"
    page = client.get("/privasi/", headers={"accept-language": "en"}).content.decode()
    assert "Privacy notice" in page and "How long it is kept" in page and "Your rights and how to use them" in page


def test_without_a_contact_address_the_notice_sends_people_to_the_complaint_form(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = ""
    page = client.get("/privasi/").content.decode()
    assert "mailto:" not in page and 'href="/pengaduan/' in page


def test_the_registration_consent_and_the_footer_link_the_notice(client):
    page = client.get("/akun/daftar/").content.decode()
    consent = page.split('name="consent"')[1].split("</div>")[0]
    assert 'href="/privasi/"' in consent
    assert page.count('href="/privasi/"') == 2  # the consent and the footer


def test_the_user_menu_leads_every_person_to_their_data(victor, login):
    assert 'href="/akun/data-pribadi/"' in login(victor).get("/beranda/", follow=True).content.decode()
    assert login(victor).get("/akun/data-pribadi/").status_code == 200


def test_the_notice_shows_the_configured_retention_periods(client, settings):
    settings.RETENTION_APPLICANT_YEARS, settings.RETENTION_COMPLAINT_YEARS = 7, 2
    settings.RETENTION_CERTIFICATE_YEARS = 4
    settings.RETENTION_MISUSE_YEARS, settings.RETENTION_UNUSED_ACCOUNT_YEARS = 6, 1
    client.cookies["django_language"] = "en"
    page = client.get("/privasi/", headers={"accept-language": "en"}).content.decode()
    assert "documents: 7 years after your last application ended" in page
    assert "4 years after they expire" in page and "2 years after the complaint was closed" in page
    assert "the evidence they sent, 6 years after the report was handled" in page
    assert "An account that never applied, and its profile: 1 year after its last log-in" in page
