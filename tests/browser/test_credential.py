"""The Open Badges credential in the browser (issue 31): the holder downloads it from their certificate page, an
independent verifier (DIDKit, offline) finds it valid and unaltered; the LSP admin suspends the certificate; the
published status list says suspended and the public page given the same file says suspended; a changed name in
the file is reported as tampered."""

import datetime
import json

import pytest
from django.utils import timezone

from assessments.certificates import services as certs
from assessments.certificates.credentials import keys, status
from tests.assessments.conftest import alice_app, assessor, bob_app, event, scheme, site  # noqa: F401
from tests.assessments.factories import decide_event
from tests.browser.conftest import ui_login, ui_logout
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cert(event, lina, tono, asa, alice):  # noqa: F811
    decided = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K",
                           accept_obligations=True)
    return certs.certificate_issue(decided.participants.get(application__applicant=alice), actor=lina)


def _check_on_public_page(page, path) -> tuple[str, str]:
    page.goto("/asesmen/verifikasi/kredensial/")
    page.set_input_files('input[type="file"]', str(path))
    page.locator("main form button").click()
    page.wait_for_load_state()
    return page.locator("#credential-check").get_attribute("data-verdict"), page.locator("#credential-reasons").inner_text()


def test_holder_downloads_the_credential_and_a_suspension_reaches_every_verifier(page, cert, alice, lina, tmp_path):
    ui_login(page, alice.email, PASSWORD)
    page.goto(f"/asesmen/saya/sertifikat/{cert.pk}/")
    assert page.locator("#credential-qr").is_visible()
    with page.expect_download() as download:
        page.click("#credential-download-vc1")  # the VC 1.1 form, for verifiers that know only VC 1.1
    saved = tmp_path / "credential.json"
    download.value.save_as(saved)
    text = saved.read_text()
    assert keys.didkit({"op": "verify", "credential": text}) == {"checks": ["proof"], "warnings": [], "errors": []}
    doc = json.loads(text)
    assert doc["credentialSubject"]["licenseNumber"] == cert.number
    assert _check_on_public_page(page, saved)[0] == "valid"
    ui_logout(page)

    ui_login(page, lina.email, PASSWORD)
    page.goto(f"/asesmen/sertifikat/{cert.pk}/")
    suspend = page.locator('form[data-action="assessments.certificate.suspended"]')
    suspend.locator("textarea").fill("Diperiksa atas pengaduan.")
    suspend.locator('input[type="date"]').fill((timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    page.once("dialog", lambda d: d.accept())
    suspend.locator("button").click()
    page.wait_for_load_state()
    assert page.locator("#cert-state").get_attribute("class").endswith("warning")
    ui_logout(page)

    # the status list, as any verifier fetches it from the address the credential gives (its path on this server)
    index = int(doc["credentialStatus"]["statusListIndex"])
    path = "/asesmen/kredensial/status/suspension.json"
    assert doc["credentialStatus"]["statusListCredential"].endswith(path.replace("suspension", "revocation"))
    listed = page.request.get(path).text()
    assert keys.didkit({"op": "verify", "credential": listed})["errors"] == []
    assert status.is_set(status.decode(json.loads(listed)["credentialSubject"]["encodedList"]), index)

    verdict, why = _check_on_public_page(page, saved)
    assert verdict == "suspended" and ("dibekukan" in why.lower() or "suspended" in why.lower())
    page.screenshot(path=str(tmp_path / "credential-suspended.png"), full_page=True)

    doc["credentialSubject"]["identifier"][1]["identityHash"] = "Nama Yang Diubah"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(doc))
    verdict, why = _check_on_public_page(page, changed)
    assert verdict == "tampered" and ("signature" in why.lower() or "tanda tangan" in why.lower())


def _suspend_in_the_browser(page, lina, cert):
    ui_login(page, lina.email, PASSWORD)
    page.goto(f"/asesmen/sertifikat/{cert.pk}/")
    suspend = page.locator('form[data-action="assessments.certificate.suspended"]')
    suspend.locator("textarea").fill("Diperiksa atas pengaduan.")
    suspend.locator('input[type="date"]').fill((timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    page.once("dialog", lambda d: d.accept())
    suspend.locator("button").click()
    page.wait_for_load_state()
    assert page.locator("#cert-state").get_attribute("class").endswith("warning")
    ui_logout(page)


def _v2_lists(page) -> dict:
    from assessments.certificates.credentials import vc2

    return {vc2.list_url(p): page.request.get(f"/asesmen/kredensial/status/v2/{p}.json").json()
            for p in ("revocation", "suspension")}


def test_the_wallet_form_is_valid_for_digital_bazaar_until_the_lsp_suspends_it(page, cert, alice, lina, tmp_path):
    """The default download is the VC 2.0 form (for wallets): Digital Bazaar's verifier (Node, offline) finds it
    valid and not suspended; after the LSP admin suspends the certificate in the browser, the published Bitstring
    suspension list has its bit set, and the public page says suspended."""
    from tests.assessments.test_credentials_vc2 import node_verify

    ui_login(page, alice.email, PASSWORD)
    page.goto(f"/asesmen/saya/sertifikat/{cert.pk}/")
    with page.expect_download() as download:
        page.click("#credential-download")
    saved = tmp_path / "credential-v2.json"
    download.value.save_as(saved)
    doc = json.loads(saved.read_text())
    assert doc["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    answer = node_verify(doc, _v2_lists(page))
    assert answer["verified"] is True and answer["status"] == {"revocation": False, "suspension": False}, answer
    assert _check_on_public_page(page, saved)[0] == "valid"
    ui_logout(page)

    _suspend_in_the_browser(page, lina, cert)
    answer = node_verify(doc, _v2_lists(page))
    assert answer["verified"] is True and answer["status"] == {"revocation": False, "suspension": True}, answer
    assert _check_on_public_page(page, saved)[0] == "suspended"


def test_the_credential_pages_pass_axe_at_both_widths(browser, live_server, cert, alice, tmp_path):
    """The holder's credential card and the public check (empty, and with a verdict) have no serious or critical
    axe-core violation, at 390 px and 1280 px."""
    from tests.browser import a11y

    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    text = services_credential(cert)
    saved = tmp_path / "credential.json"
    saved.write_text(text)
    problems = []
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        problems += a11y.check_page(page, a11y.Page("/asesmen/verifikasi/kredensial/", submit_empty=True), submit=True)
        assert _check_on_public_page(page, saved)[0] == "valid"
        problems += [v["id"] for v in a11y.run_axe(page)]
    ui_login(page, alice.email, PASSWORD, land=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        problems += a11y.check_page(page, a11y.Page(f"/asesmen/saya/sertifikat/{cert.pk}/"))
    context.close()
    assert problems == []


def services_credential(cert) -> str:
    from assessments.certificates.credentials.services import credential_for

    return credential_for(cert).document
