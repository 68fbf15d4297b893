"""Issue 42 item 1: an agency proposes only its own people (the province's roster, else the person's own profile,
says whose they are); another agency's person is refused with one sentence that says nothing about them, whatever
the reason; a NIP the portal does not know is invited, and the person confirms the agency or declines; the people
pages and their exports list only the agency's people by the same rule."""

import html

import pytest

from agencies import services
from agencies.models import Proposal, ProposalStatus, RosterEntry
from agencies.roster import NOT_OURS
from agencies.selectors import quota_of
from tests.applicants.factories import ProfileFactory, make_nip
from tests.factories import UserFactory

from .conftest import person, propose, workbook
from .people_factory import certificate, staff

pytestmark = pytest.mark.django_db

PROPOSE = "/perangkat-daerah/usulan/"
# Words of the refusals about one's own staff: none may reach an agency about another agency's person.
REVEALING = ("already", "certificate", "education", "rank", "Not eligible", "profile names", "Dinas Pendidikan")


def _single(client, funded_round, scheme, **fields):
    data = {**person(90), **fields}
    return client.post(PROPOSE, {"form": "person", "person-choice": f"{funded_round.pk}:{scheme.pk}",
                                 **{f"person-{k}": v for k, v in data.items()}}).content.decode()


def _errors(page: str) -> str:
    """The refusal shown above the single person's form."""
    return html.unescape(page.split('class="alert alert-block alert-danger"', 1)[1].split("</div>", 1)[0])


def _faulty_rows(page: str) -> dict[str, str]:
    section = html.unescape(page.split('data-testid="faulty"', 1)[1].split("</section>", 1)[0])
    return {chunk.split("</strong>", 1)[0].strip(): chunk for chunk in section.split("<strong>Line")[1:]}


@pytest.fixture
def others(disdik, otto, funded_round, scheme):
    """NIPs that are not Dinas Kesehatan's, each for another reason (name -> NIP)."""
    on_roster = make_nip(serial=301)
    RosterEntry.objects.create(nip=on_roster, name="Rosa Roster", agency=disdik)
    by_profile = staff(disdik, "Pandu Profil", "Guru").applicant_profile.nip
    certified = staff(disdik, "Citra Certified", "Guru")
    certificate(certified, scheme)
    low = staff(disdik, "Lukas Low", "Guru")
    type(low.applicant_profile).objects.filter(user=low).update(education="SMA", rank="II/a")
    proposed_elsewhere = make_nip(serial=305)  # unknown to the portal, but Dinas Pendidikan proposed it
    propose(otto, funded_round, scheme, [person(5, nip=proposed_elsewhere)])
    # Dinas Kesehatan's profile, but the roster (which decides) lists them at Dinas Pendidikan
    moved = staff(type(disdik).objects.get(name="Dinas Kesehatan"), "Mira Moved", "Perawat").applicant_profile.nip
    RosterEntry.objects.create(nip=moved, name="Mira Moved", agency=disdik)
    return {"roster": on_roster, "profile": by_profile, "certified": certified.applicant_profile.nip,
            "ineligible": low.applicant_profile.nip, "proposed elsewhere": proposed_elsewhere, "roster wins": moved}


@pytest.mark.parametrize("case", ["roster", "profile", "certified", "ineligible", "proposed elsewhere",
                                  "roster wins"])
def test_another_agencys_person_gets_one_neutral_refusal_on_the_single_form(others, funded_round, scheme, oki,
                                                                            login, case):
    page = _single(login(oki), funded_round, scheme, nip=others[case], name="Siapa Saja")
    refusal = _errors(page)
    assert str(NOT_OURS) in refusal
    assert not any(word in refusal.replace(str(NOT_OURS), "") for word in REVEALING)
    assert not Proposal.objects.filter(nip=others[case], cohort__agency__name="Dinas Kesehatan").exists()


def test_every_kind_of_other_agencys_nip_reads_the_same_in_the_preview(others, funded_round, scheme, oki, login):
    rows = [[nip, f"Orang {i}", f"orang{i}@example.go.id", "S1", "III/b"] for i, nip in enumerate(others.values())]
    page = login(oki).post(PROPOSE, {"form": "upload", "upload-choice": f"{funded_round.pk}:{scheme.pk}",
                                     "upload-file": workbook(rows)}, follow=True).content.decode()
    faulty = _faulty_rows(page)
    assert len(faulty) == len(others)
    problems = {line: chunk.split("<li>", 1)[1].split("</li>", 1)[0] for line, chunk in faulty.items()}
    assert set(problems.values()) == {str(NOT_OURS)}  # one sentence, the same for every reason
    assert not any(word in chunk.split("<li>", 1)[1] for chunk in faulty.values() for word in REVEALING)


