"""Certificates, result letters and printing a whole event as one PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applicants.models import Status as AppStatus
from assessments import certificates as certs
from assessments import services
from assessments.models import PrintJob
from certportal.signals import service_delivered
from tests.conftest import wait_for

from .factories import assess, mark_all_present, run_steps

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def embedded_fonts(pdf: bytes) -> list[bool]:
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            desc = desc.get_object() if desc else {}
            found.append(any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    return found


@pytest.fixture
def decided(event, lina, tono, asa, alice, scheme):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    bk = scheme.scheme_units.first().unit.code
    for p in event.participants.all():
        assess(p, assessor_user=asa, results={bk: "BK"} if p.application.applicant != alice else {})
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    event = run_steps(event, 7, admin=lina, tuk_head=tono)
    for p in event.participants.all():
        services.participant_decide(p, actor=lina, decision=p.recommendation)
    return event


def test_certificate_pdf_is_real_text_with_embedded_fonts(decided, lina, alice, settings):
    settings.ASSESSMENT_CERTIFICATE_NUMBER_FORMAT = "SKK-{year}-{seq:04d}"
    p = decided.participants.get(application__applicant=alice)
    with pytest.raises(services.AssessmentError, match="obligations"):
        certs.certificate_issue(p, actor=lina)
    services.participant_accept_obligations(p, user=alice)
    cert = certs.certificate_issue(p, actor=lina)
    assert cert.number == f"SKK-{cert.issued_on.year}-0001"
    pdf = certs.certificate_pdf(cert)
    text = text_of(pdf)
    assert "SERTIFIKAT KOMPETENSI" in text and "Certificate of Competence" in text
    assert cert.number in text and cert.holder_name in text and cert.expires_on.strftime("%d-%m-%Y") in text
    assert all(embedded_fonts(pdf))
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape


def test_result_letter_lists_every_unit_with_k_or_bk(decided, lina, bob, scheme):
    p = decided.participants.get(application__applicant=bob)
    letter = certs.result_letter_issue(p, actor=lina)
    text = text_of(certs.letter_pdf(letter))
    assert "SURAT KETERANGAN HASIL UJI KOMPETENSI" in text and "BELUM KOMPETEN (BK)" in text
    for su in scheme.scheme_units.select_related("unit"):
        assert su.unit.code in text


def test_printing_the_event_makes_one_pdf_and_reports_progress(decided, lina, alice, login,
                                                               django_capture_on_commit_callbacks):
    services.participant_accept_obligations(decided.participants.get(application__applicant=alice), user=alice)
    client = login(lina)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:print-start", args=[decided.pk]), {"kind": "letters"})
    job = PrintJob.objects.get()
    status = client.get(reverse("assessments:print-status", args=[job.pk])).json()
    assert status["status"] == "done" and status["done"] == status["total"] == 2 and status["percent"] == 100
    pdf = b"".join(client.get(status["download"]).streaming_content)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    assert "Alice Applicant, S.Sos." in text_of(pdf) and "Bob Applicant, S.E." in text_of(pdf)
    from assessments.tasks import run_print_job

    run_print_job.run(job.pk)  # running it again changes nothing
    assert PrintJob.objects.get().status == "done" and services.Participant.objects.filter(
        result_letter__isnull=False).count() == 2


def test_handover_stops_the_clock_and_invites_to_the_survey(decided, lina, bob):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    service_delivered.connect(receiver)
    try:
        p = decided.participants.get(application__applicant=bob)
        letter = certs.result_letter_issue(p, actor=lina)
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            certs.handover_record(actor=lina, letter=letter, received_by="Bob Applicant")
    finally:
        service_delivered.disconnect(receiver)
    p.application.refresh_from_db()
    assert p.application.status == AppStatus.HANDED_OVER
    assert received and received[0]["reference"] == f"result-letter:{letter.pk}"
    assert received[0]["email"] == "bob@example.go.id"
    with pytest.raises(services.AssessmentError, match="already"):
        certs.handover_record(actor=lina, letter=letter, received_by="Bob")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_prints_the_event(celery_worker_process, lina, alice, bob, scheme, site, assessor, tono, asa,
                                        alice_app, bob_app):
    from .factories import planned_event

    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[alice_app, bob_app])
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    for p in event.participants.all():
        assess(p, assessor_user=asa)
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    event = run_steps(event, 7, admin=lina, tuk_head=tono)
    for p in event.participants.all():
        services.participant_decide(p, actor=lina, decision="K")
        services.participant_accept_obligations(p, user=p.application.applicant)
    job = certs.print_job_start(event, actor=lina, kind="certificates")
    job = wait_for(lambda: PrintJob.objects.filter(pk=job.pk, status="done").first(), timeout=60)
    assert job.done == job.total == 2
    assert len(PdfReader(job.file.open("rb")).pages) == 2
