"""Certificates, result letters and printing a whole event as one PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applicants.models import Status as AppStatus
from assessments import services
from assessments.certificates import services as certs
from assessments.certificates.models import PrintJob, ResultLetter
from assessments.events.models import Participant
from certportal.signals import SERVICE_DELIVERED
from tests.conftest import wait_for

from .factories import decide_event

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def embedded_fonts(pdf: bytes) -> list[bool]:
    """For every font a page uses (directly or in a drawn form, such as a certificate's scheme layer): is it
    embedded in the file?"""
    found = []

    def walk(resources) -> None:
        resources = resources.get_object() if resources else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            desc = desc.get_object() if desc else {}
            found.append(any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")))
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        walk(page.get("/Resources"))
    return found


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
    from certportal.templatetags.documents import long_date, long_date_en

    assert cert.number in text and cert.holder_name in text and long_date(cert.expires_on) in text
    assert long_date_en(cert.expires_on) in text  # "23 November 2029", the English below the Indonesian
    fonts = embedded_fonts(pdf)
    assert len(fonts) >= 2 and all(fonts)  # the holder's layer and the scheme's layer each embed theirs
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape


def _variant(cert, **changes):
    """An unsaved copy of ``cert`` with other printed data (rendering reads only the row's fields)."""
    from assessments.certificates.models import Certificate

    fields = {f.attname: getattr(cert, f.attname) for f in Certificate._meta.concrete_fields if f.attname != "id"}
    snapshot = {**cert.snapshot, **changes.pop("snapshot", {})}
    return Certificate(**{**fields, "snapshot": snapshot, **changes})


def _units(prefix: str, n: int) -> list[dict]:
    return [{"code": f"{prefix}.{i:03d}.01", "title": f"Unit {prefix} nomor {i}", "result": "K", "explanation": ""}
            for i in range(1, n + 1)]


@pytest.fixture
def issued(decided, lina, alice):
    p = decided.participants.get(application__applicant=alice)
    services.participant_accept_obligations(p, user=alice)
    return certs.certificate_issue(p, actor=lina)


def test_each_certificate_of_a_batch_is_printed_over_its_own_scheme(issued):
    first = _variant(issued, holder_name="Citra Pertama", snapshot={"units": _units("AAA", 3)})
    other = _variant(issued, holder_name="Dodi Kedua", scheme_name="Skema Kearsipan", scheme_code="SK-ARS/2026",
                     snapshot={"units": _units("BBB", 2)})
    third = _variant(issued, holder_name="Eka Ketiga", snapshot={"units": _units("AAA", 3)})
    pdf = certs.certificates_pdf([first, other, third])
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 6  # each certificate: its front, then its units on the back
    assert "Citra Pertama" in pages[0] and "AAA.003.01" in pages[1] and "BBB.001.01" not in pages[1]
    assert "Dodi Kedua" in pages[2] and "Skema Kearsipan" in pages[2] and "BBB.002.01" in pages[3]
    assert "AAA.001.01" not in pages[3] and issued.scheme_name not in pages[2] + pages[3]
    assert "Eka Ketiga" in pages[4] and "AAA.001.01" in pages[5] and "Citra Pertama" not in pages[4]
    assert all(embedded_fonts(pdf))


def test_a_changed_unit_list_is_printed_anew_not_from_an_earlier_drawing(issued):
    before = _variant(issued, snapshot={"units": _units("CCC", 2)})
    assert "Unit CCC nomor 2" in text_of(certs.certificate_pdf(before))
    units = _units("CCC", 2)
    units[1]["title"] = "Judul unit yang diperbaiki"
    text = text_of(certs.certificate_pdf(_variant(issued, snapshot={"units": units})))
    assert "Judul unit yang diperbaiki" in text and "Unit CCC nomor 2" not in text


def test_the_units_are_listed_overleaf_and_a_long_list_runs_on(issued):
    many = 40
    cert = _variant(issued, holder_name="Fajar Banyak Unit", snapshot={"units": _units("DDD", many)})
    pdf = certs.certificates_pdf([cert, issued])
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 5  # front and two back pages of the first certificate, then the second one's two
    assert "Fajar Banyak Unit" in pages[0] and f"{many} unit kompetensi tercantum di halaman belakang" in pages[0]
    assert "DDD.001.01" not in pages[0] and "DAFTAR UNIT KOMPETENSI" in pages[1]
    assert all(f"DDD.{i:03d}.01" in pages[1] + pages[2] for i in range(1, many + 1))
    assert issued.holder_name in pages[3] and "Fajar Banyak Unit" not in pages[3]


def test_a_long_name_and_a_replaced_number_are_printed(issued):
    name = "Dr. Hj. Raden Ayu Siti Nurhalimah Kusumawardhani Purbaningrum, S.Sos., M.Si."
    text = text_of(certs.certificate_pdf(_variant(issued, holder_name=name, snapshot={"replaces": "00009/SKK/X"})))
    assert name in text and "Menggantikan sertifikat nomor / Replaces certificate no. 00009/SKK/X" in text
    assert "Menggantikan" not in text_of(certs.certificate_pdf(issued))


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
    assert PrintJob.objects.get().status == "done" and Participant.objects.filter(
        result_letters__isnull=False).count() == 2


def test_an_event_printed_in_chunks_is_one_pdf_in_order(decided, lina, alice, settings,
                                                         django_capture_on_commit_callbacks):
    """Each letter its own chunk (its own task); the last chunk merges them in document order."""
    settings.ASSESSMENT_PRINT_CHUNK = 1
    with django_capture_on_commit_callbacks(execute=True):
        job = certs.print_job_start(decided, actor=lina, kind="letters")
    job.refresh_from_db()
    assert job.status == "done" and job.parts_total == 2 and job.parts == [0, 1] and job.done == job.total == 2
    letters = sorted(ResultLetter.objects.all(), key=lambda letter: letter.number)
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(job.file.open("rb")).pages]
    assert len(pages) == 2
    for page, letter in zip(pages, letters, strict=True):
        assert letter.holder_name in page and letter.number in page


def test_handover_stops_the_clock_and_invites_to_the_survey(decided, lina, bob):
    received = []

    def receiver(**kwargs):
        received.append(kwargs)

    SERVICE_DELIVERED.provide(receiver)
    try:
        p = decided.participants.get(application__applicant=bob)
        letter = certs.result_letter_issue(p, actor=lina)
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            certs.handover_record(actor=lina, letter=letter, received_by="Bob Applicant")
    finally:
        SERVICE_DELIVERED.withdraw(value=receiver)
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
    event = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K", accept_obligations=True)
    job = certs.print_job_start(event, actor=lina, kind="certificates")
    job = wait_for(lambda: PrintJob.objects.filter(pk=job.pk, status="done").first(), timeout=60)
    assert job.done == job.total == 2
    assert len(PdfReader(job.file.open("rb")).pages) == 4  # two certificates, front and back


def test_a_certificate_drawn_in_two_layers_is_tagged_with_its_title_and_language(issued):
    """Issue 20: the holder's layer is a tagged WeasyPrint page; pikepdf keeps its structure, title and language."""
    pdf = PdfReader(io.BytesIO(certs.certificate_pdf(issued)))
    catalog = pdf.trailer["/Root"]
    assert issued.number in pdf.metadata.title and catalog["/Lang"] in ("id", "en")
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