def test_the_roster_makes_someone_ours_whatever_their_profile_says(dinkes, disdik, funded_round, scheme, oki, login):
    elsewhere = staff(disdik, "Rudi Roster", "Perawat").applicant_profile.nip
    RosterEntry.objects.create(nip=elsewhere, name="Rudi Roster", agency=dinkes)
    _single(login(oki), funded_round, scheme, nip=elsewhere, name="Rudi Roster")
    proposal = Proposal.objects.get(nip=elsewhere)
    assert proposal.cohort.agency == dinkes and not proposal.needs_confirmation


@pytest.mark.parametrize("kind, expected", [
    ("certified", "Sita Sertifikat already holds a valid certificate of"),
    ("proposed", "is already proposed by your agency for"),
    ("ineligible", "Not eligible: Sita Sertifikat's education (SMA) is below the minimum required, S1."),
])
def test_refusals_about_the_agencys_own_people_stay_specific(dinkes, funded_round, scheme, oki, login, kind,
                                                             expected):
    own = staff(dinkes, "Sita Sertifikat", "Perawat")
    nip = own.applicant_profile.nip
    if kind == "certified":
        certificate(own, scheme)
    elif kind == "proposed":
        propose(oki, funded_round, scheme, [person(1, nip=nip)])
    else:
        type(own.applicant_profile).objects.filter(user=own).update(education="SMA")
    refusal = _errors(_single(login(oki), funded_round, scheme, nip=nip, name="Sita Sertifikat"))
    assert expected in refusal and str(NOT_OURS) not in refusal


def test_a_mistyped_nip_is_described_without_speaking_to_the_officer_as_the_person(funded_round, scheme, oki,
                                                                                    login):
    refusal = _errors(_single(login(oki, "id"), funded_round, scheme, nip="19850314201001100", name="Budi"))
    assert "NIP yang diberikan untuk Budi" in refusal and "Anda mengetik" not in refusal


def test_an_unknown_nip_is_invited_and_the_agency_sees_nothing_until_the_person_confirms(
        dinkes, funded_round, scheme, oki, hana, login, django_capture_on_commit_callbacks):
    nip = make_nip(serial=410)
    proposal = propose(oki, funded_round, scheme, [person(10, nip=nip)]).proposals.get()
    assert proposal.needs_confirmation and proposal.status == ProposalStatus.INVITED
    someone = UserFactory(email=proposal.email, roles=["applicant"])
    ProfileFactory(user=someone, nip=nip, full_name="Tono Tamu", org_unit="Dinas Pendidikan")
    client = login(someone)
    url = f"/perangkat-daerah/undangan/{proposal.token}/"
    page = html.unescape(client.get(url).content.decode())
    assert "Your profile names Dinas Pendidikan as your agency" in page
    assert "I do not work at Dinas Kesehatan: decline" in page
    people = login(hana)
    for page_url in ("/perangkat-daerah/pegawai/", "/perangkat-daerah/pegawai/peta-kompetensi/",
                     "/perangkat-daerah/pegawai/ekspor/permohonan.csv"):
        response = people.get(page_url)
        text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        assert "Tono Tamu" not in text and "Dinas Pendidikan" not in text

    used = quota_of(funded_round, dinkes)["used"]
    done = client.post(f"{url}tolak/", follow=True).content.decode()
    assert "You declined the proposal; the agency's place is free again." in html.unescape(done)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED and proposal.application is None
    assert quota_of(funded_round, dinkes)["used"] == used - 1
    cohort_page = login(oki).get(f"/perangkat-daerah/angkatan/{proposal.cohort_id}/").content.decode()
    assert "Declined by the person" in cohort_page


def test_a_person_who_confirms_the_agency_becomes_its_person(dinkes, funded_round, scheme, oki, hana, login):
    nip = make_nip(serial=411)
    proposal = propose(oki, funded_round, scheme, [person(11, nip=nip)]).proposals.get()
    someone = UserFactory(email=proposal.email, roles=["applicant"])
    ProfileFactory(user=someone, nip=nip, full_name="Kiki Konfirmasi", org_unit="Dinas Kesehatan")
    done = login(someone).post(f"/perangkat-daerah/undangan/{proposal.token}/mulai/", follow=True)
    assert "Your application is started" in done.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPLIED and proposal.confirmed_at is not None
    assert "Kiki Konfirmasi" in login(hana).get("/perangkat-daerah/pegawai/").content.decode()


