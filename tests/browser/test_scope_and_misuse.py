"""Issue 30 items 3 and 4 in the browser: the LSP admin reduces a certificate's scope in a pleno-style decision;
the public verification page and the employers' API say the original is reduced and name the replacement; a
visitor reports misuse from the public page with evidence; the LSP admin handles the report to a warning and the
holder is told."""

import pytest
from django.core import mail
from django.utils import timezone

from applicants.samples import sample_png
from assessments.certificates import services as certs
from assessments.certificates.models import Certificate
from assessments.certificates.scope_models import MisuseReport
from assessments.certificates.services.holder import api_token_issue
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


def _reduce(page, cert, quinn) -> Certificate:
    page.goto(f"/asesmen/sertifikat/{cert.pk}/")
    page.click("#reduce-scope")
    page.wait_for_load_state()
    removed = cert.snapshot["units"][-1]["code"]
    page.locator(f'input[name="kept"][value="{removed}"]').uncheck()
    page.select_option('select[name="ground"]', "surveillance")
    page.fill('input[name="ground_reference"]', "SURV-2026-07")
    page.fill('input[name="decree_number"]', "SK-LSP/RED/007/2026")
    page.fill('input[name="decided_on"]', timezone.localdate().isoformat())
    page.locator(f'input[name="members"][value="{quinn.pk}"]').check()
    page.fill('textarea[name="reason"]', "Bukti surveilans tidak menunjukkan praktik unit terakhir.")
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.click("#reduce-submit")
    page.wait_for_url("**/sertifikat/*/")
    new = Certificate.objects.get(replaces=cert)
    assert page.url.endswith(f"/sertifikat/{new.pk}/")
    assert cert.number in page.locator("#cert-reduction").inner_text()
    assert removed in page.locator("#cert-reduction").inner_text()
    return new


def test_reduction_shows_publicly_and_a_misuse_report_is_handled_to_a_warning(page, live_server, cert, lina, quinn,
                                                                               alice, tmp_path):
    ui_login(page, lina.email, PASSWORD, land=True)
    new = _reduce(page, cert, quinn)
    removed = cert.snapshot["units"][-1]["code"]
    ui_logout(page)

    page.goto(f"/asesmen/verifikasi/{cert.verification_code}/")
    assert page.locator("#verify-status").get_attribute("data-status") == "reduced"
    assert new.number in page.locator("#verify-reduced").inner_text()
    assert removed in page.locator("#verify-reduced").inner_text()
    _token, raw = api_token_issue(name="PT Pemberi Kerja", actor=lina)
    answer = page.request.post(f"{live_server.url}/api/v1/certificates/lookup",
                               data={"codes": [cert.verification_code]},
                               headers={"Authorization": f"Bearer {raw}"}).json()["results"][0]
    assert answer["status"] == "reduced" and answer["replaced_by"] == new.number
    assert [u["code"] for u in answer["units_removed"]] == [removed]

    page.goto(f"/asesmen/verifikasi/{new.verification_code}/")
    assert cert.number in page.locator("#verify-replaces-reduced").inner_text()
    page.click("#report-misuse")
    page.wait_for_load_state()
    evidence = tmp_path / "brosur.png"
    evidence.write_bytes(sample_png())
    page.fill('textarea[name="what"]', "Logo BNSP dipasang pada brosur jasa konsultan pribadi.")
    page.fill('input[name="where"]', "https://jasa.example/brosur")
    page.fill('input[name="reporter_contact"]', "pelapor@example.com")
    page.set_input_files('input[name="evidence"]', str(evidence))
    page.click("#misuse-submit")
    page.wait_for_url("**/penyalahgunaan/lacak/**")  # the thank-you page is the page that follows the report
    assert page.locator(".alert-success").count() == 1
    report = MisuseReport.objects.get()
    assert page.locator("#misuse-number").inner_text() == report.number
    assert report.certificate == new and report.files.count() == 1

    ui_login(page, lina.email, PASSWORD)
    page.goto("/asesmen/penyalahgunaan/")
    page.locator('#misuse-table tr[data-status="received"] a').click()
    page.wait_for_load_state()
    assert "brosur.png" in page.locator(".misuse-file").inner_text()
    page.fill("#misuse-handle-form textarea", "Pemegang diminta menarik brosur dan tidak memakai logo BNSP.")
    page.click("#misuse-warned")
    page.wait_for_load_state()
    assert MisuseReport.objects.get().status == "warned"
    assert "menarik brosur" in page.locator("#misuse-result").inner_text()
    assert page.locator("#misuse-warned").count() == 0
    assert any(alice.email in m.to and new.number in m.subject for m in mail.outbox)
