"""Issue 48, the roster of civil servants: the LSP admin or a BKPSDM officer imports SIASN's "data utama" (XLSX or
CSV, SIASN's column names in any case or spacing), sees a preview with every faulty row's message, imports only a
file without one (nothing half-imported), imports the same file again without duplicates, and a re-import updates
people by NIP (moves, ranks, those who left) keeping each change in their history; a hostile file is refused with
nothing imported; nobody else reaches these pages."""

import io
import zipfile

import pytest

from agencies import roster_sample
from agencies.models import RosterChange, RosterEntry, RosterImport, RosterStatus
from agencies.roster import OTHER, OURS, standings
from applicants.models import Agency, Application
from certportal.audit.models import AuditEntry
from tests.applicants.factories import ProfileFactory
from tests.factories import UserFactory

from .people_factory import application

pytestmark = pytest.mark.django_db

ROSTER = "/perangkat-daerah/daftar-pegawai/"
H = roster_sample.HEADER


def person(i: int, agency: str = "Dinas Kesehatan", **changes) -> list[str]:
    row = dict(zip(H, roster_sample.person(i, [agency]), strict=True))
    row.update(kedudukanPnsNama="Aktif", **changes)
    return [row[h] for h in H]


def upload(client, capture, content: bytes, name: str = "roster.xlsx", whole: bool = False) -> RosterImport:
    with capture(execute=True):
        response = client.post(ROSTER, {"file": io.BytesIO(content) and _named(content, name),
                                        **({"whole": "on"} if whole else {})})
    assert response.status_code == 302, response.content.decode()[:2000]
    return RosterImport.objects.latest("created_at")