def test_nobody_but_the_invited_person_declines(funded_round, scheme, oki, login):
    proposal = propose(oki, funded_round, scheme, [person(12)]).proposals.get()
    stranger = ProfileFactory(nip=make_nip(serial=412)).user
    login(stranger).post(f"/perangkat-daerah/undangan/{proposal.token}/tolak/")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INVITED


def test_the_people_pages_and_exports_of_one_agency_never_show_anothers_person(dinkes, disdik, scheme, hana, login):
    from openpyxl import load_workbook

    theirs = staff(disdik, "Bima Pendidikan", "Guru")
    certificate(theirs, scheme)
    listed_here = staff(disdik, "Dani Roster", "Perawat")  # profile elsewhere, roster here: ours
    certificate(listed_here, scheme)
    RosterEntry.objects.create(nip=listed_here.applicant_profile.nip, name="Dani Roster", agency=dinkes)
    client = login(hana)
    base = "/perangkat-daerah/pegawai/"
    the_map = client.get(f"{base}peta-kompetensi/").content.decode()
    assert 'data-position="Perawat"' in the_map and "Guru" not in the_map and "Bima Pendidikan" not in the_map
    assert client.get(f"{base}peta-kompetensi/", {"jabatan": "guru"}).status_code == 404
    for url in (base, f"{base}sertifikat/", f"{base}peta-kompetensi/?jabatan=perawat"):
        text = client.get(url).content.decode()
        assert "Bima Pendidikan" not in text and theirs.applicant_profile.nip not in text
        assert "Dani Roster" in text
    for what in ("permohonan", "sertifikat", "peta-kompetensi"):
        csv = b"".join(client.get(f"{base}ekspor/{what}.csv").streaming_content).decode()
        assert theirs.applicant_profile.nip not in csv and "Dani Roster" in csv
        import io

        xlsx = b"".join(client.get(f"{base}ekspor/{what}.xlsx").streaming_content)
        cells = {str(c) for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True) for c in row}
        assert theirs.applicant_profile.nip not in cells and "Bima Pendidikan" not in cells


# What another agency's person is (name, agency, position, education): no refusal of any kind may carry it.
SECRETS = ("Pandu Profil", "Lukas Low", "Citra Certified", "Rosa Roster", "Dinas Pendidikan", "Guru", "SMA")


@pytest.mark.parametrize("kind, fields, expected", [
    ("no place left", {}, "0 left for 1 person, 1 too many."),
    ("mistyped NIP", {"nip": "12345"}, "A NIP has exactly 18 digits (the NIP given for Budi Baru has 5 characters)."),
    ("not eligible by the form", {"education": "D3"},
     "Not eligible: Budi Baru's education (D3) is below the minimum required, S1."),
    ("another agency's person", {"nip": "profile"}, None),
])
def test_each_refusal_of_the_proposal_form_names_nobody_else(others, dinkes, funded_round, scheme, oki, login,
                                                             kind, fields, expected):
    from agencies.models import RoundQuota

    if kind == "no place left":
        RoundQuota.objects.filter(round=funded_round, agency=dinkes).update(places=1)
        propose(oki, funded_round, scheme, [person(1)])
    if fields.get("nip") == "profile":
        fields = {**fields, "nip": others["profile"]}
    refusal = _errors(_single(login(oki), funded_round, scheme, name="Budi Baru", **fields))
    assert (expected or str(NOT_OURS)) in refusal, refusal
    assert not any(secret in refusal for secret in SECRETS)


def test_no_problem_in_the_preview_names_another_agencys_person(others, funded_round, scheme, oki, login):
    rows = [["12345", "Salah", "s@example.go.id", "S1", "III/b"],
            [others["ineligible"], "Siapa", "siapa@example.go.id", "S1", "III/b"],
            [others["ineligible"], "Lagi", "lagi@example.go.id", "S1", "III/b"],
            [make_nip(serial=420), "Baru Diploma", "baru@example.go.id", "D3", "III/b"],
            ["=1+1", "Rumus", "rumus@example.go.id", "S1", "III/b"]]
    page = login(oki).post(PROPOSE, {"form": "upload", "upload-choice": f"{funded_round.pk}:{scheme.pk}",
                                     "upload-file": workbook(rows)}, follow=True).content.decode()
    faulty = _faulty_rows(page)
    assert len(faulty) == 5
    for chunk in faulty.values():
        problems = chunk.split("<ul", 1)[1]
        assert not any(secret in problems for secret in SECRETS), problems


