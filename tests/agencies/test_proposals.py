"""Issue 29 item 2: an agency officer proposes staff from an XLSX (every row checked, a preview before anything is
saved) or one by one; each person is invited by e-mail and in the portal; the quota refuses with the count."""

import html
import io
import zipfile

import pytest
from django.core import mail

from agencies.models import Proposal, ProposalStatus
from applicants.models import ApplicantProfile
from certportal.audit.models import AuditEntry
from certportal.notifications.models import Notification
from tests.applicants.factories import ProfileFactory, make_nip
from tests.factories import UserFactory

from .conftest import person, propose, workbook

pytestmark = pytest.mark.django_db(transaction=False)

PROPOSE = "/perangkat-daerah/usulan/"
PREVIEW = "/perangkat-daerah/usulan/pratinjau/"


def _upload(client, funded_round, scheme, file):
    return client.post(PROPOSE, {"form": "upload", "upload-choice": f"{funded_round.pk}:{scheme.pk}",
                                 "upload-file": file}, follow=True)


def _thirty_rows_four_faulty(scheme, registered):
    rows = [[p["nip"], p["name"], p["email"], "S1", "III/b"] for p in (person(i) for i in range(1, 27))]
    rows.insert(3, ["19850314201001100", "Salah Ketik", "salah@example.go.id", "S1", "III/b"])  # 17 digits
    rows.insert(8, [rows[0][0], "Dua Kali", "duakali@example.go.id", "S1", "III/b"])  # the NIP of line 2 again
    rows.insert(15, [make_nip(serial=901), "Masih Muda", "muda@example.go.id", "SMA", "II/a"])  # not eligible
    rows.insert(20, ['=HYPERLINK("http://evil/","x")', "Rumus", "rumus@example.go.id", "S1", "III/b"])
    return rows


def test_officer_sees_each_faulty_row_then_proposes_the_26_others(funded_round, scheme, oki, login,
                                                                  django_capture_on_commit_callbacks):
    client = login(oki)
    page = _upload(client, funded_round, scheme, workbook(_thirty_rows_four_faulty(scheme, [])))
    text = html.unescape(page.content.decode())
    assert page.redirect_chain[-1][0] == PREVIEW
    assert "26 rows can be proposed" in text and "4 rows have a problem" in text
    assert "A NIP has exactly 18 digits (the NIP given for Salah Ketik has 17 characters)" in text
    assert "The NIP is also on line 2 of the file." in text
    assert "Not eligible: Masih Muda's education (SMA) is below the minimum required, S1." in text
    assert "cell is a formula" in text
    assert not Proposal.objects.exists()  # nothing saved before the officer confirms

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(PREVIEW, follow=True)
    assert "26 people proposed and invited." in done.content.decode()
    assert Proposal.objects.filter(status=ProposalStatus.INVITED, cohort__agency=oki.agency_membership.agency)\
        .count() == 26
    assert len(mail.outbox) == 26 and "pegawai01@example.go.id" in {m.to[0] for m in mail.outbox}
    invitation = next(m for m in mail.outbox if m.to == ["pegawai01@example.go.id"])
    token = Proposal.objects.get(email="pegawai01@example.go.id").token
    assert f"/perangkat-daerah/undangan/{token}/" in invitation.body
    assert AuditEntry.objects.filter(action="agencies.proposal.invited").count() == 26


def test_a_27th_proposal_beyond_the_quota_is_refused_with_the_count(funded_round, scheme, oki, login):
    propose(oki, funded_round, scheme, [person(i) for i in range(1, 27)])
    page = login(oki).post(PROPOSE, {"form": "person", "person-choice": f"{funded_round.pk}:{scheme.pk}",
                                     **{f"person-{k}": v for k, v in person(27).items()}})
    assert ("Dinas Kesehatan has 26 funded places in “APBD 2026 (2026)” and 26 are used: 0 left for 1 person, 1 too "
            "many.") in page.content.decode()
    assert Proposal.objects.count() == 26


def test_withdrawing_a_proposal_frees_its_place_and_tells_the_person(funded_round, scheme, oki, login):
    alice = ProfileFactory(nip=make_nip(serial=1), org_unit="Dinas Kesehatan").user
    cohort = propose(oki, funded_round, scheme, [person(1, nip=make_nip(serial=1))])
    proposal = cohort.proposals.get()
    assert proposal.invited_user == alice  # an account with that NIP: invited in the portal too
    assert Notification.objects.filter(user=alice, template="agencies/email/invitation").exists()
    page = login(oki).post(f"/perangkat-daerah/usulan/{proposal.pk}/tarik/", {"reason": "Mutasi"}, follow=True)
    assert "The proposal is withdrawn; its place is free again." in page.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert Notification.objects.filter(user=alice, template="agencies/email/withdrawn").exists()


def test_someone_already_proposed_by_the_agency_is_a_problem_of_the_row(funded_round, scheme, oki, login):
    propose(oki, funded_round, scheme, [person(1)])
    page = _upload(login(oki), funded_round, scheme, workbook([[person(1)["nip"], "Pegawai 01",
                                                                 "x@example.go.id", "S1", "III/b"]]))
    assert (f"Pegawai 01 is already proposed by your agency for {scheme.code} in this round."
            in page.content.decode())


def test_a_nip_stored_as_a_number_is_refused_not_guessed(funded_round, scheme, oki, login):
    page = _upload(login(oki), funded_round, scheme, workbook([[198503142010011003, "Angka", "a@example.go.id",
                                                                 "S1", "III/b"]]))
    assert "The NIP was stored as a number" in page.content.decode()


