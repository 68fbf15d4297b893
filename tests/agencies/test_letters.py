"""Issue 29 item 3: the agency's letters are signed in the portal for a whole cohort at once (the head of the agency,
the Sekretaris Daerah), rendered as PDFs, attached to each dossier as the documents of their requirements, seen by
the verifier as signed by whom and when; the applicant no longer uploads them; a letter cannot be issued for
another agency's staff; withdrawing one returns the dossier with the reason."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies import services
from agencies.letters import services as letters
from agencies.letters.rules import REQUIREMENTS
from agencies.models import CohortLetter, LetterStatus
from agencies.workflow import AgencyError
from applicants.models import DocumentFile, ReturnNote, Status
from applicants.rules import missing_items
from applicants.services import ApplicationError, document_upload
from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from schemes.models import RequiredDocument
from tests.applicants.factories import ProfileFactory
from tests.factories import UserFactory
from tests.pdf_layout import pdf_text

from .conftest import member, person, propose

pytestmark = pytest.mark.django_db
NAMES = sorted({n for names in REQUIREMENTS.values() for n in names})
HEAD_LETTERS = ("proposal", "head_recommendation", "authenticity")


@pytest.fixture
def letter_scheme(scheme):
    for i, name in enumerate(NAMES, start=10):
        RequiredDocument.objects.create(scheme=scheme, category=RequiredDocument.Category.SERVICE, name=name,
                                        accepted_kinds=["pdf"], position=i)
    return scheme


@pytest.fixture
def dewi(disdik):
    return member("Dewi Kepala", "dewi@example.go.id", Role.AGENCY_HEAD, disdik)


def applied(proposal):
    """The proposed person registers (profile with the proposed NIP) and starts the application from the invitation."""
    user = UserFactory(full_name=proposal.name, email=proposal.email, roles=[Role.APPLICANT])
    ProfileFactory(user=user, nip=proposal.nip, position="Perawat Ahli Muda", org_unit=proposal.cohort.agency.name)
    return services.invitation_accept(proposal, user=user)


def sign(client, cohort, kind, name, number="800/1/Dinkes/2026"):
    return client.post(f"/perangkat-daerah/angkatan/{cohort.pk}/surat/{kind}/tanda-tangan/", {
        f"{kind}-number": number, f"{kind}-place": "Jakarta", f"{kind}-signer_nip": "",
        f"{kind}-typed_name": name}, follow=True)


def sign_all(cohort, hana, sekar):
    for kind in HEAD_LETTERS:
        letters.letter_sign(cohort, kind, actor=hana, typed_name="Hana Head", number=f"800/{kind}", place="Jakarta")
    letters.letter_sign(cohort, "secretary_recommendation", actor=sekar, typed_name="sekar sekda", number="800/S",
                        place="Jakarta")


def test_the_head_and_the_sekda_sign_for_the_whole_cohort_and_each_dossier_gets_the_letters(
        funded_round, letter_scheme, oki, hana, sekar, login):
    cohort = propose(oki, funded_round, letter_scheme, [person(1), person(2)])
    first = applied(cohort.proposals.get(name="Pegawai 01"))  # before the letters: they join it when signed
    head = login(hana)
    page = head.get(f"/perangkat-daerah/angkatan/{cohort.pk}/").content.decode()
    assert "Sign for the whole cohort" in page
    assert "The head of Dinas Kesehatan recommends first" not in page  # the head's own letters are offered
    for kind in HEAD_LETTERS:
        assert "is signed for the whole cohort" in sign(head, cohort, kind, "hana head").content.decode()
    page = sign(login(sekar), cohort, "secretary_recommendation", "Sekar Sekda", number="000.8/77").content.decode()
    assert "Signed by Sekar Sekda (Sekar Sekda, " not in page and "Signed by Sekar Sekda" in page
    second = applied(cohort.proposals.get(name="Pegawai 02"))  # after: they join it when the application starts
    for app in (first, second):
        current = DocumentFile.objects.filter(document__application=app, superseded_at__isnull=True)
        assert sorted(current.values_list("document__requirement__name", flat=True)) == NAMES
        assert not [m for m in missing_items(app) if any(n in m for n in NAMES)]
    letter = CohortLetter.objects.get(cohort=cohort, kind="secretary_recommendation")
    assert letter.status == LetterStatus.SIGNED and letter.signed_by == sekar and letter.signed_at
    text = pdf_text(letter.pdf.read())
    for expected in ("SEKRETARIAT DAERAH", "SURAT REKOMENDASI", "Nomor: 000.8/77", "Pegawai 01", "Pegawai 02",
                     cohort.proposals.first().nip, "Perawat Ahli Muda", "Sekar Sekda", "Nomor 800/1/Dinkes/2026",
                     letter_scheme.code, "mengetik nama"):
        assert expected in text, expected
    assert "DINAS KESEHATAN" in pdf_text(CohortLetter.objects.get(cohort=cohort, kind="proposal").pdf.read())
    codes = set(AuditEntry.objects.filter(action__startswith="agencies.cohortletter.").values_list("action",
                                                                                                   flat=True))
    assert codes == {"agencies.cohortletter.signed", "agencies.cohortletter.attached"}


def test_the_typed_name_must_be_the_signers_own(funded_round, letter_scheme, oki, hana, login):
    cohort = propose(oki, funded_round, letter_scheme, [person(1)])
    page = sign(login(hana), cohort, "proposal", "Oki Officer").content.decode()
    assert "Type your own name, Hana Head, to sign." in page
    assert not CohortLetter.objects.exists()


def test_the_sekda_recommends_after_the_head_and_a_second_tab_is_told(funded_round, letter_scheme, oki, hana, sekar):
    cohort = propose(oki, funded_round, letter_scheme, [person(1)])
    with pytest.raises(AgencyError, match="The head of Dinas Kesehatan recommends first"):
        letters.letter_sign(cohort, "secretary_recommendation", actor=sekar, typed_name="Sekar Sekda", number="1",
                            place="Jakarta")
    letters.letter_sign(cohort, "head_recommendation", actor=hana, typed_name="Hana Head", number="1", place="J")
    with pytest.raises(AgencyError, match="is already signed, by Hana Head"):
        letters.letter_sign(cohort, "head_recommendation", actor=hana, typed_name="Hana Head", number="2", place="J")
    assert CohortLetter.objects.filter(kind="head_recommendation").count() == 1


def test_a_letter_cannot_be_issued_for_someone_outside_the_signers_agency(
        funded_round, letter_scheme, oki, hana, dewi, login):
    cohort = propose(oki, funded_round, letter_scheme, [person(1)])
    with pytest.raises(AgencyError, match="You speak for Dinas Pendidikan; these are staff of Dinas Kesehatan"):
        letters.letter_sign(cohort, "head_recommendation", actor=dewi, typed_name="Dewi Kepala", number="1",
                            place="Jakarta")
    assert sign(login(dewi), cohort, "head_recommendation", "Dewi Kepala").status_code == 404
    assert not CohortLetter.objects.exists()
    letter = letters.letter_sign(cohort, "proposal", actor=hana, typed_name="Hana Head", number="1", place="J")
    assert login(dewi).get(f"/perangkat-daerah/surat/{letter.pk}/").status_code == 404
    assert login(dewi).post(f"/perangkat-daerah/surat/{letter.pk}/tarik/", {"reason": "x"}).status_code == 404
    assert login(oki).get(f"/perangkat-daerah/surat/{letter.pk}/")["Content-Type"] == "application/pdf"


def test_the_applicant_is_not_asked_to_upload_a_letter_the_agency_issued(
        funded_round, letter_scheme, oki, hana, sekar, login):
    cohort = propose(oki, funded_round, letter_scheme, [person(1)])
    app = applied(cohort.proposals.get())
    sign_all(cohort, hana, sekar)
    client = login(app.applicant)
    page = client.get(f"/permohonan/{app.pk}/isi/dokumen/").content.decode()
    assert page.count("Issued in the portal by") == len(NAMES)
    assert "Issued in the portal by the Sekretaris Daerah: signed by Sekar Sekda" in page
    doc = app.documents.get(requirement__name=REQUIREMENTS["head_recommendation"][0])
    assert f"/isi/dokumen/{doc.pk}/" not in page  # no upload form for it
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    with pytest.raises(ApplicationError, match="is not uploaded by you: Issued in the portal by Dinas Kesehatan"):
        document_upload(doc, user=app.applicant, upload=scan, kind="pdf")
    assert doc.files.get(superseded_at__isnull=True).uploaded_by == hana


def test_the_verifier_sees_who_signed_each_letter(funded_round, letter_scheme, oki, hana, sekar, victor, login):
    cohort = propose(oki, funded_round, letter_scheme, [person(1)])
    app = applied(cohort.proposals.get())
    sign_all(cohort, hana, sekar)
    type(app).objects.filter(pk=app.pk).update(status=Status.SUBMITTED)  # the applicant submitted the dossier
    doc = app.documents.get(requirement__name=REQUIREMENTS["secretary_recommendation"][0])
    page = login(victor).get(f"/permohonan/verifikasi/{app.pk}/?doc={doc.pk}").content.decode()
    assert "Issued in the portal by the Sekretaris Daerah: signed by Sekar Sekda (Sekretaris Daerah)" in page
    assert "letter number 800/S" in page


def test_withdrawing_a_recommendation_returns_the_dossier_with_the_reason(
        funded_round, letter_scheme, oki, hana, sekar, victor, login, django_capture_on_commit_callbacks):
    cohort = propose(oki, funded_round, letter_scheme, [person(1)])
    app = applied(cohort.proposals.get())
    sign_all(cohort, hana, sekar)
    type(app).objects.filter(pk=app.pk).update(status=Status.SUBMITTED)  # the applicant submitted the dossier
    letter = CohortLetter.objects.get(kind="head_recommendation")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = login(hana).post(f"/perangkat-daerah/surat/{letter.pk}/tarik/",
                                {"reason": "Pegawai dimutasi ke unit lain"}, follow=True).content.decode()
    assert "the dossiers are returned with your reason" in page
    app.refresh_from_db()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.WITHDRAWN and app.status == Status.RETURNED
    assert "Pegawai dimutasi ke unit lain" in app.status_reason
    note = ReturnNote.objects.get(application=app)
    assert note.document.requirement.name == REQUIREMENTS["head_recommendation"][0]
    told = [m for m in mail.outbox if m.to == [app.applicant.email]]
    assert len(told) == 1 and "Pegawai dimutasi ke unit lain" in told[0].body
    entry = AuditEntry.objects.get(action="applicants.application.returned")
    assert entry.actor == hana and "Pegawai dimutasi" in entry.note
    assert AuditEntry.objects.filter(action="agencies.cohortletter.withdrawn", actor=hana).exists()
    assert "Upload “Surat Rekomendasi dari Kepala PD”" in " ".join(missing_items(app))  # asked again
    again = login(hana).get(f"/perangkat-daerah/angkatan/{cohort.pk}/").content.decode()
    assert "Withdrawn on" in again and "Pegawai dimutasi ke unit lain" in again


def test_a_letter_is_not_withdrawn_once_a_dossier_is_verified(funded_round, letter_scheme, oki, hana, sekar, login):
    cohort = propose(oki, funded_round, letter_scheme, [person(1)])
    app = applied(cohort.proposals.get())
    sign_all(cohort, hana, sekar)
    type(app).objects.filter(pk=app.pk).update(status=Status.VERIFIED)
    page = login(hana).get(f"/perangkat-daerah/angkatan/{cohort.pk}/").content.decode()
    assert "Already verified or further on, so the letter can no longer be withdrawn: Pegawai 01." in page
    letter = CohortLetter.objects.get(kind="head_recommendation")
    with pytest.raises(AgencyError, match="Already verified"):
        letters.letter_withdraw(letter, actor=hana, reason="x")


def test_the_letter_pages_are_for_their_roles(funded_round, letter_scheme, oki, hana, otto, sekar, lina, alice,
                                               victor, client, login):
    cohort = propose(oki, funded_round, letter_scheme, [person(1)])
    letter = letters.letter_sign(cohort, "proposal", actor=hana, typed_name="Hana Head", number="1", place="J")
    pdf, withdraw = f"/perangkat-daerah/surat/{letter.pk}/", f"/perangkat-daerah/surat/{letter.pk}/tarik/"
    sign_url = f"/perangkat-daerah/angkatan/{cohort.pk}/surat/authenticity/tanda-tangan/"
    for url in (pdf, withdraw, sign_url):
        response = client.get(url) if url == pdf else client.post(url, {})
        assert response.status_code == 302 and "/akun/masuk/" in response.url, url  # anonymous
    for user in (oki, sekar, lina):
        assert login(user).get(pdf).status_code == 200
    assert login(otto).get(pdf).status_code == 404  # another agency's officer
    for user in (alice, victor):
        assert login(user).get(pdf).status_code == 403
    for user in (oki, lina, alice, victor):  # not a signer
        assert login(user).post(withdraw, {"reason": "x"}).status_code == 403
        assert login(user).post(sign_url, {}).status_code == 403
    assert login(hana).get(withdraw).status_code == 405
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SIGNED
    officer = login(oki).get(f"/perangkat-daerah/angkatan/{cohort.pk}/").content.decode()
    assert "Signed by Hana Head" in officer and "Sign for the whole cohort" not in officer  # the officer reads


def test_the_persons_data_download_lists_the_letters_in_their_dossier(funded_round, letter_scheme, oki, hana):
    from agencies.personal_data import collect

    cohort = propose(oki, funded_round, letter_scheme, [person(1)])
    app = applied(cohort.proposals.get())
    letters.letter_sign(cohort, "proposal", actor=hana, typed_name="Hana Head", number="800/9", place="Jakarta")
    section = next(s for s in collect(app.applicant) if s.key == "agencies.letters")
    assert [(str(r["letter"]), r["number"], r["signed_by"]) for r in section.records] == [
        ("Proposal letter of the agency", "800/9", "Hana Head")] * 2  # numbers 2 and 3 of seed 001 item 1


def test_the_signers_home_counts_the_cohorts_waiting_for_their_signature(funded_round, letter_scheme, oki, hana,
                                                                         sekar, otto, login):
    def waiting(user):
        page = login(user).get("/perangkat-daerah/").content.decode()
        return re.search(r'data-work="letters-to-sign".*?data-count>(\d+)', page, re.S).group(1)

    cohort = propose(oki, funded_round, letter_scheme, [person(1)])
    # issue 43: the Sekretaris Daerah recommends what the head has recommended: nothing waits for them before
    assert waiting(hana) == "1" and waiting(sekar) == "0"
    letters.letter_sign(cohort, "head_recommendation", actor=hana, typed_name="Hana Head", number="800/R",
                        place="Jakarta")
    assert waiting(hana) == "1" and waiting(sekar) == "1"
    letters.letter_withdraw(letters.live_letter(cohort, "head_recommendation"), actor=hana, reason="Nomor keliru")
    assert waiting(sekar) == "0"
    sign_all(cohort, hana, sekar)
    assert waiting(hana) == "0" and waiting(sekar) == "0"