def _named(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def confirm(client, capture, job: RosterImport) -> RosterImport:
    with capture(execute=True):
        client.post(f"{ROSTER}impor/{job.public_id}/confirmed/")
    job.refresh_from_db()
    return job


def imported(client, capture, content: bytes, **kwargs) -> RosterImport:
    job = upload(client, capture, content, **kwargs)
    assert job.status == "done", job.error
    assert job.preview["faulty"] == 0, job.preview["problems"]
    return confirm(client, capture, job)


@pytest.fixture
def agencies(dinkes, disdik):
    return dinkes, disdik


def test_the_preview_names_every_faulty_row_and_nothing_is_imported(agencies, lina, login,
                                                                    django_capture_on_commit_callbacks):
    rows = [person(1), person(2, nipBaru="12345"), person(3, unorIndukNama="Dinas Antah Berantah"),
            person(4, nama='=HYPERLINK("http://evil.example/","klik")'), person(1, nama="Someone Else"),
            person(5, golRuangAkhir="IX/z")]
    client = login(lina)
    job = upload(client, django_capture_on_commit_callbacks, roster_sample.xlsx_bytes(rows))
    assert job.status == "done" and job.preview["rows"] == 6 and job.preview["faulty"] == 5
    problems = {p["line"]: " ".join(p["problems"]) for p in job.preview["problems"]}
    assert "18 digits" in problems[3]
    assert "Dinas Antah Berantah" in problems[4] and "not on the portal's list" in problems[4]
    assert "formula" in problems[5] and "not calculated nor kept" in problems[5]
    assert "also on line 2" in problems[6]
    assert "IX/z" in problems[7]
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="faulty"' in page and "Dinas Antah Berantah" in page
    assert 'data-work="roster-imports"' in client.get("/beranda/", follow=True).content.decode()  # waiting on the admin's home page
    assert 'id="import-confirmed" disabled' in page
    job = confirm(client, django_capture_on_commit_callbacks, job)
    assert job.status == "done" and not RosterEntry.objects.exists()
    assert "HYPERLINK" not in "".join(RosterEntry.objects.values_list("name", flat=True))


def test_spaced_and_upper_case_headers_in_a_semicolon_csv_are_imported(agencies, victor, login,
                                                                       django_capture_on_commit_callbacks):
    header = ["NIP BARU", "NAMA", "GELAR DEPAN", "GELAR BELAKANG", "GOL RUANG AKHIR", "JABATAN NAMA", "UNOR NAMA",
              "unor_induk_nama", "INSTANSI KERJA NAMA", "TK PENDIDIKAN TERAKHIR", "PENDIDIKAN TERAKHIR NAMA",
              "KEDUDUKAN PNS NAMA"]
    lines = [";".join(header)] + [";".join(person(i, "dinas  kesehatan")) for i in (7, 8)]
    job = imported(login(victor), django_capture_on_commit_callbacks, "\r\n".join(lines).encode("cp1252"),
                   name="roster.csv")
    assert job.status == "applied", job.error
    entry = RosterEntry.objects.get(nip=roster_sample.nip(7))
    assert entry.agency.name == "Dinas Kesehatan" and entry.status == RosterStatus.ACTIVE
    assert entry.education in ("S1", "D3", "S2", "SMA") and entry.unit and entry.government
    assert RosterChange.objects.filter(entry=entry, kind="added", job=job).exists()


def _applied(nip: str, scheme) -> Application:
    """Someone with a profile naming no agency (the roster decides) and an application."""
    user = UserFactory()
    ProfileFactory(user=user, nip=nip, org_unit="Sekretariat DPRD")
    return application(user, scheme)


def test_a_re_import_updates_by_nip_keeps_history_and_again_changes_nothing(agencies, lina, login, scheme,
                                                                            django_capture_on_commit_callbacks):
    client, capture = login(lina), django_capture_on_commit_callbacks
    first = [person(11), person(12), person(13)]
    assert imported(client, capture, roster_sample.xlsx_bytes(first)).status == "applied"
    # two of them applied already: their applications follow the roster's bulk writes (Application.agency)
    applied = {i: _applied(roster_sample.nip(i), scheme) for i in (11, 13)}
    assert {a.agency.name for a in Application.objects.filter(pk__in=[a.pk for a in applied.values()])} == {
        "Dinas Kesehatan"}
    second = [person(11, "Dinas Pendidikan"), person(12, golRuangAkhir="IV/a")]
    job = upload(client, capture, roster_sample.xlsx_bytes(second), whole=True)
    assert {k: job.preview[k] for k in ("added", "changed", "unchanged", "left")} == {
        "added": 0, "changed": 2, "unchanged": 0, "left": 1}
    job = confirm(client, capture, job)
    assert job.status == "applied" and "2 changed" in job.result and "1 no longer" in job.result
    moved = RosterEntry.objects.get(nip=roster_sample.nip(11))
    assert moved.agency.name == "Dinas Pendidikan"
    assert moved.changes.get(job=job).changes["agency"] == ["Dinas Kesehatan", "Dinas Pendidikan"]
    assert RosterEntry.objects.get(nip=roster_sample.nip(12)).rank == "IV/a"
    gone = RosterEntry.objects.get(nip=roster_sample.nip(13))
    assert gone.status == RosterStatus.LEFT and gone.changes.filter(kind="left").exists()
    dinkes, disdik = agencies
    assert standings(disdik, [moved.nip])[moved.nip] == OURS
    assert standings(dinkes, [moved.nip, gone.nip]) == {moved.nip: OTHER, gone.nip: OTHER}
    assert Application.objects.get(pk=applied[11].pk).agency == disdik  # on the new agency's pages now
    assert Application.objects.get(pk=applied[13].pk).agency is None  # left: nobody's
    page = client.get(f"{ROSTER}nip/{moved.nip}/").content.decode()
    assert "Dinas Kesehatan → Dinas Pendidikan" in page and "roster.xlsx" in page
    # the same file again: every row unchanged, no duplicate, no history
    changes = RosterChange.objects.count()
    again = imported(client, capture, roster_sample.xlsx_bytes(second), whole=True)
    assert again.status == "applied" and again.preview["unchanged"] == 2 and again.preview["changed"] == 0
    assert RosterEntry.objects.count() == 3 and RosterChange.objects.count() == changes
    actions = set(AuditEntry.objects.filter(object_id=str(job.pk)).values_list("action", flat=True))
    assert {"agencies.rosterimport.uploaded", "agencies.rosterimport.confirmed",
            "agencies.rosterimport.applied"} <= actions


def _with_doctype(content: bytes) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("sheet1.xml"):
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data
            target.writestr(info, data)
    return out.getvalue()


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("entities.xlsx", _with_doctype(roster_sample.xlsx_bytes([person(21)])), "DTD"),
    ("nul.csv", roster_sample.csv_bytes([person(22, nama="Budi\x00Santoso")]), "control character"),
    ("other.csv", b"kolom,lain\r\n1,2\r\n", "missing: nipBaru, nama, unorIndukNama"),
    ("broken.xlsx", b"PK\x03\x04 not a zip at all", "could not be read"),
])
def test_a_refused_file_fails_its_job_and_imports_nothing(agencies, lina, login, name, content, reason,
                                                          django_capture_on_commit_callbacks):
    job = upload(login(lina), django_capture_on_commit_callbacks, content, name=name)
    assert job.status == "failed" and reason in job.error
    assert not RosterEntry.objects.exists()