def test_a_file_that_is_not_a_workbook_is_refused_by_its_content(funded_round, scheme, oki, login):
    fake = io.BytesIO(b"%PDF-1.4 not a workbook")
    fake.name = "usulan.xlsx"
    page = _upload(login(oki), funded_round, scheme, fake)
    assert "is not an Excel workbook (.xlsx); its content was checked, not its name." in page.content.decode()
    assert not Proposal.objects.exists()


def test_the_template_downloads_as_a_workbook(funded_round, oki, login):
    response = login(oki).get("/perangkat-daerah/usulan/templat.xlsx")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"PK")


def test_a_person_with_a_profile_is_checked_against_it_and_named(funded_round, scheme, oki, login):
    ProfileFactory(nip=make_nip(serial=5), rank="II/c", user=UserFactory(), org_unit="Dinas Kesehatan")
    rows = workbook([[make_nip(serial=5), "Punya Profil", "p@example.go.id", "S1", "III/b"]])
    page = html.unescape(_upload(login(oki), funded_round, scheme, rows).content.decode())
    assert "Not eligible: Punya Profil's rank (II/c) is below the minimum required, III/b." in page
    rows.seek(0)
    page = _upload(login(oki, "id"), funded_round, scheme, rows).content.decode()
    assert "Golongan Punya Profil (II/c)" in page and "Anda" not in _faulty(page)
    assert ApplicantProfile.objects.count() == 1



def _row(p: dict) -> list:
    return [p["nip"], p["name"], p["email"], p["education"], p["rank"]]


def _faulty(text: str) -> str:
    return text.split('data-testid="faulty"', 1)[1].split("</section>", 1)[0]


def test_someone_holding_a_valid_certificate_of_the_scheme_is_a_problem_of_their_row(funded_round, scheme, dinkes,
                                                                                      oki, login):
    from .people_factory import certificate, staff

    holder = staff(dinkes, "Sudah Bersertifikat", "Analis Pelayanan Kesehatan")
    certificate(holder, scheme)
    nip = holder.applicant_profile.nip
    page = _upload(login(oki), funded_round, scheme, workbook([
        [nip, "Sudah Bersertifikat", "sudah@example.go.id", "S1", "III/b"], _row(person(1))]))
    text = page.content.decode()
    assert "1 row can be proposed" in text and "1 row has a problem" in text
    faulty = _faulty(text)
    assert nip in faulty and f"Sudah Bersertifikat already holds a valid certificate of {scheme.code}." in faulty
    assert person(1)["nip"] not in faulty  # the other row is to be proposed
    assert not Proposal.objects.exists()


def _bomb() -> io.BytesIO:
    """A small ZIP (some kilobytes) whose one member unpacks to more than the limit."""
    from agencies.importing import MAX_UNPACKED

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (MAX_UNPACKED + 1))
    out.seek(0)
    out.name = "usulan.xlsx"
    return out


def _zip_not_a_workbook() -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("daftar.txt", "NIP;Nama\n198503142010011003;Budi\n")
    out.seek(0)
    out.name = "usulan.xlsx"
    return out


@pytest.mark.parametrize("make, message", [
    (_zip_not_a_workbook, "“usulan.xlsx” tidak dapat dibaca sebagai buku kerja Excel (.xlsx)."),
    (_bomb, "Berkas ini terurai menjadi lebih dari 10 MB"),
])
def test_a_hostile_zip_is_refused_in_the_officers_language_and_nothing_is_kept(funded_round, scheme, oki, login,
                                                                               make, message):
    client = login(oki, "id")
    file = make()
    assert file.getbuffer().nbytes < 100 * 1024  # the bomb is small: only what it unpacks to is refused
    page = _upload(client, funded_round, scheme, file)
    assert page.redirect_chain == []  # the upload form again, not the preview
    assert message in page.content.decode()
    assert "agencies_preview" not in client.session and not Proposal.objects.exists()
    assert client.get(PREVIEW).url == PROPOSE  # no preview was stored


def test_the_preview_shows_the_places_left_before_the_click(funded_round, scheme, oki, login):
    propose(oki, funded_round, scheme, [person(i) for i in range(1, 21)])
    page = _upload(login(oki), funded_round, scheme, workbook([_row(person(21)), _row(person(22))]))
    text = page.content.decode()
    assert "Dinas Kesehatan has 6 funded places left in “APBD 2026 (2026)” (20 of 26 used)." in text
    assert 'data-action="agencies.proposal.proposed"' in text and "Propose and invite 2 people" in text


def test_without_places_or_an_open_round_the_preview_has_no_button_and_says_why(funded_round, scheme, oki, lina,
                                                                                 login):
    from agencies import services

    client = login(oki)
    propose(oki, funded_round, scheme, [person(i) for i in range(1, 26)])
    text = _upload(client, funded_round, scheme, workbook([_row(person(26)), _row(person(27))])).content.decode()
    assert "Dinas Kesehatan has 1 funded place left in “APBD 2026 (2026)” (25 of 26 used)." in text
    assert ("Dinas Kesehatan has 26 funded places in “APBD 2026 (2026)” and 25 are used: 1 left for 2 people, 1 too "
            "many.") in text
    assert 'data-action="agencies.proposal.proposed"' not in text

    services.round_take(funded_round, "closed", actor=lina, reason="")
    text = client.get(PREVIEW).content.decode()
    assert "The round “APBD 2026 (2026)” is not open for proposals." in text
    assert 'data-action="agencies.proposal.proposed"' not in text
    client.post(PREVIEW)  # a form kept open in another tab is refused by the service all the same
    assert Proposal.objects.count() == 25
