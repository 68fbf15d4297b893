"""Certificates through the browser (issue 13): a batch print never includes a suspended or expired certificate and
says who it skipped and why; the handover form refuses a suspended certificate (Indonesian and English); "issue
and print" with nobody printable says it produced nothing; a print job whose worker died becomes failed and the
LSP admin retries it; a holder is told of a suspension by e-mail and in the portal."""

import datetime
import io

import pytest
from django.core import mail
from django.utils import timezone

from assessments.certificates import services as certs
from assessments.certificates.models import Certificate, PrintJob
from tests.assessments.conftest import alice_app, assessor, bob_app, decided, event, scheme, site  # noqa: F401
from tests.assessments.factories import decide_event, make_application, planned_event
from tests.browser.conftest import ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages).split())


def _switch_to_english(page) -> None:
    page.get_by_test_id("switch-language").click()
    page.wait_for_load_state()


@pytest.fixture
def three_certified(lina, tono, asa, scheme, site, assessor, alice_app, bob_app, alice):  # noqa: F811
    """An event whose three participants are competent and have certificates: Alice's suspended, Bob's expired,
    Citra's valid."""
    citra = UserFactory(full_name="Citra Applicant", email="citra@example.go.id", roles=["applicant"])
    apps = [alice_app, bob_app, make_application(scheme, citra, name="Citra Applicant, S.T.")]
    ev = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=apps)
    ev = decide_event(ev, admin=lina, tuk_head=tono, assessor_user=asa, decision="K", accept_obligations=True)
    issued = {p.application.applicant.email: certs.certificate_issue(p, actor=lina)
              for p in ev.participants.select_related("application__applicant")}
    certs.certificate_suspend(issued["alice@example.go.id"], actor=lina, reason="Diperiksa atas pengaduan.",
                              until=timezone.localdate() + datetime.timedelta(days=30))
    Certificate.objects.filter(pk=issued["bob@example.go.id"].pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1))
    return ev, issued


def test_a_whole_event_print_skips_the_suspended_and_the_expired_certificate_and_says_why(
        page, three_certified, lina, tmp_path):
    ev, issued = three_certified
    ui_login(page, lina.email, PASSWORD)
    page.goto(f"/asesmen/acara/{ev.pk}/#print")
    page.click("#print-certificates")
    skipped = page.locator("#print-skipped").inner_text()
    assert "Alice Applicant" in skipped and "dibekukan sampai" in skipped
    assert "Bob Applicant" in skipped and "kedaluwarsa pada" in skipped
    assert page.locator("#print-will").inner_text().strip() == "Citra Applicant, S.T."
    page.screenshot(path=str(tmp_path / "print-preview-id.png"), full_page=True)
    page.click("#print-confirm")
    page.wait_for_load_state()
    job_item = page.locator(".print-job").first
    job_item.locator(".job-download:not(.d-none)").wait_for()
    listed = job_item.locator(".job-skipped").inner_text()
    assert "dibekukan sampai" in listed and "kedaluwarsa pada" in listed
    href = job_item.locator(".job-download").get_attribute("href")
    text = _pdf_text(page.request.get(href).body())
    assert issued["citra@example.go.id"].number in text
    assert issued["alice@example.go.id"].number not in text and issued["bob@example.go.id"].number not in text
    job = PrintJob.objects.get()
    assert job.total == 1 and {s["code"] for s in job.skipped} == {"suspended", "expired"}


def test_the_handover_form_refuses_a_suspended_certificate_in_both_languages(page, three_certified, lina, victor):
    ev, issued = three_certified
    cert = issued["citra@example.go.id"]
    ui_login(page, victor.email, PASSWORD)
    page.goto(f"/asesmen/sertifikat/{cert.pk}/")
    assert page.locator("#handover-form").is_visible()
    # meanwhile the LSP suspends it: the form, loaded before, is refused with the reason
    certs.certificate_suspend(cert, actor=lina, reason="Diperiksa.", until=timezone.localdate()
                              + datetime.timedelta(days=10))
    page.fill("input[name=received_by]", "Citra Applicant")
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.click("#handover")
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert "Sertifikat ini tidak diserahkan: sertifikat dibekukan sampai" in body
    assert page.locator("#handover-form").count() == 0
    assert not cert.handovers.exists()
    _switch_to_english(page)
    refused = page.locator('[data-refused="assessments.certificate.handed_over"]').inner_text()
    assert "This certificate is not handed over: the certificate is suspended until" in refused
    # a suspended certificate of the other holder: no form, the reason instead
    page.goto(f"/asesmen/sertifikat/{issued['alice@example.go.id'].pk}/")
    assert page.locator("#handover-form").count() == 0
    assert "is suspended until" in page.locator('[data-refused="assessments.certificate.handed_over"]').inner_text()


