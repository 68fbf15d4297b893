"""Switching a fresh portal on from the sample files (docs/operations/switching-on.md), in a browser: the LSP admin
uploads SIASN's roster (``fixtures/roster/``), waits for the preview and imports it, then the LSP's paper register of
certificates (``fixtures/adoption/``), previews and imports it; an anonymous visitor then verifies one of the imported
certificates on the public verification page by its printed number and the holder's name, and reads that the paper
original is the record. The jobs run as the live server runs them (eagerly, when the upload or the confirmation
commits); every wait is on a state of the page."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from agencies import roster_sample
from applicants.models import Agency
from certportal.accounts.models import Role
from tests.browser.conftest import ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ROSTER = FIXTURES / "roster" / "siasn_data_utama_contoh.csv"
REGISTER = FIXTURES / "adoption" / "register_sertifikat.csv"
# a line of the sample register: printed number, holder as printed
NUMBER, HOLDER = "00001/SKK/LSP-BPSDM/2025", "Sri Mulyani Handayani, S.Pd."


@pytest.fixture
def fresh_portal(db):
    """What comes before the day (switching-on.md): the reference schemes and the agencies, spelt as SIASN does."""
    from schemes.reference import load_pelayanan_prima

    load_pelayanan_prima()
    for name in roster_sample.AGENCIES:
        Agency.objects.get_or_create(name=name)
    return UserFactory(full_name="Lina LSP", email="lina@lsp.go.id", roles=[Role.LSP_ADMIN])


def _upload(page, url: str, sample: Path, button: str) -> None:
    page.goto(url)
    page.set_input_files("input[name=file]", str(sample))
    with page.expect_navigation():
        page.click(button)
    expect(page.locator("#job-status")).to_have_text("Sudah dibaca, untuk diperiksa")  # the preview


def test_a_fresh_portal_is_switched_on_from_the_sample_files_and_an_imported_certificate_verifies(
        fresh_portal, page, browser, live_server):
    ui_login(page, fresh_portal.email, PASSWORD, land=True)

    _upload(page, "/perangkat-daerah/daftar-pegawai/", ROSTER, "#roster-upload")
    expect(page.locator("#preview-faulty")).to_have_text("0")
    expect(page.locator("#preview-added")).to_have_text("120")
    with page.expect_navigation():
        page.click("#import-confirmed")
    expect(page.locator("#job-status")).to_have_text("Diimpor")
    expect(page.locator("#import-result")).to_contain_text("120")

    _upload(page, "/asesmen/sertifikat/register/", REGISTER, "#register-upload")
    expect(page.locator("#count-faulty")).to_contain_text("0")
    expect(page.locator("#count-new")).to_contain_text("24")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    with page.expect_navigation():
        page.click("#import-confirm")
    expect(page.locator("#job-status")).to_have_text("Diimpor")
    expect(page.locator("#import-result")).to_be_visible()
    assert "24" in asked[0]

    visitor = browser.new_context(base_url=live_server.url, locale="id-ID")
    public = visitor.new_page()
    public.goto("/asesmen/verifikasi/")
    public.fill("input[name=kode]", NUMBER)
    public.fill("input[name=nama]", "Sri Mulyani Handayani")
    with public.expect_navigation():
        public.click("main form button:has-text('Verifikasi')")
    expect(public.locator("#verify-status")).to_have_attribute("data-status", "valid")
    expect(public.locator("#verify-holder")).to_have_text(HOLDER)
    expect(public.locator("#paper-original")).to_contain_text("dokumen asli kertas adalah rekaman yang sah")
    visitor.close()
