"""The verifier's side: checklist, per-document decisions, returns with notes, checks, naming."""

import pytest
from django.core import mail

from applicants import services
from applicants.models import Application, ApplicationDocument, ReturnNote, Status, VerificationCheck

from .helpers import accept_all, pdf_upload, submitted_application

pytestmark = pytest.mark.django_db


def test_victor_sees_the_documents_next_to_the_checklist(alice_profile, scheme, victor, login):
    app = submitted_application(alice_profile, scheme)
    page = login(victor).get(f"/permohonan/verifikasi/{app.pk}/").content.decode()
    assert "Requirement checklist" in page and "Dokumen 1" in page and "Dokumen 2" in page
    assert "<iframe" in page and "/permohonan/berkas/" in page


def test_returning_a_document_needs_a_reason(alice_profile, scheme, victor, login):
    app = submitted_application(alice_profile, scheme)
    doc = app.documents.first()
    response = login(victor).post(f"/permohonan/verifikasi/{app.pk}/dokumen/{doc.pk}/",
                                  {"decision": "returned", "reason": ""}, follow=True)
    assert "Say why the document is returned" in response.content.decode()
    assert ApplicationDocument.objects.get(pk=doc.pk).review == "pending"


def test_victor_returns_the_dossier_with_notes_and_alice_corrects_it(
        alice_profile, scheme, victor, login, django_capture_on_commit_callbacks):
    app = submitted_application(alice_profile, scheme)
    first, second = app.documents.order_by("requirement__position")
    v = login(victor)
    v.post(f"/permohonan/verifikasi/{app.pk}/dokumen/{first.pk}/", {"decision": "accepted"})
    v.post(f"/permohonan/verifikasi/{app.pk}/dokumen/{second.pk}/",
           {"decision": "returned", "reason": "Scan tidak terbaca"})
    with django_capture_on_commit_callbacks(execute=True):
        response = v.post(f"/permohonan/verifikasi/{app.pk}/keputusan/", {
            "action": "return", "reason": "Mohon perbaiki", "note_rank": "Pangkat tidak sesuai SK",
            "note_education": "Ijazah S1 belum dilegalisasi"},
            follow=True)
    assert "Returned for correction" in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.RETURNED
    assert {(n.document_id, n.field, n.text) for n in ReturnNote.objects.all()} == {
        (second.pk, "", "Scan tidak terbaca"), (None, "rank", "Pangkat tidak sesuai SK"),
        (None, "education", "Ijazah S1 belum dilegalisasi")}
    assert "Mohon perbaiki" in mail.outbox[-1].body

    a = login(alice_profile.user)
    page = a.get(f"/permohonan/{app.pk}/").content.decode()
    assert "Scan tidak terbaca" in page and "Pangkat tidak sesuai SK" in page and "Replace “Dokumen 2”" in page
    assert "rank (golongan)" in page and "Ijazah S1 belum dilegalisasi" in page
    a.post(f"/permohonan/{app.pk}/isi/dokumen/{second.pk}/", {"file": pdf_upload("scan-baru.pdf")})
    response = a.post(f"/permohonan/{app.pk}/isi/kirim/", {"declaration": "on"}, follow=True)
    assert "Your application is submitted." in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.RESUBMITTED
    assert not ReturnNote.objects.filter(resolved_at__isnull=True).exists()
    assert ApplicationDocument.objects.get(pk=second.pk).review == "pending"
    assert ApplicationDocument.objects.get(pk=first.pk).review == "accepted"


def test_complete_is_refused_until_every_document_is_accepted(alice_profile, scheme, victor, login):
    app = submitted_application(alice_profile, scheme)
    response = login(victor).post(f"/permohonan/verifikasi/{app.pk}/keputusan/", {"action": "complete"}, follow=True)
    assert "Accept every document first" in response.content.decode()
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED


def test_complete_starts_the_clock_and_the_applicant_sees_the_promised_deadline(
        alice_profile, scheme, victor, login):
    app = submitted_application(alice_profile, scheme)
    accept_all(app, victor)
    login(victor).post(f"/permohonan/verifikasi/{app.pk}/keputusan/", {"action": "complete"})
    app.refresh_from_db()
    assert app.status == Status.COMPLETE
    page = login(alice_profile.user).get(f"/permohonan/{app.pk}/").content.decode()
    assert "certificate handed over by" in page


