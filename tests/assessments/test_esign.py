"""Electronic signatures on the documents people download (certificate, result letter, berita acara), validated
with pyHanko against a CA made for the test; the public page's check of an uploaded PDF."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.certificates import services as certs
from certportal.signing.models import SignedDocument
from certportal.signing.validation import Verdict
from tests.esign import one_byte_changed, throwaway_signer, validate_against

pytestmark = pytest.mark.django_db

VERIFY_DOCUMENT = reverse("assessments:verify-document")


@pytest.fixture
def esign(tmp_path, settings):
    return throwaway_signer(tmp_path, settings)


@pytest.fixture
def alice_cert(decided, lina, alice):
    p = decided.participants.get(application__applicant=alice)
    services.participant_accept_obligations(p, user=alice)
    return certs.certificate_issue(p, actor=lina)


@pytest.fixture
def bob_letter(decided, lina, bob):
    return certs.result_letter_issue(decided.participants.get(application__applicant=bob), actor=lina)


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def upload(client, data: bytes, name: str = "sertifikat.pdf", **extra):
    return client.post(VERIFY_DOCUMENT, {"berkas": SimpleUploadedFile(name, data, "application/pdf")}, **extra)


def test_every_kind_of_document_downloaded_is_signed_and_a_changed_byte_breaks_it(
        esign, alice_cert, bob_letter, decided, alice, bob, lina, login):
    documents = {
        "certificate": download(login(alice), reverse("assessments:certificate-pdf", args=[alice_cert.pk])),
        "result_letter": download(login(bob), reverse("assessments:letter-pdf", args=[bob_letter.pk])),
        "report": download(login(lina), reverse("assessments:event-document", args=[decided.pk, "berita-acara"])),
    }
    for kind, pdf in documents.items():
        check = validate_against(pdf, esign.ca_pem)
        assert check.verdict == Verdict.AUTHENTIC, kind
        assert validate_against(one_byte_changed(pdf), esign.ca_pem).verdict == Verdict.MODIFIED, kind
        assert SignedDocument.objects.filter(kind=kind, outcome="signed").exists()
    assert validate_against(documents["certificate"], esign.ca_pem).reason == f"Sertifikat kompetensi {alice_cert.number}"


def test_a_draft_berita_acara_is_not_signed(esign, event, lina, login):
    pdf = download(login(lina), reverse("assessments:event-document", args=[event.pk, "berita-acara"]))
    assert validate_against(pdf, esign.ca_pem).verdict == Verdict.UNSIGNED
    assert not SignedDocument.objects.filter(kind="report").exists()


def test_a_signing_failure_still_gives_the_certificate_and_the_admin_sees_why(
        esign, settings, alice_cert, alice, lina, login):
    settings.ESIGN_PKCS12_PASSWORD = "salah"
    pdf = download(login(alice), reverse("assessments:certificate-pdf", args=[alice_cert.pk]))
    assert pdf.startswith(b"%PDF-")
    assert validate_against(pdf, esign.ca_pem).verdict == Verdict.UNSIGNED
    page = login(lina).get(reverse("assessments:certificate", args=[alice_cert.pk])).content.decode()
    assert "Electronic signature" in page or "Tanda tangan elektronik" in page
    assert "ESIGN_PKCS12_PASSWORD" in page


def test_the_public_page_says_authentic_and_the_status_now(esign, alice_cert, alice, lina, login, client):
    pdf = download(login(alice), reverse("assessments:certificate-pdf", args=[alice_cert.pk]))
    page = upload(client, pdf).content.decode()
    assert "Asli: dokumen ini diterbitkan dan ditandatangani secara elektronik" in page
    client.cookies["django_language"] = "en"
    page = upload(client, pdf).content.decode()
    assert "Authentic: this document was issued and signed electronically" in page
    assert 'data-status="valid"' in page and alice_cert.holder_name in page
    certs.certificate_suspend(alice_cert, actor=lina, reason="Laporan pemegang",
                              until=timezone.localdate() + datetime.timedelta(days=30))
    page = upload(client, pdf).content.decode()
    assert 'data-verdict="authentic"' in page and 'data-status="suspended"' in page
    certs.certificate_withdraw(alice_cert, actor=lina, reason="Dicabut")
    assert 'data-status="withdrawn"' in upload(client, pdf).content.decode()


def test_the_public_page_recognises_a_tampered_copy(esign, alice_cert, alice, login, client):
    pdf = download(login(alice), reverse("assessments:certificate-pdf", args=[alice_cert.pk]))
    response = upload(client, one_byte_changed(pdf))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-verdict="modified"' in page
    assert "data-status" not in page  # a modified file is matched to no record


def test_the_public_page_knows_an_expired_certificate(esign, alice_cert, alice, login, client, time_machine):
    pdf = download(login(alice), reverse("assessments:certificate-pdf", args=[alice_cert.pk]))
    time_machine.move_to(alice_cert.expires_on + datetime.timedelta(days=2))
    assert 'data-status="expired"' in upload(client, pdf).content.decode()


def test_a_pdf_signed_by_someone_else_is_not_this_lsps(esign, alice_cert, alice, login, client, settings, tmp_path):
    pdf = download(login(alice), reverse("assessments:certificate-pdf", args=[alice_cert.pk]))
    from certportal.signing.democa import ensure_demo_signer

    settings.ESIGN_TRUST_ROOTS = [str(ensure_demo_signer(tmp_path / "lain").ca_pem)]
    assert 'data-verdict="untrusted"' in upload(client, pdf).content.decode()


def test_hostile_uploads_are_refused_with_a_clear_message(esign, client, settings):
    page = upload(client, b"<html><script>alert(1)</script></html>", name="sertifikat.pdf").content.decode()
    assert "is not a real PDF file" in page or "bukan berkas PDF" in page
    settings.MAX_UPLOAD_MB = 0.001
    response = upload(client, b"%PDF-1.7\n" + b"0" * 5000, name="besar.pdf")
    assert response.status_code == 400 and "MB" in response.content.decode()
    page = upload(client, b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj",
                  name="skrip.pdf").content.decode()
    assert "data-verdict" not in page


def test_uploads_are_rate_limited_like_the_look_ups(esign, client, settings):
    settings.ASSESSMENT_VERIFY_PER_MINUTE = 2
    for _ in range(2):
        assert upload(client, b"bukan pdf").status_code == 400
    assert upload(client, b"bukan pdf").status_code == 429


def test_anyone_may_check_a_document_logged_in_or_not(esign, alice, lina, login, client):
    for who in (client, login(alice), login(lina)):
        assert who.get(VERIFY_DOCUMENT).status_code == 200


def test_the_certificate_pages_signature_history_is_for_staff_only(esign, alice_cert, alice, lina, login):
    download(login(alice), reverse("assessments:certificate-pdf", args=[alice_cert.pk]))
    url = reverse("assessments:certificate", args=[alice_cert.pk])
    assert 'id="esign-history"' in login(lina).get(url).content.decode()
    response = login(alice).get(url)
    assert 'id="esign-history"' not in response.content.decode()


def test_a_berita_acara_that_could_not_be_signed_is_given_unsigned_and_the_event_page_says_why(
        esign, settings, decided, lina, login):
    settings.ESIGN_PKCS12_PATH = "/nonexistent/lsp.p12"
    client = login(lina)
    pdf = download(client, reverse("assessments:event-document", args=[decided.pk, "berita-acara"]))
    assert pdf.startswith(b"%PDF-") and validate_against(pdf, esign.ca_pem).verdict == Verdict.UNSIGNED
    page = client.get(reverse("assessments:event", args=[decided.pk])).content.decode()
    assert 'id="report-signing-failed"' in page and "/nonexistent/lsp.p12" in page


def test_the_whole_event_print_is_signed_like_each_certificate(esign, alice_cert, decided, lina, login,
                                                               django_capture_on_commit_callbacks):
    """Issue 30 item 7: the print of a whole event (ONE PDF) carries the portal's signature too; the public page's
    check knows it."""
    with django_capture_on_commit_callbacks(execute=True):
        job = certs.print_job_start(decided, actor=lina, kind="certificates")
    job.refresh_from_db()
    assert job.status == "done"
    response = login(lina).get(reverse("assessments:print-download", args=[job.pk]))
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content)
    check = validate_against(pdf, esign.ca_pem)
    assert check.verdict == Verdict.AUTHENTIC and check.reason == f"Sertifikat kompetensi, cetak satu acara uji no. {decided.pk}"
    at = pdf.index(b"stream", len(pdf) // 4) + 40  # inside a page's stream, in the signed part of the file
    changed = pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1:]
    assert validate_against(changed, esign.ca_pem).verdict == Verdict.MODIFIED
    assert SignedDocument.objects.filter(kind="event_print", object_id=str(job.pk), outcome="signed").exists()
    page = upload(login(lina), pdf, name="cetak-acara.pdf").content.decode()
    assert "Cetakan satu acara uji" in page


def test_a_print_job_whose_signing_key_is_missing_fails_loudly_and_offers_no_unsigned_pdf(
        esign, alice_cert, decided, lina, victor, login, caplog, django_capture_on_commit_callbacks):
    """Issue 45 item 9: signing is configured (PKCS#12) but the key file is gone. The job runs for real (the
    outbox's tasks, eagerly) and ends failed with the reason on the event's page in the LSP admin's language, an
    ERROR line in the log and no PDF to download; once the key is back, the retry gives a signed print."""
    key = esign.p12.read_bytes()
    esign.p12.unlink()
    with caplog.at_level("ERROR"), django_capture_on_commit_callbacks(execute=True):
        job = certs.print_job_start(decided, actor=lina, kind="certificates")
    job.refresh_from_db()
    assert job.status == "failed" and not job.file and job.finished_at
    assert str(esign.p12) in job.error
    assert any(r.levelname == "ERROR" and f"Print job {job.pk}" in r.getMessage() for r in caplog.records)
    assert SignedDocument.objects.filter(kind="event_print", object_id=str(job.pk), outcome="failed").exists()
    client = login(lina)
    page = client.get(reverse("assessments:event", args=[decided.pk])).content.decode()
    assert "Cetakan tidak ditandatangani" in page and str(esign.p12) in page  # the LSP admin reads Indonesian
    assert reverse("assessments:print-retry", args=[job.pk]) in page
    tile = client.get("/beranda/", follow=True).content.decode().split('data-work="print-failed"')[1].split("</a>")[0]
    assert ">1</span>" in tile and "Pekerjaan cetak gagal" in tile  # the home's work queue: one print to retry
    assert client.get(reverse("assessments:print-download", args=[job.pk])).status_code == 404
    assert login(victor).get(reverse("assessments:print-download", args=[job.pk])).status_code == 403
    esign.p12.write_bytes(key)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("assessments:print-retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and 'data-work="print-failed"' not in client.get("/beranda/", follow=True).content.decode()
    response = client.get(reverse("assessments:print-download", args=[job.pk]))
    assert validate_against(b"".join(response.streaming_content), esign.ca_pem).verdict == Verdict.AUTHENTIC