def test_issue_and_print_without_accepted_obligations_lists_the_skipped_and_says_nothing_was_printed(
        page, decided, lina, tmp_path):  # noqa: F811
    ui_login(page, lina.email, PASSWORD)
    page.goto(f"/asesmen/acara/{decided.pk}/#print")
    page.click("#print-certificates")
    skipped = page.locator("#print-skipped").inner_text()
    assert "Alice Applicant" in skipped and "belum menyetujui kewajiban pemegang sertifikat" in skipped
    assert "Bob Applicant" in skipped and "belum kompeten (BK)" in skipped
    assert page.locator("#print-nothing").is_visible()
    page.click("#print-confirm")
    page.wait_for_load_state()
    item = page.locator(".print-job").first
    item.locator(".job-nothing:not(.d-none)").wait_for()
    assert "Tidak ada yang dicetak" in item.inner_text() and "0/0" not in item.inner_text()
    assert "belum menyetujui kewajiban" in item.locator(".job-skipped").inner_text()
    assert item.locator(".job-download.d-none").count() == 1  # no empty PDF offered
    page.screenshot(path=str(tmp_path / "print-nothing-id.png"), full_page=True)
    job = PrintJob.objects.get()
    assert job.status == "done" and job.total == 0 and not job.file and not Certificate.objects.exists()


def test_a_job_whose_worker_died_is_failed_by_the_periodic_check_and_the_lsp_admin_retries_it(
        page, decided, lina, settings):  # noqa: F811
    from assessments.tasks import sweep_print_jobs

    settings.ASSESSMENT_PRINT_RUNNING_MINUTES = 15
    job = PrintJob.objects.create(event=decided, kind="letters", status="running", created_by=lina,
                                  moved_at=timezone.now() - datetime.timedelta(minutes=20))
    assert sweep_print_jobs.run() == 1
    ui_login(page, lina.email, PASSWORD)
    page.goto(f"/asesmen/acara/{decided.pk}/#print")
    item = page.locator(".print-job").first
    assert "Gagal" in item.inner_text() and "tidak berjalan maju selama 15 menit" in item.inner_text()
    with page.expect_navigation():
        item.locator(".job-retry button").click()
    page.locator(".print-job .job-download:not(.d-none)").first.wait_for()
    href = page.locator(".print-job .job-download").first.get_attribute("href")
    text = _pdf_text(page.request.get(href).body())
    assert "Alice Applicant" in text and "Bob Applicant" in text
    job.refresh_from_db()
    assert job.status == "done" and job.error == "" and job.total == 2


def test_the_holder_is_told_of_a_suspension_by_e_mail_and_in_the_portal(page, three_certified, lina, tmp_path):
    ev, issued = three_certified
    cert = issued["citra@example.go.id"]
    mail.outbox.clear()
    ui_login(page, lina.email, PASSWORD)
    page.goto(f"/asesmen/sertifikat/{cert.pk}/")
    form = page.locator('form[data-action="assessments.certificate.suspended"]')
    form.locator("textarea[name=reason]").fill("Diperiksa atas laporan pengaduan nomor 12.")
    form.locator("input[name=until]").fill((timezone.localdate() + datetime.timedelta(days=20)).isoformat())
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    form.locator("button").click()
    page.wait_for_load_state()
    assert page.locator("#cert-state").inner_text() == "Dibekukan"
    sent = [m for m in mail.outbox if m.to == ["citra@example.go.id"]]
    assert len(sent) == 1 and cert.number in sent[0].subject and "dibekukan" in sent[0].subject
    assert "laporan pengaduan nomor 12" in sent[0].body
    page.context.clear_cookies()
    ui_login(page, "citra@example.go.id", PASSWORD)
    page.goto("/notifikasi/")
    inbox = page.locator("main").inner_text()
    assert f"Sertifikat Anda {cert.number} dibekukan" in inbox
    page.screenshot(path=str(tmp_path / "holder-notice-id.png"), full_page=True)
