"""Alice has one of everything the portal keeps about a person; her ZIP holds each of them, and none of Bob's."""

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from django.utils import timezone

from applicants.models import ApplicantProfile, ApplicationDocument, DocumentFile
from assessments import services
from assessments.certificates import services as certs
from assessments.events.models import Appeal, ConflictOfInterest
from certportal.audit.models import AuditEntry
from complaints.models import Attachment, Complaint, SurveyInvitation, SurveyResponse
from schemes.models import RequiredDocument

from .factories import make_assessor

pytestmark = pytest.mark.django_db
URL = "/akun/data-pribadi/"


def _complaint(email: str, number: str, message: str) -> Complaint:
    complaint = Complaint.objects.create(tracking_number=number, kind="complaint", rule="complaint", email=email,
                                         name="Pengadu", message=message)
    Attachment.objects.create(complaint=complaint, file=ContentFile(b"%PDF-1.4 bukti " + number.encode(),
                                                                   name="bukti.pdf"),
                              original_name=f"bukti-{number}.pdf", kind="pdf")
    return complaint


@pytest.fixture
def everything(decided, lina, alice, bob, asa, scheme, alice_app, bob_app, victor):
    """Alice: profile, dossier file, participation with results, appeal, certificate, result letter, handover,
    survey invitation and answer, a complaint filed with her address, an assessor record, a conflict about her."""
    ApplicantProfile.objects.create(
        user=alice, nip="198503142010011001", full_name="Alice Applicant, S.Sos.", birth_place="Bogor",
        birth_date="1985-03-14", gender="2", org_unit="Dinas PTSP", position="Analis", rank="III/c",
        education="S1", years_of_service=12, phone="0812111", email="alice@example.go.id")
    requirement = RequiredDocument.objects.create(scheme=scheme, category="basic", name="Ijazah terakhir")
    for app, content in ((alice_app, b"%PDF-1.4 ijazah alice"), (bob_app, b"%PDF-1.4 ijazah bob")):
        doc = ApplicationDocument.objects.create(application=app, requirement=requirement)
        DocumentFile.objects.create(document=doc, file=ContentFile(content, name="ijazah.pdf"),
                                    original_name=f"ijazah-{app.applicant.get_short_name().lower()}.pdf", kind="pdf", size=len(content))
    mine = decided.participants.get(application=alice_app)
    Appeal.objects.create(participant=mine, grounds="Bukti portofolio saya belum dipertimbangkan")
    services.participant_accept_obligations(mine, user=alice)
    cert = certs.certificate_issue(mine, actor=lina)
    certs.result_letter_issue(mine, actor=lina)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the handover invites her to the survey
        certs.handover_record(actor=victor, certificate=cert, received_by="Alice Applicant")
    SurveyResponse.objects.create(invitation=SurveyInvitation.objects.get(email="alice@example.go.id"),
                                  comment="Pelayanan ramah dan cepat", **{f"u{i}": 4 for i in range(1, 10)})
    certs.result_letter_issue(decided.participants.get(application=bob_app), actor=lina)
    _complaint("ALICE@example.go.id", "ADU-0001", "Jadwal uji Alice berubah mendadak")
    _complaint("bob@example.go.id", "ADU-0002", "Keluhan rahasia milik Bob")
    make_assessor(alice, reg="MET.000.ALICE.2026")
    ConflictOfInterest.objects.create(assessor=asa.assessor, person=alice, reason="Saudara sepupu")
    return cert