def test_verification_needs_both_checks_recorded_separately(alice_profile, scheme, victor, login):
    app = submitted_application(alice_profile, scheme)
    accept_all(app, victor)
    services.application_complete(app, actor=victor)
    v = login(victor)
    v.post(f"/permohonan/verifikasi/{app.pk}/cek/", {"kind": "administrative", "result": "passed"})
    response = v.post(f"/permohonan/verifikasi/{app.pk}/keputusan/", {"action": "verify"}, follow=True)
    assert "Record a passed substantive verification before verifying." in response.content.decode()
    v.post(f"/permohonan/verifikasi/{app.pk}/cek/", {"kind": "substantive", "result": "passed", "note": "SKP sesuai"})
    v.post(f"/permohonan/verifikasi/{app.pk}/keputusan/", {"action": "verify"})
    app.refresh_from_db()
    assert app.status == Status.VERIFIED
    assert list(app.checks.values_list("kind", "result")) == [
        ("completeness", "passed"), ("administrative", "passed"), ("substantive", "passed")]


def test_a_failed_check_needs_a_note(alice_profile, scheme, victor, login):
    app = submitted_application(alice_profile, scheme)
    accept_all(app, victor)
    services.application_complete(app, actor=victor)
    response = login(victor).post(f"/permohonan/verifikasi/{app.pk}/cek/",
                                  {"kind": "substantive", "result": "failed"}, follow=True)
    assert "Say what did not pass." in response.content.decode()
    assert not VerificationCheck.objects.filter(kind="substantive").exists()


def test_rejection_needs_a_reason(alice_profile, scheme, victor, login):
    app = submitted_application(alice_profile, scheme)
    accept_all(app, victor)
    services.application_complete(app, actor=victor)
    response = login(victor).post(f"/permohonan/verifikasi/{app.pk}/keputusan/",
                                  {"action": "reject", "reason": ""}, follow=True)
    assert "Please give a reason" in response.content.decode()
    login(victor).post(f"/permohonan/verifikasi/{app.pk}/keputusan/",
                       {"action": "reject", "reason": "Masa kerja kurang"})
    assert Application.objects.get(pk=app.pk).status == Status.REJECTED


def _verified(profile, scheme, victor):
    app = submitted_application(profile, scheme)
    accept_all(app, victor)
    services.application_complete(app, actor=victor)
    services.check_record(app, actor=victor, kind="administrative", result="passed")
    services.check_record(app, actor=victor, kind="substantive", result="passed")
    return services.application_verify(app, actor=victor)


def test_victor_names_several_participants_at_once(alice_profile, bob_profile, scheme, victor, login,
                                                   django_capture_on_commit_callbacks):
    a = _verified(alice_profile, scheme, victor)
    b = _verified(bob_profile, scheme, victor)
    client = login(victor)
    page = client.get(f"/permohonan/penetapan/?scheme={scheme.pk}").content.decode()
    assert "Alice Applicant" in page and "Bob Applicant" in page
    assert " checked " not in page and " checked>" not in page  # issue 15: nothing pre-ticked
    # the first post only asks: who will be named, and that it cannot be undone
    page = client.post(f"/permohonan/penetapan/?scheme={scheme.pk}", {
        "application": [a.pk, b.pk], "reference": "800/123/BKPSDM/2026"}).content.decode()
    assert "Naming cannot be undone" in page and "Alice Applicant" in page and "Bob Applicant" in page
    a.refresh_from_db()
    assert a.status == Status.VERIFIED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/permohonan/penetapan/?scheme={scheme.pk}", {
            "application": [a.pk, b.pk], "reference": "800/123/BKPSDM/2026", "confirm": "1"}, follow=True)
    assert "2 applicant(s) named as participants." in response.content.decode()
    for app in (a, b):
        app.refresh_from_db()
        assert (app.status, app.naming_reference) == (Status.PARTICIPANT, "800/123/BKPSDM/2026")
    assert any("Ditetapkan sebagai peserta" in m.subject for m in mail.outbox)  # in their language (id)


def test_naming_is_all_or_nothing(alice_profile, scheme, victor):
    a = _verified(alice_profile, scheme, victor)
    draft = Application.objects.create(applicant=victor, scheme=scheme)
    with pytest.raises(services.ApplicationError):
        services.participants_name([a, draft], actor=victor, reference="800/1")
    a.refresh_from_db()
    assert a.status == Status.VERIFIED