def test_the_officer_is_told_who_will_confirm_on_the_invitation(funded_round, scheme, oki, login):
    client = login(oki)
    rows = [[make_nip(serial=430), "Nia Baru", "nia@example.go.id", "S1", "III/b"]]
    page = client.post(PROPOSE, {"form": "upload", "upload-choice": f"{funded_round.pk}:{scheme.pk}",
                                 "upload-file": workbook(rows)}, follow=True).content.decode()
    assert 'data-testid="to-confirm"' in page
    done = html.unescape(client.post("/perangkat-daerah/usulan/pratinjau/", follow=True).content.decode())
    assert "1 person proposed and invited." in done
    cohort = Proposal.objects.get(nip=rows[0][0]).cohort_id
    text = client.get(f"/perangkat-daerah/angkatan/{cohort}/").content.decode()
    assert "The person has yet to confirm that they work for the agency." in text


def test_the_cohort_page_hides_the_application_of_someone_who_moved(dinkes, disdik, funded_round, scheme, oki, hana,
                                                                     lina, login):
    """Proposed while Dinas Kesehatan's, started an application, then listed at Dinas Pendidikan by the roster: the
    agency keeps the row it typed but no longer reads the application, and is told so in words that name nobody."""
    moved = staff(dinkes, "Maya Pindah", "Perawat")
    nip = moved.applicant_profile.nip
    proposal = propose(oki, funded_round, scheme, [person(13, nip=nip, name="Maya Pindah",
                                                          email=moved.email)]).proposals.get()
    login(moved).post(f"/perangkat-daerah/undangan/{proposal.token}/mulai/")
    proposal.refresh_from_db()
    assert proposal.application is not None and proposal.application.status == "draft"
    url = f"/perangkat-daerah/angkatan/{proposal.cohort_id}/"
    note = "this person is not counted among your agency's staff now"

    def row(client) -> str:
        page = html.unescape(client.get(url).content.decode())
        return page.split('data-testid="proposals"', 1)[1].split("Maya Pindah", 1)[1].split("</tr>", 1)[0]

    before = row(login(oki))
    assert "Draft" in before and note not in before

    RosterEntry.objects.create(nip=nip, name="Maya Pindah", agency=disdik)
    for reader in (oki, hana):
        after = row(login(reader))
        assert "Draft" not in after and note in after and nip in after
        assert "Dinas Pendidikan" not in after and "Perawat" not in after
    assert "Draft" in row(login(lina))  # the LSP serves every agency: it still reads the application


def test_a_letter_signed_after_the_move_prints_no_position_for_them(dinkes, disdik, funded_round, scheme, oki, hana):
    from agencies.letters import services as letters
    from tests.pdf_layout import pdf_text

    stays, moves = staff(dinkes, "Tetap Disini", "Perawat Ahli"), staff(dinkes, "Maya Pindah", "Bidan Terampil")
    cohort = propose(oki, funded_round, scheme, [person(14 + i, nip=u.applicant_profile.nip, name=u.full_name,
                                                        email=u.email) for i, u in enumerate((stays, moves))])
    for proposal in cohort.proposals.all():
        services.invitation_accept(proposal, user=stays if proposal.name == "Tetap Disini" else moves)
    RosterEntry.objects.create(nip=moves.applicant_profile.nip, name="Maya Pindah", agency=disdik)
    letter = letters.letter_sign(cohort, "proposal", actor=hana, typed_name="Hana Head", number="800/1",
                                 place="Jakarta")
    letter.pdf.open("rb")
    text = " ".join(pdf_text(letter.pdf.read()).split())
    assert "Maya Pindah" in text and "Perawat Ahli" in text and "Bidan Terampil" not in text


def test_the_cohort_page_reads_the_rule_in_the_same_queries_for_2_or_12_people(dinkes, disdik, funded_round, scheme,
                                                                                 oki, login,
                                                                                 django_assert_max_num_queries):
    client = login(oki)
    people = [staff(dinkes, f"Pegawai Angkatan {i}", "Perawat") for i in range(12)]
    rows = [person(40 + i, nip=u.applicant_profile.nip, email=u.email) for i, u in enumerate(people)]

    def move(users):
        for u in users:
            RosterEntry.objects.create(nip=u.applicant_profile.nip, name="Pindah", agency=disdik)

    cohort = propose(oki, funded_round, scheme, rows[:2])
    move(people[:1])
    with django_assert_max_num_queries(60) as counted:
        assert client.get(f"/perangkat-daerah/angkatan/{cohort.pk}/").status_code == 200
    assert propose(oki, funded_round, scheme, rows[2:]).pk == cohort.pk
    move(people[2::2])
    with django_assert_max_num_queries(len(counted.captured_queries)):
        page = client.get(f"/perangkat-daerah/angkatan/{cohort.pk}/").content.decode()
    assert page.count("data-not-counted") == 6
