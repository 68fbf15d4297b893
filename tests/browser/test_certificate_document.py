"""Issue 18's first proof, end to end in Chromium: the LSP admin issues a certificate on the participant's page,
types back BNSP's registration and blanko numbers, downloads the PDF, and the PDF read back shows the registration
number, the holder's accepted dossier photo and the signatory (name, position, NIP); its electronic signature
validates against the LSP's CA."""

import subprocess

import pytest

from assessments import services
from certportal.lsp.demo import DEMO
from tests.assessments.conftest import alice_app, assessor, bob_app, decided, event, scheme, site  # noqa: F401
from tests.assessments.test_certificate_layout import (
    PHOTO_SIZE,
    add_accepted_photo,
    pdfimages,
    profile,  # noqa: F401  (the LSP profile: logo, signatory)
)
from tests.browser.conftest import ui_login
from tests.esign import throwaway_signer, validate_against
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "sertifikat.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def test_issued_in_the_browser_numbered_downloaded_photo_signatory_and_signature(
        page, profile, decided, lina, alice, tmp_path, settings):  # noqa: F811
    signer = throwaway_signer(tmp_path, settings)
    p = decided.participants.get(application__applicant=alice)
    add_accepted_photo(p.application)
    services.participant_accept_obligations(p, user=alice)

    ui_login(page, lina.email, PASSWORD)
    page.goto(f"/asesmen/peserta/{p.pk}/")
    page.once("dialog", lambda d: d.accept())  # it asks first (an act that decides)
    page.click("#issue-certificate")
    page.wait_for_load_state()
    assert "Sertifikat telah diterbitkan" in page.locator("main").inner_text()
    cert = p.certificates.get()

    page.goto(f"/asesmen/sertifikat/bnsp/?event={decided.pk}")
    page.fill(f"input[name=reg-{cert.pk}]", "91.2026.0042.BNSP")
    page.fill(f"input[name=blanko-{cert.pk}]", "BLK-00042")
    page.click("#bnsp-typed button")
    page.wait_for_load_state()
    page.click("#bnsp-apply")
    page.wait_for_load_state()
    assert "Nomor BNSP dicatat untuk 1 sertifikat" in page.content()

    page.goto(f"/asesmen/sertifikat/{cert.pk}/")
    with page.expect_download() as download:
        page.locator(f"a[href='/asesmen/sertifikat/{cert.pk}/pdf/']").first.click(modifiers=["Alt"])
    pdf = download.value.path().read_bytes()
    text = _text(pdf, tmp_path)
    assert "No. Registrasi BNSP / BNSP registration no.: 91.2026.0042.BNSP" in text and "BLK-00042" in text
    assert DEMO["signatory_name"] in text and f"NIP {DEMO['signatory_nip']}" in text
    assert DEMO["signatory_position"] in text and cert.holder_name in text
    assert (1, *PHOTO_SIZE) in pdfimages(pdf)  # the holder's accepted photo, on the front page
    assert validate_against(pdf, signer.ca_pem).authentic
