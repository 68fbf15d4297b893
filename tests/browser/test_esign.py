"""Electronic signatures through the browser (issue 18 point 3): a holder downloads their certificate, anyone uploads
it on the public page and reads "authentic" and the certificate's status; a copy with one byte changed is
recognised as modified; both in Indonesian and in English, on a desktop and on a phone."""

import pytest

from assessments.certificates import services as certs
from tests.assessments.conftest import alice_app, assessor, bob_app, decided, event, scheme, site  # noqa: F401
from tests.browser.conftest import ui_login, ui_logout
from tests.esign import one_byte_changed, throwaway_signer, validate_against
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def esign(tmp_path, settings):
    return throwaway_signer(tmp_path, settings)


@pytest.fixture
def alice_cert(decided, lina, alice):  # noqa: F811
    from assessments import services

    p = decided.participants.get(application__applicant=alice)
    services.participant_accept_obligations(p, user=alice)
    return certs.certificate_issue(p, actor=lina), p


def _no_blocking_axe_violations(page) -> None:
    from tests.browser import a11y

    assert a11y.run_axe(page) == []


def _check(page, data: bytes, name: str) -> str:
    page.goto("/asesmen/verifikasi/dokumen/")
    page.set_input_files("input[name=berkas]", files=[{"name": name, "mimeType": "application/pdf", "buffer": data}])
    page.get_by_role("button", name=("Periksa dokumen", "Check the document")[page.locator("html").get_attribute(
        "lang") == "en"]).click()
    page.wait_for_load_state()
    return page.locator("#document-check").inner_text()


def test_a_downloaded_certificate_is_authentic_on_the_public_page_and_a_tampered_copy_is_not(
        page, phone_page, esign, alice_cert, alice, lina, tmp_path):

    cert, participant = alice_cert
    ui_login(page, alice.email, PASSWORD)
    page.goto(f"/asesmen/saya/{participant.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Sertifikat {cert.number} (PDF)").click(modifiers=["Alt"])
    pdf = (tmp_path / "sertifikat.pdf")
    download_info.value.save_as(pdf)
    data = pdf.read_bytes()
    assert validate_against(data, esign.ca_pem).authentic
    ui_logout(page)

    said = _check(page, data, "sertifikat.pdf")  # anonymous, Indonesian
    assert "Asli: dokumen ini diterbitkan dan ditandatangani secara elektronik" in said
    assert "Berlaku" in page.locator("#document-status").inner_text() and cert.holder_name in said
    page.screenshot(path=str(tmp_path / "authentic-id-1280.png"), full_page=True)
    _no_blocking_axe_violations(page)
    said = _check(page, one_byte_changed(data), "sertifikat-diubah.pdf")
    assert "Diubah: dokumen ini telah diubah setelah ditandatangani" in said
    page.screenshot(path=str(tmp_path / "modified-id-1280.png"), full_page=True)

    page.get_by_test_id("switch-language").click()
    page.wait_for_load_state()
    said = _check(page, data, "certificate.pdf")
    assert "Authentic: this document was issued and signed electronically" in said
    assert "Valid" in page.locator("#document-status").inner_text()
    page.screenshot(path=str(tmp_path / "authentic-en-1280.png"), full_page=True)
    said = _check(page, one_byte_changed(data), "certificate-changed.pdf")
    assert "Modified: this document has been changed after it was signed" in said
    page.screenshot(path=str(tmp_path / "modified-en-1280.png"), full_page=True)
    _no_blocking_axe_violations(page)

    ui_login(page, lina.email, PASSWORD)  # the LSP admin sees the signature on the certificate's page
    page.goto(f"/asesmen/sertifikat/{cert.pk}/")
    assert "Ditandatangani" in page.locator("#esign-history").inner_text()  # in her own language
    page.screenshot(path=str(tmp_path / "certificate-page-id-1280.png"), full_page=True)

    said = _check(phone_page, data, "sertifikat.pdf")
    assert "Asli" in said
    phone_page.screenshot(path=str(tmp_path / "authentic-id-390.png"), full_page=True)
    _no_blocking_axe_violations(phone_page)


def test_the_public_page_shows_a_suspension_of_an_authentic_certificate(page, esign, alice_cert, lina):
    import datetime

    from django.utils import timezone

    cert, _p = alice_cert
    data = certs.signed_certificate_pdf(cert)
    certs.certificate_suspend(cert, actor=lina, reason="Diperiksa atas laporan pemegang.",
                              until=timezone.localdate() + datetime.timedelta(days=30))
    said = _check(page, data, "sertifikat.pdf")
    assert "Asli" in said and "Dibekukan" in page.locator("#document-status").inner_text()
    assert "jangan terima sebagai bukti kompetensi" in said
