"""Issue 16, seed 002: step 2 "mempersiapkan sarana/prasarana … menyiapkan tempat penyelenggaraan sesuai dengan
persyaratan" with the "form kesiapan sarana prasarana kerja", filled by the Kepala TUK; step 5 "mendokumentasikan
pelaksanaan uji kompetensi" with photos and PDFs through the dossiers' safe file handling; both on the event page and
in the archive of step 8."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from applicants.samples import sample_pdf, sample_png
from assessments import services
from assessments.events.models import EventDocumentation, ReadinessCheck
from assessments.events.services.readiness import (
    READINESS_ITEMS,
    documentation_upload,
    readiness_problem,
    readiness_save,
)

from .factories import assess, confirm_step1, mark_all_present, plan_the_test, run_steps

pytestmark = pytest.mark.django_db
ALL = {name: True for name, _label in READINESS_ITEMS}


def test_step_2_waits_for_the_complete_checklist(event, lina, tono):
    confirm_step1(event, admin=lina)
    assert readiness_problem(event) == "The Kepala TUK has not filled in the readiness checklist yet."
    with pytest.raises(services.AssessmentError, match="readiness checklist"):
        services.event_step_complete(event, 2, actor=tono)
    readiness_save(event, actor=tono, items={**ALL, "room_safety": False}, note="APAR belum ada")
    assert "Test room, its layout and safety" in readiness_problem(event)
    with pytest.raises(services.AssessmentError, match="not complete"):
        services.event_step_complete(event, 2, actor=tono)
    readiness_save(event, actor=tono, items=ALL, note="APAR dipasang")
    assert readiness_problem(event) is None
    plan_the_test(event)  # step 2's second part: the assessor's planning (tests/assessments/test_planning.py)
    event = services.event_step_complete(event, 2, actor=tono)
    assert event.status == "site_ready"
    with pytest.raises(services.AssessmentError, match="can no longer be changed"):
        readiness_save(event, actor=tono, items=ALL)


def test_only_the_kepala_tuk_of_the_site_fills_the_checklist(event, lina, asa, login, tono):
    for user in (lina, asa):
        with pytest.raises(services.AssessmentError, match="Only the Kepala TUK"):
            readiness_save(event, actor=user, items=ALL)
    assert login(lina).post(reverse("assessments:event-readiness", args=[event.pk]), ALL).status_code == 403
    r = login(tono).post(reverse("assessments:event-readiness", args=[event.pk]),
                         {**dict.fromkeys(ALL, "on"), "note": "Siap"})
    assert r.status_code == 302 and ReadinessCheck.objects.get(event=event).checked_by == tono
    page = login(lina).get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert 'id="readiness"' in page and "Siap" in page


def _day_of_the_test(event, lina, tono, asa):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    return event


def test_documentation_is_uploaded_safely_and_shows_on_the_page_and_in_the_archive(event, lina, tono, asa, login):
    _day_of_the_test(event, lina, tono, asa)
    client = login(asa)
    photo = SimpleUploadedFile("foto-ruang-uji.png", sample_png(), content_type="image/png")
    r = client.post(reverse("assessments:event-documentation", args=[event.pk]),
                    {"file": photo, "caption": "Ruang uji pukul 09.00"})
    assert r.status_code == 302
    report = SimpleUploadedFile("daftar-periksa.pdf", sample_pdf("Daftar periksa"), content_type="application/pdf")
    login(tono).post(reverse("assessments:event-documentation", args=[event.pk]), {"file": report})
    hostile = SimpleUploadedFile("x.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    r = client.post(reverse("assessments:event-documentation", args=[event.pk]), {"file": hostile}, follow=True)
    assert "not a real" in r.content.decode() or "bukan berkas" in r.content.decode()
    docs = list(EventDocumentation.objects.filter(event=event))
    assert [(d.original_name, d.kind) for d in docs] == [("foto-ruang-uji.png", "png"), ("daftar-periksa.pdf", "pdf")]
    page = login(lina).get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert "foto-ruang-uji.png" in page and "Ruang uji pukul 09.00" in page
    assert login(lina).get(reverse("assessments:documentation-file", args=[docs[0].pk])).status_code == 200
    from .documents import document_bytes

    pdf = document_bytes(login(lina), reverse("assessments:event-archive", args=[event.pk]))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Kesiapan sarana prasarana" in text and "foto-ruang-uji.png" in text and "daftar-periksa.pdf" in text


def test_documentation_is_refused_before_the_day_and_to_outsiders(event, lina, tono, asa, other_assessor_user, login,
                                                                   alice):
    photo = SimpleUploadedFile("f.png", sample_png(), content_type="image/png")
    with pytest.raises(services.AssessmentError, match="on the day of the test"):
        documentation_upload(event, actor=tono, upload=photo)
    _day_of_the_test(event, lina, tono, asa)
    r = login(other_assessor_user).post(reverse("assessments:event-documentation", args=[event.pk]),
                                        {"file": photo})
    assert r.status_code == 403
    assert login(alice).post(reverse("assessments:event-documentation", args=[event.pk]),
                             {"file": photo}).status_code == 403
    assert EventDocumentation.objects.count() == 0


def test_the_whole_sop_still_runs_to_the_archive(event, lina, tono, asa):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    for p in event.participants.all():
        assess(p, assessor_user=asa)
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    event = run_steps(event, 8, admin=lina, tuk_head=tono)
    assert event.status == "archived" and ReadinessCheck.objects.get(event=event).scope is True
