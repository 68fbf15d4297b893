"""The holder's life after the certificate, in the browser: the holder reports a change affecting their
competence from their certificate, the LSP admin opens it from the work queue, suspends the certificate with a
reason and records the review, and the holder is told by e-mail and in the portal."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from assessments.certificates import services as certs
from assessments.certificates.models import HolderReport
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


def test_a_holder_report_leads_to_a_suspension_and_the_holder_is_told(page, cert, alice, lina, tmp_path):
    ui_login(page, alice.email, PASSWORD)
    page.goto("/asesmen/saya/")
    page.locator("#my-certificates a").first.click()
    page.fill("#holder-report-form textarea", "Sejak Oktober saya tidak lagi bertugas di pelayanan publik.")
    page.click("#holder-report-submit")
    page.wait_for_load_state()
    assert "Sejak Oktober saya tidak lagi bertugas" in page.locator("#holder-reports").inner_text()
    assert HolderReport.objects.filter(certificate=cert).count() == 1
    ui_logout(page)

    ui_login(page, lina.email, PASSWORD)
    page.goto("/beranda/")
    page.locator('a[data-work="holder-reports"]').click()
    page.wait_for_load_state()
    page.locator("#holder-reports-table a", has_text=cert.number).click()
    page.wait_for_load_state()
    assert "tidak lagi bertugas" in page.locator(".holder-report").inner_text()
    until = timezone.localdate() + datetime.timedelta(days=90)
    suspend = page.locator('form[data-action="assessments.certificate.suspended"]')
    suspend.locator("textarea").fill("Tidak lagi bertugas di bidang skema; dibekukan sampai asesmen ulang.")
    suspend.locator('input[type="date"]').fill(until.isoformat())
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    suspend.locator("button").click()
    page.wait_for_load_state()
    assert page.locator("#cert-state").get_attribute("class").endswith("warning")
    review = page.locator('form[data-action="assessments.holderreport.reviewed"]')
    review.locator("textarea").fill("Laporan benar; sertifikat dibekukan.")
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    review.locator("button").click()
    page.wait_for_load_state()
    assert page.locator('.holder-report[data-status="reviewed"]').count() == 1
    page.screenshot(path=str(tmp_path / "admin-certificate.png"), full_page=True)
    ui_logout(page)

    assert any(alice.email in m.to and cert.number in m.subject for m in mail.outbox)
    ui_login(page, alice.email, PASSWORD)
    page.goto(f"/asesmen/saya/sertifikat/{cert.pk}/")
    assert page.locator("#cert-state").get_attribute("class").endswith("warning")
    assert "Laporan benar; sertifikat dibekukan." in page.locator("#holder-reports").inner_text()
    page.goto("/notifikasi/")
    assert cert.number in page.content()