def test_only_the_lsp_admin_and_the_bkpsdm_reach_the_roster(agencies, lina, victor, alice, oki, login, client,
                                                            django_capture_on_commit_callbacks):
    job = upload(login(lina), django_capture_on_commit_callbacks, roster_sample.xlsx_bytes([person(31)]))
    RosterEntry.objects.create(nip=roster_sample.nip(32), name="Rina Roster", agency=agencies[0])
    pages = [ROSTER, job.get_absolute_url(), f"{ROSTER}nip/{roster_sample.nip(32)}/"]
    for url in pages:
        assert client.get(url).status_code == 302  # anonymous: to the login page
        assert login(alice).get(url).status_code == 403
        assert login(oki).get(url).status_code == 403  # an agency's officer
        assert login(victor).get(url).status_code == 200
    for user in (alice, oki):
        assert login(user).post(f"{ROSTER}impor/{job.public_id}/confirmed/").status_code == 403
        assert login(user).post(ROSTER, {"file": _named(b"x", "a.csv")}).status_code == 403
    assert client.post(f"{ROSTER}impor/{job.public_id}/confirmed/").status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and not RosterEntry.objects.filter(nip=roster_sample.nip(31)).exists()


def test_the_sample_files_import_cleanly(lina, login, django_capture_on_commit_callbacks):
    from pathlib import Path

    for name in roster_sample.AGENCIES:
        Agency.objects.create(name=name)
    folder = Path(__file__).resolve().parents[2] / "fixtures" / "roster"
    client = login(lina)
    for suffix in ("xlsx", "csv"):
        job = imported(client, django_capture_on_commit_callbacks,
                       (folder / f"siasn_data_utama_contoh.{suffix}").read_bytes(), name=f"contoh.{suffix}")
        assert job.status == "applied", job.error
    assert RosterEntry.objects.count() == 120
    assert RosterEntry.objects.filter(status=RosterStatus.RETIRED).exists()


def test_a_stranger_uploading_the_same_file_twice_gets_one_job(agencies, lina, login,
                                                               django_capture_on_commit_callbacks):
    other = UserFactory(roles=["lsp_admin"])
    content = roster_sample.xlsx_bytes([person(41)])
    upload(login(lina), django_capture_on_commit_callbacks, content)
    upload(login(other), django_capture_on_commit_callbacks, content)
    assert RosterImport.objects.count() == 2  # each person's own job; the finished one is never re-used


def test_a_row_that_became_faulty_since_the_preview_fails_the_import_whole(agencies, lina, login,
                                                                           django_capture_on_commit_callbacks):
    client, capture = login(lina), django_capture_on_commit_callbacks
    job = upload(client, capture, roster_sample.xlsx_bytes([person(51), person(52, "Dinas Pendidikan")]))
    assert job.status == "done" and job.preview["faulty"] == 0 and job.preview["added"] == 2
    Agency.objects.filter(name="Dinas Pendidikan").update(name="Dinas Pendidikan dan Kebudayaan")
    job = confirm(client, capture, job)
    assert job.status == "failed" and "Since the preview, 1 rows have problems" in job.error
    assert not RosterEntry.objects.exists()
