"""Issue 30 item 6: the yearly disposal list. Nothing is removed without the approval row; once the LSP admin
approves, the background job anonymises an old applicant (names, NIK, NIP, contact), deletes their files from
storage and leaves the audit trail's rows with the pseudonym, while their certificate still verifies publicly."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from agencies.models import (
    Cohort,
    CohortLetter,
    FundedRound,
    LetterCopy,
    LetterKind,
    LetterStatus,
    Proposal,
    RosterEntry,
    RoundStatus,
)
from agencies.roster import staff_q, verdicts
from applicants.models import Agency, ApplicantProfile, Application, ApplicationDocument, DocumentFile
from applicants.samples import sample_pdf
from assessments.certificates.models import HolderReport, ResultLetter, SurveillanceFile, SurveillanceReport
from assessments.instruments.models import Instrument, InstrumentRecord
from certportal.accounts.models import Role, User
from certportal.audit.models import AppendOnlyError, AuditEntry
from certportal.audit.services import audit_record
from certportal.notifications.models import Notification
from complaints.models import Attachment, Complaint
from quality.retention import services
from quality.retention.models import DisposalList, DisposalStatus
from schemes.models import RequiredDocument
from tests.applicants.factories import ProfileFactory
from tests.assessments.factories import SiteFactory, scheme_with_units
from tests.factories import UserFactory
from tests.quality.report_data import _certificate, _event, _participant, at

pytestmark = pytest.mark.django_db
OLD_NAME, NIK = "Bambang Lama Sekali", "3171010101800001"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def login(login):
    """A client logged in as that person, reading the pages in English (the asserted texts)."""
    def in_english(user):
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
        client = login(user)
        client.cookies["django_language"] = "en"
        return client
    return in_english


def _applicant(name: str, ended: datetime.datetime, scheme, *, nik: str | None = None):
    user = UserFactory(full_name=name, roles=[Role.APPLICANT])
    profile = ProfileFactory(user=user, full_name=name, nik=nik)
    app = Application.objects.create(applicant=user, scheme=scheme, status="certified", applicant_name=name,
                                     nip=profile.nip, profile_data={"full_name": name, "nik": nik})
    requirement = RequiredDocument.objects.create(scheme=scheme, category="personal", name="Ijazah")
    document = ApplicationDocument.objects.create(application=app, requirement=requirement)
    upload = DocumentFile(document=document, original_name="ijazah-bambang.pdf", kind="pdf", size=10)
    upload.file.save("ijazah.pdf", ContentFile(sample_pdf("Ijazah")), save=True)
    audit_record(actor=user, obj=app, action="applicants.application.submitted", from_state="draft",
                 to_state="submitted")
    Application.objects.filter(pk=app.pk).update(updated_at=ended)
    return user, app, upload


@pytest.fixture
def old(on_23_november):
    scheme = scheme_with_units(2)
    user, app, upload = _applicant(OLD_NAME, at("2020-03-02"), scheme, nik=NIK)
    event = _event(scheme, SiteFactory(), "2020-02-10", "archived")
    participant = _participant(event, decision="K")
    participant.application = app
    participant.save()
    certificate = _certificate(participant, "2020-03-01")
    certificate.expires_on = datetime.date(2027, 3, 1)  # still valid: verifiable
    certificate.save()
    recent, _app, _upload = _applicant("Citra Baru", at("2025-06-01"), scheme)
    Notification.objects.create(user=user, subject=f"Sertifikat {OLD_NAME} terbit", body="Selamat")
    complaint = Complaint.objects.create(tracking_number="ADU-OLD", kind="complaint", rule="complaint", status="closed",
                             received_at=at("2020-01-02"), closed_at=at("2020-02-02"), message="Lambat",
                             name="Pelapor Lama", email="pelapor@example.com", phone="0811111111")
    attachment = Attachment(complaint=complaint, original_name="bukti.pdf", kind="pdf")
    attachment.file.save("bukti.pdf", ContentFile(sample_pdf("Bukti")), save=True)
    return {"user": user, "app": app, "upload": upload, "certificate": certificate, "recent": recent,
            "attachment": attachment}


def test_the_list_names_only_who_is_past_the_period_and_nothing_goes_without_approval(old, lina, login):
    client = login(lina)
    client.post("/mutu/retensi/siapkan/")
    disposal = DisposalList.objects.get()
    page = client.get(disposal.get_absolute_url()).content.decode()
    assert OLD_NAME in page and "Pelapor Lama" in page and "Citra Baru" not in page
    assert "Approve: anonymise these people" in page
    assert "Misuse reporters&#x27;s data" not in page and "misuse:" not in page and "unused_account" not in page
    assert "Misuse reporters&#x27; data: 3 years" in page and "Accounts that never applied: 2 years" in page
    assert services.disposal_run(disposal.pk) is None  # not approved: the job refuses to touch anything
    old["user"].refresh_from_db()
    assert old["user"].full_name == OLD_NAME and ApplicantProfile.objects.get(user=old["user"]).nik == NIK
    assert old["upload"].file.storage.exists(old["upload"].file.name)
    assert Complaint.objects.get(tracking_number="ADU-OLD").email == "pelapor@example.com"
    client.post(f"/mutu/retensi/{disposal.pk}/batalkan/", {"reason": "Periksa ulang"})
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.CANCELLED
    assert services.disposal_run(disposal.pk) is None
    old["user"].refresh_from_db()
    assert old["user"].full_name == OLD_NAME


def test_approval_anonymises_the_old_applicant_whose_certificate_still_verifies(
        old, lina, login, client, django_capture_on_commit_callbacks):
    admin = login(lina)
    admin.post("/mutu/retensi/siapkan/")
    disposal = DisposalList.objects.get()
    stored = old["upload"].file.name
    with django_capture_on_commit_callbacks(execute=True):  # the job runs once the approval is committed
        admin.post(f"/mutu/retensi/{disposal.pk}/setujui/")
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.DONE and disposal.approved_by == lina
    # the same approval sent again (a second tab, a replayed form): refused with the reason, nothing run twice
    again = admin.post(f"/mutu/retensi/{disposal.pk}/setujui/", follow=True).content.decode()
    assert "is anonymised" in again and "not possible now" in again
    assert AuditEntry.objects.for_object(disposal).filter(action="quality.disposallist.anonymised").count() == 1
    user = User.objects.get(pk=old["user"].pk)
    pseudonym = f"ANONIM-A{user.pk:06d}"
    assert user.full_name == pseudonym and not user.is_active and not user.has_usable_password()
    assert OLD_NAME not in user.email
    profile = ApplicantProfile.objects.get(user=user)
    assert (profile.full_name, profile.nik, profile.phone) == (pseudonym, None, "")
    assert Application.objects.get(pk=old["app"].pk).applicant_name == pseudonym
    assert not old["upload"].file.storage.exists(stored)
    rows = AuditEntry.objects.for_object(old["app"])
    assert {r.actor_name for r in rows if r.actor_id == user.pk} == {pseudonym}
    assert not AuditEntry.objects.filter(actor_name=OLD_NAME).exists()
    assert not AuditEntry.objects.filter(object_repr__contains=OLD_NAME).exists()
    assert AuditEntry.objects.for_object(disposal).filter(action="quality.disposallist.approved",
                                                          actor=lina).exists()
    complaint = Complaint.objects.get(tracking_number="ADU-OLD")
    assert (complaint.email, complaint.phone) == ("", "")
    assert not old["attachment"].file.storage.exists(old["attachment"].file.name)
    assert not Notification.objects.filter(user=user).exists()
    # the certificate still verifies: its public page and JSON say valid, with the holder as certified
    code = old["certificate"].verification_code
    data = client.get(reverse("assessments:verify-json", args=[code])).json()
    assert (data["found"], data["status"], data["number"]) == (True, "valid", old["certificate"].number)
    assert data["holder_name"] == OLD_NAME  # what the certificate certifies stays while it can be verified
    page = client.get(reverse("assessments:verify-code", args=[code])).content.decode()
    assert old["certificate"].number in page
    assert User.objects.get(pk=old["recent"].pk).full_name == "Citra Baru"
    page = admin.get(disposal.get_absolute_url()).content.decode()
    assert OLD_NAME not in page and pseudonym in page


def test_the_supervisor_reads_and_other_roles_are_refused(old, lina, sofia, asa, alice, login, client):
    login(lina).post("/mutu/retensi/siapkan/")
    disposal = DisposalList.objects.get()
    reader = login(sofia)
    assert reader.get(disposal.get_absolute_url()).status_code == 200
    assert reader.post(f"/mutu/retensi/{disposal.pk}/setujui/").status_code == 403
    for user in (asa, alice, UserFactory(roles=[Role.COMPLAINT_OFFICER])):
        other = login(user)
        for url in ("/mutu/retensi/", disposal.get_absolute_url()):
            assert other.get(url).status_code == 403
        assert other.post(f"/mutu/retensi/{disposal.pk}/setujui/").status_code == 403
    assert client.get("/mutu/retensi/").status_code == 302
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.PROPOSED


@pytest.fixture
def records(old, lina):
    """What other apps keep about the old applicant: their agency's proposal and the agency's letter in their
    dossier, their result letter, instrument record, surveillance and holder reports, and audit notes naming them."""
    user, app, certificate = old["user"], old["app"], old["certificate"]
    participant = certificate.participant
    agency = Agency.objects.create(name="Dinas Lama")
    funded = FundedRound.objects.create(name="APBD 2019", fiscal_year=2019, opens_on=datetime.date(2019, 1, 1),
                                        closes_on=datetime.date(2019, 2, 1), status=RoundStatus.CLOSED)
    cohort = Cohort.objects.create(agency=agency, round=funded, scheme=app.scheme, created_by=lina)
    nip = ApplicantProfile.objects.get(user=user).nip
    proposal = Proposal.objects.create(cohort=cohort, nip=nip, name=OLD_NAME, email="bambang@dinas.go.id",
                                       application=app, invited_user=user)
    letter = CohortLetter.objects.create(cohort=cohort, kind=LetterKind.PROPOSAL, status=LetterStatus.SIGNED,
                                         number="800/1/2019")
    letter.pdf.save("surat.pdf", ContentFile(sample_pdf(f"Lampiran: {OLD_NAME}, Citra Baru")), save=True)
    document = ApplicationDocument.objects.create(application=app, requirement=RequiredDocument.objects.create(
        scheme=app.scheme, category="personal", name="Surat usulan"))
    copy = DocumentFile(document=document, original_name="surat-usulan.pdf", kind="pdf", size=10)
    copy.file.save("surat-usulan.pdf", ContentFile(sample_pdf("Surat usulan")), save=True)
    LetterCopy.objects.create(letter=letter, proposal=proposal, file=copy)
    result = ResultLetter.objects.create(participant=participant, application=app, number="SKHU-2020-1",
                                         issued_on=datetime.date(2020, 3, 1), holder_name=OLD_NAME, outcome="K",
                                         snapshot={"holder_name": OLD_NAME, "nip": nip})
    unit = app.scheme.scheme_units.first().unit
    record = InstrumentRecord.objects.create(participant=participant, unit=unit, instrument=Instrument.IA01,
                                             notes=f"{OLD_NAME} menunjukkan kompetensi",
                                             snapshot={"participant": OLD_NAME})
    report = SurveillanceReport.objects.create(certificate=certificate, due_on=datetime.date(2021, 3, 1),
                                               statement=f"Saya {OLD_NAME} masih bekerja", submitted_by=user)
    evidence = SurveillanceFile(report=report, original_name="sk-bambang.pdf", kind="pdf", size=10)
    evidence.file.save("sk.pdf", ContentFile(sample_pdf("SK")), save=True)
    holder = HolderReport.objects.create(certificate=certificate, reporter=user, text="Pindah jabatan, sakit")
    audit_record(actor=lina, obj=app, action="applicants.application.verified", note=f"Berkas {OLD_NAME} lengkap")
    audit_record(actor=lina, obj=proposal, action="agencies.proposal.invited", note=f"Undangan untuk {OLD_NAME}")
    return {"proposal": proposal, "letter": letter, "copy": copy, "result": result, "record": record,
            "report": report, "evidence": evidence, "holder": holder}


def _approve(admin, capture):
    admin.post("/mutu/retensi/siapkan/")
    disposal = DisposalList.objects.get()
    with capture(execute=True):
        admin.post(f"/mutu/retensi/{disposal.pk}/setujui/")
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.DONE


def test_the_agencys_proposal_and_the_letter_in_the_dossier_lose_the_person_but_the_cohort_letter_stays(
        old, records, lina, login, django_capture_on_commit_callbacks):
    copy_name, letter_name = records["copy"].file.name, records["letter"].pdf.name
    _approve(login(lina), django_capture_on_commit_callbacks)
    pseudonym = f"ANONIM-A{old['user'].pk:06d}"
    proposal = Proposal.objects.get(pk=records["proposal"].pk)
    assert (proposal.name, proposal.nip) == (pseudonym, f"X{proposal.pk:017d}")
    assert "bambang" not in proposal.email and proposal.token != records["proposal"].token
    assert not records["copy"].file.storage.exists(copy_name)
    assert DocumentFile.objects.get(pk=records["copy"].pk).original_name == ""
    # the signed cohort letter is the agency's own record of the whole cohort: kept
    assert records["letter"].pdf.storage.exists(letter_name)
    assert not AuditEntry.objects.filter(object_repr__contains=OLD_NAME).exists()


def test_the_anonymised_persons_applications_are_stamped_by_the_rule_without_their_old_nip(
        old, lina, login, django_capture_on_commit_callbacks):
    """The roster listed the old applicant's NIP at one agency, their profile names another. Anonymised, the NIP is
    gone, so the roster no longer speaks for them: the agency stamped on their application (the agency pages read
    it) is the one the rule now gives, their profile's, as it is for the agency's people list."""
    user, app = old["user"], old["app"]
    listed_at, named = Agency.objects.create(name="Dinas Lama"), Agency.objects.create(name="Dinas Baru")
    profile = ApplicantProfile.objects.get(user=user)
    profile.org_unit = "Dinas Baru"
    profile.save()
    RosterEntry.objects.create(nip=profile.nip, name=OLD_NAME, agency=listed_at)
    app.refresh_from_db()
    assert app.agency == listed_at
    _approve(login(lina), django_capture_on_commit_callbacks)
    app.refresh_from_db()
    nip = ApplicantProfile.objects.get(user=user).nip
    assert nip.startswith("X") and verdicts(named, [nip]) == {nip: True} and verdicts(listed_at, [nip]) == {nip: False}
    assert app.agency == named
    assert Application.objects.filter(staff_q(named, "applicant"), pk=app.pk).exists()


def test_assessment_records_lose_the_person_while_the_certificate_still_verifies(
        old, records, lina, login, client, django_capture_on_commit_callbacks):
    stored = records["evidence"].file.name
    _approve(login(lina), django_capture_on_commit_callbacks)
    pseudonym = f"ANONIM-A{old['user'].pk:06d}"
    result = ResultLetter.objects.get(pk=records["result"].pk)
    assert (result.holder_name, result.snapshot, result.number) == (pseudonym, {}, "SKHU-2020-1")
    record = InstrumentRecord.objects.get(pk=records["record"].pk)
    assert (record.notes, record.snapshot) == ("", {})
    assert SurveillanceReport.objects.get(pk=records["report"].pk).statement == ""
    assert not records["evidence"].file.storage.exists(stored)
    assert HolderReport.objects.get(pk=records["holder"].pk).text == ""
    data = client.get(reverse("assessments:verify-json", args=[old["certificate"].verification_code])).json()
    assert (data["status"], data["number"], data["holder_name"]) == ("valid", old["certificate"].number, OLD_NAME)


def test_audit_notes_name_the_pseudonym_not_the_person(old, records, lina, login, django_capture_on_commit_callbacks):
    _approve(login(lina), django_capture_on_commit_callbacks)
    pseudonym = f"ANONIM-A{old['user'].pk:06d}"
    assert not AuditEntry.objects.filter(note__contains=OLD_NAME).exists()
    notes = set(AuditEntry.objects.filter(action__in=["applicants.application.verified",
                                                      "agencies.proposal.invited"]).values_list("note", flat=True))
    assert notes == {f"Berkas {pseudonym} lengkap", f"Undangan untuk {pseudonym}"}
    # the trail stays append-only for everything else
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(note__contains=pseudonym).update(note="x")


def test_the_privacy_notice_says_what_goes_with_the_account_and_which_letters_stay(client):
    client.cookies["django_language"] = "en"
    page = client.get("/privasi/", headers={"accept-language": "en"}).content.decode()
    assert "assessment records (result letters, instrument and FR.AK records" in page
    assert "signed letters that list its whole cohort and the pleno" in page and "for their own period" in page


def test_the_kept_signed_papers_naming_the_person_are_deleted(
        old, records, lina, login, django_capture_on_commit_callbacks):
    from assessments.certificates import services as certs
    from certportal.signing.models import StoredPaper
    from tests.assessments.test_documents import text_of

    assert OLD_NAME in text_of(certs.kept_letter_pdf(records["result"]))
    certs.kept_certificate_pdf(old["certificate"])
    names = [p.file.name for p in StoredPaper.objects.all()]
    assert len(names) == 2
    _approve(login(lina), django_capture_on_commit_callbacks)
    assert not StoredPaper.objects.exists()
    assert not any(records["evidence"].file.storage.exists(name) for name in names)