def download(client) -> zipfile.ZipFile:
    response = client.post(URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_alice_gets_one_of_everything_and_nothing_of_bob(everything, alice, login):
    archive = download(login(alice))
    data = json.loads(archive.read("data.json"))
    text = archive.read("data.json").decode()
    assert data["account"][0]["email"] == "alice@example.go.id"
    assert data["profile"][0]["nip"] == "198503142010011001"
    assert data["applications"][0]["documents"][0]["file"] == "ijazah-alice.pdf"
    [participation] = data["participations"]
    assert participation["decision"] == "K" and len(participation["unit_results"]) == 3
    assert participation["unit_results"][0]["evidence"] == "Portofolio SK dan laporan kegiatan"
    assert data["appeals"][0]["grounds"] == "Bukti portofolio saya belum dipertimbangkan"
    assert data["certificates"][0]["number"] == everything.number
    assert data["result_letters"][0]["outcome"] == "K"
    assert data["handovers"][0]["received_by"] == "Alice Applicant"
    assert data["surveys"][0]["answer"]["comment"] == "Pelayanan ramah dan cepat"
    assert data["complaints"][0]["message"] == "Jadwal uji Alice berubah mendadak"
    assert data["assessor"][0]["registration_number"] == "MET.000.ALICE.2026"
    assert data["conflicts_about_you"][0]["reason"] == "Saudara sepupu"
    assert any(n["subject"] for n in data["notifications"])
    names = archive.namelist()
    assert f"files/certificates/sertifikat-{everything.pk}.pdf" in names
    assert archive.read(f"files/certificates/sertifikat-{everything.pk}.pdf").startswith(b"%PDF")
    assert any(n.startswith("files/result_letters/") for n in names)
    assert any(n.endswith("ijazah-alice.pdf") for n in names)
    assert any(n.startswith("files/complaints/ADU-0001") for n in names)
    summary = archive.read("summary.html").decode()
    assert "Jadwal uji Alice berubah mendadak" in summary and everything.number in summary
    for bobs in ("Bob Applicant, S.E.", "ijazah bob", "ADU-0002", "Keluhan rahasia milik Bob", "bob@example.go.id"):
        assert bobs not in text and bobs not in summary
    assert not any("bob" in n or "ADU-0002" in n for n in names)


def test_each_download_is_audited_with_what_it_held(everything, alice, login):
    download(login(alice))
    entry = AuditEntry.objects.get(action="personal data exported")
    assert entry.actor == alice and "certificates: 1" in entry.note and "complaints: 1" in entry.note


def test_complaints_filed_under_an_address_are_given_only_once_it_is_confirmed(everything, alice, login):
    alice.email_verified_at = None
    alice.save()
    data = json.loads(download(login(alice)).read("data.json"))
    assert "complaints" not in data and data["certificates"]


def test_a_verifier_sees_the_records_that_name_them_not_their_content(everything, lina, victor, login):
    data = json.loads(download(login(lina)).read("data.json"))
    kinds = {row["record"] for row in data["staff_records"]}
    assert "sertifikat" in kinds  # in her language
    assert "Alice" not in json.dumps(data["staff_records"])
    assert data["certificates"] == [] and data["participations"] == []
    # the certificate is handed over by the BKPSDM officer (seed 001 item 2.8): the handover names him
    data = json.loads(download(login(victor)).read("data.json"))
    assert "serah terima" in {row["record"] for row in data["staff_records"]}
    assert "Alice" not in json.dumps(data["staff_records"]) and data["certificates"] == []


def test_anonymous_visitors_log_in_first(client):
    response = client.post(URL)
    assert response.status_code == 302 and "/akun/masuk/" in response.url


def test_hostile_file_names_and_text_stay_inside_the_zip_and_inert(alice, alice_app, scheme, login):
    requirement = RequiredDocument.objects.create(scheme=scheme, category="basic", name="Ijazah terakhir")
    doc = ApplicationDocument.objects.create(application=alice_app, requirement=requirement)
    DocumentFile.objects.create(document=doc, file=ContentFile(b"%PDF-1.4 x", name="x.pdf"), kind="pdf", size=10,
                                original_name="../../../etc/passwd<script>alert(1)</script>.pdf")
    _complaint("alice@example.go.id", "ADU-0003", "<script>alert('pengaduan')</script>")
    archive = download(login(alice))
    assert all(not n.startswith(("/", "..")) and "/../" not in n for n in archive.namelist())
    assert any(n.startswith("files/applications/") and n.endswith(".pdf") for n in archive.namelist())
    summary = archive.read("summary.html").decode()
    assert "<script>" not in summary and "&lt;script&gt;alert(&#x27;pengaduan&#x27;)" in summary


def test_a_pleno_member_finds_the_plenos_they_sat_in(decided, lina, login):
    """Issue 30 item 7: a pleno's members are people it names; each finds the pleno in their download, without the
    participants it decided."""
    from assessments.events.models import Pleno
    from tests.factories import UserFactory

    dewi = UserFactory(full_name="Dewi Komite", email="dewi@example.go.id")
    pleno = Pleno.objects.create(event=decided, held_on=timezone.localdate(decided.starts_at), decree_number="SK/PLENO/9/2026",
                                 created_by=lina)
    pleno.members.add(dewi)
    data = json.loads(download(login(dewi)).read("data.json"))
    [sat] = data["plenos"]
    assert sat["decree_number"] == "SK/PLENO/9/2026" and sat["id"] == pleno.pk
    assert {"record": "pleno", "as": "anggota", "count": 1, "ids": [pleno.pk]} in data["staff_records"]
    assert "Alice" not in json.dumps(data)
    assert json.loads(download(login(lina)).read("data.json"))["plenos"] == []
