"""A province switches on with its assessors and test sites: the LSP's registers uploaded, read and checked in the
background, a preview with every faulty row's problems and every change, nothing written from a faulty file, a
second import that changes nothing, a changed file that updates (audited), new accounts without a password and
with the link to choose one, the LSP admin's pages only."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.events.models import AdoptionImport, Assessor
from certportal.accounts.models import Role, User
from certportal.audit.models import AuditEntry
from schemes.models import TestSite as Site
from schemes.reference import load_pelayanan_prima
from tests import hostile_files

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "adoption"
CODE = "SS-02/LSP-BPSDM DKI/2017"
HEADER = ["No. Reg MET", "Nama", "NIP", "Email", "Berlaku Dari", "Berlaku Sampai", "Kode Skema", "Aktif"]


def csv_file(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def assessor_row(n: int, **changes) -> list[str]:
    values = {"met": f"MET.000.00{n:04d}.2020", "name": f"Asesor Ke-{n}", "nip": "",
              "email": f"asesor{n}@contoh.go.id", "from": "2025-01-01", "until": "2027-12-31", "codes": CODE,
              "active": "Ya"}
    values.update(changes)
    return list(values.values())


@pytest.fixture
def send(on_23_november, lina, login, django_capture_on_commit_callbacks):
    """``send(data, kind)``: Lina uploads a file; the job read and checked (the worker run eagerly)."""
    load_pelayanan_prima()
    client = login(lina)

    def go(data: bytes, kind: str = "assessors", name: str = "asesor.csv") -> AdoptionImport:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("assessments:adoption"),
                                   {"kind": kind, "file": SimpleUploadedFile(name, data)})
        assert response.status_code == 302, response.content.decode()[:2000]
        return AdoptionImport.objects.order_by("-pk").first()

    go.client = client
    return go


def apply(client, job):
    """The import confirmed; what it hands on after its commit (the worker's task that writes the rows, and the
    e-mails that task hands on) run at once."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("assessments:adoption-import-action", args=[job.public_id, "confirmed"]))
    job.refresh_from_db()
    return response


@pytest.mark.parametrize("name", ["asesor.csv", "asesor.xlsx"])
def test_the_sample_assessors_import_once_with_accounts_and_set_password_links(send, name, mailoutbox):
    job = send((SAMPLES / name).read_bytes(), "assessors", name)
    assert job.status == AdoptionImport.Status.DONE, job.error
    assert job.faulty == 0, [r["problems"] for r in job.rows if r["problems"]]
    assert not Assessor.objects.exists()  # nothing before the confirmation
    page = send.client.get(job.get_absolute_url()).content.decode()
    assert 'id="import-confirm"' in page and "MET.000.001201.2019" in page
    apply(send.client, job)
    assert job.status == AdoptionImport.Status.APPLIED and job.counts["new"] == 6 == job.counts["accounts"]
    rina = Assessor.objects.select_related("user").get(registration_number="MET.000.001201.2019")
    assert rina.user.full_name == "Rina Kartikasari, S.Psi., M.M." and rina.user.has_role(Role.ASSESSOR)
    assert rina.nip == "197803152002122001" and rina.licence_valid_from == datetime.date(2023, 2, 1)
    assert rina.licence_valid_until == datetime.date(2026, 12, 31) and [s.code for s in rina.schemes.all()] == [CODE]
    assert not rina.user.has_usable_password()
    welcome = [m for m in mailoutbox if "rina.kartikasari@contoh.go.id" in m.to]
    assert len(welcome) == 1 and "/akun/sandi/atur/" in welcome[0].body  # the one-time link to choose a password
    assert not Assessor.objects.get(registration_number="MET.000.002311.2020").is_active
    assert AuditEntry.objects.filter(action="assessor imported").count() == 6
    assert all(name in e.note for e in AuditEntry.objects.filter(action="assessor imported"))
    assert AuditEntry.objects.filter(action="assessments.adoptionimport.confirmed", actor_name="Lina LSP Admin").exists()
    assert AuditEntry.objects.filter(action="assessments.adoptionimport.applied", actor__isnull=True).exists()
    assert "new=6" in AuditEntry.objects.get(action="assessments.adoptionimport.result").note
    # the same file again: every row unchanged, nothing written
    again = send((SAMPLES / name).read_bytes(), "assessors", name)
    assert again.pk != job.pk and again.counts["unchanged"] == 6 and again.counts["new"] == again.counts["changed"] == 0
    before = AuditEntry.objects.count()
    apply(send.client, again)
    assert Assessor.objects.count() == 6 and User.objects.filter(email__endswith="@contoh.go.id").count() == 6
    assert AuditEntry.objects.count() == before + 4  # confirmed, started, applied and its result, nothing else


def test_a_changed_register_updates_validity_and_scope_with_audit_rows(send, scheme, asa):
    asa.role_links.all().delete()  # an account that exists, not yet an assessor: given the role
    apply(send.client, send(csv_file([assessor_row(1), assessor_row(2, email=asa.email)])))
    changed = csv_file([assessor_row(1, until="2028-06-30", codes=f"{CODE}; {scheme.code}", nip="198507042009032004"),
                        assessor_row(2, email=asa.email, active="Tidak")])
    job = send(changed)
    assert job.counts["changed"] == 2
    page = send.client.get(job.get_absolute_url()).content.decode()
    assert "2028-06-30" in page and "licence_valid_until" in page
    apply(send.client, job)
    first = Assessor.objects.get(registration_number="MET.000.000001.2020")
    assert first.licence_valid_until == datetime.date(2028, 6, 30) and first.nip == "198507042009032004"
    assert sorted(s.code for s in first.schemes.all()) == sorted([CODE, scheme.code])
    assert not Assessor.objects.get(user=asa).is_active and asa.has_role(Role.ASSESSOR)
    actions = set(AuditEntry.objects.filter(object_id=str(first.pk)).values_list("action", flat=True))
    assert {"assessor licence valid until changed", "assessor schemes changed", "assessor nip changed"} <= actions
    entry = AuditEntry.objects.get(action="assessor licence valid until changed")
    assert entry.from_state == "2027-12-31" and entry.to_state == "2028-06-30" and "csv, 2" in entry.note
    assert AuditEntry.objects.filter(action="assessor deactivated").exists()


def test_faulty_rows_are_named_and_nothing_is_imported(send, asa):
    Assessor.objects.create(user=asa, registration_number="MET-ASA", licence_valid_until=datetime.date(2027, 1, 1))
    rows = [assessor_row(1),
            assessor_row(2, name="=HYPERLINK(\"http://x\")"),  # a formula: never calculated
            assessor_row(3, codes=f"{CODE}; SKEMA-TIDAK-ADA"),
            assessor_row(4, until="31/02/2027"),
            assessor_row(5, email="bukan-surel"),
            assessor_row(6, nip="12345"),
            assessor_row(1, email="lain@contoh.go.id"),  # the MET number of line 2 again
            assessor_row(8, email=asa.email),  # already the assessor MET-ASA
            assessor_row(9, active="mungkin"),
            assessor_row(10, name="x" * 250)]
    job = send(csv_file(rows))
    assert job.status == AdoptionImport.Status.DONE and job.counts["faulty"] == 9 and job.counts["new"] == 1
    problems = {r["line"]: " ".join(r["problems"]) for r in job.rows}
    assert problems[2] == ""
    assert "HYPERLINK" in problems[3] and "SKEMA-TIDAK-ADA" in problems[4] and CODE not in problems[4]
    assert "31/02/2027" in problems[5] and "bukan-surel" in problems[6] and "12345" in problems[7]
    assert "MET.000.000001.2020" in problems[8] and "2" in problems[8]
    assert "MET-ASA" in problems[9] and "mungkin" in problems[10] and "200" in problems[11]
    home = send.client.get(reverse("home"), follow=True).content.decode()
    assert 'data-work="adoption-imports"' in home  # waiting on the LSP admin's work queue
    page = send.client.get(job.get_absolute_url()).content.decode()
    assert 'id="import-refused"' in page and 'id="import-confirm-disabled"' in page and 'id="import-confirm"' not in page
    assert page.count('class="table-danger"') == 9 and "<a href=\"http://x\"" not in page
    apply(send.client, job)  # posted all the same: refused
    assert job.status == AdoptionImport.Status.DONE and Assessor.objects.count() == 1


@pytest.mark.parametrize("data", [hostile_files.xlsx_with_nested_entities(HEADER),
                                  hostile_files.xlsx_with_utf16_sheet(HEADER),
                                  hostile_files.xlsx_with_cell(HEADER, "a&#x7f;b"),
                                  b"No. Reg MET;Nama\n1;a\x00b\n",
                                  b"\xff\xfe\x00N\x00o"])
def test_a_hostile_file_fails_the_job_with_its_reason_and_imports_nothing(send, data):
    job = send(data, "assessors", "asesor.xlsx")
    assert job.status == AdoptionImport.Status.FAILED and job.error
    page = send.client.get(job.get_absolute_url()).content.decode()
    assert 'id="job-error"' in page and 'id="import-retry"' in page
    assert not Assessor.objects.exists()


def test_an_oversized_file_and_one_without_the_columns_are_refused(send, settings):
    settings.MAX_UPLOAD_MB = 1
    job = send(csv_file([assessor_row(n, name="A" * 150) for n in range(1, 8000)]))
    assert job.status == AdoptionImport.Status.FAILED and "MB" in job.error
    job = send(csv_file([["x", "y"]], header=["Kolom", "Lain"]), "test_sites", "tuk.csv")
    assert job.status == AdoptionImport.Status.FAILED and job.error


@pytest.mark.parametrize("name", ["tuk.csv", "tuk.xlsx"])
def test_the_sample_test_sites_import_update_by_registration_number_and_change_nothing_twice(send, name, tono):
    data = (SAMPLES / name).read_bytes()
    job = send(data, "test_sites", name)
    assert job.status == AdoptionImport.Status.DONE and job.faulty == 0, job.error or job.rows
    assert job.counts["new"] == 3 and job.counts["changed"] == 1 and job.counts["accounts"] == 3
    apply(send.client, job)
    assert job.status == AdoptionImport.Status.APPLIED
    reference = Site.objects.get(registration_number="CONTOH-TUK-SEWAKTU/BPSDM-DKI")
    assert reference.verified_on == datetime.date(2025, 8, 1) and reference.head.email == "kepala.tuk.bpsdm@contoh.go.id"
    workplace = Site.objects.get(registration_number="TUK-TK/BKD-JAKTIM/001")
    assert workplace.kind == Site.Kind.TEMPAT_KERJA and workplace.head.has_role(Role.TUK_HEAD)
    assert workplace.licence_valid_until == datetime.date(2026, 10, 14)
    assert Site.objects.get(registration_number="TUK-S/SUDIN-JAKUT/003").head is None
    assert AuditEntry.objects.filter(action="test_site_created").count() == 3
    assert name in AuditEntry.objects.get(action="test_site_updated", object_id=str(reference.pk)).note
    again = send(data, "test_sites", name)
    assert again.counts["unchanged"] == 4 and again.counts["accounts"] == 0
    apply(send.client, again)
    assert Site.objects.count() == 4 and AuditEntry.objects.filter(action="test_site_updated").count() == 1
    # a changed list: the verification renewed, the head now an existing account
    header = ["No. Reg TUK", "Nama TUK", "Jenis TUK", "Email Kepala TUK", "Tanggal Verifikasi", "Berlaku Sampai"]
    changed = send(csv_file([["TUK-TK/BKD-JAKTIM/001", "TUK Tempat Kerja Kantor Wali Kota Jakarta Timur",
                              "tempat kerja", tono.email, "2026-10-01", "2027-09-30"],
                             ["TUK-X/1", "TUK Baru", "keliling", "orang@contoh.go.id", "", ""]], header),
                   "test_sites", "tuk2.csv")
    problems = {r["line"]: " ".join(r["problems"]) for r in changed.rows}
    assert problems[2] == "" and "keliling" in problems[3] and "orang@contoh.go.id" in problems[3]
    fixed = send(csv_file([["TUK-TK/BKD-JAKTIM/001", "TUK Tempat Kerja Kantor Wali Kota Jakarta Timur",
                            "tempat kerja", tono.email, "2026-10-01", "2027-09-30"]], header), "test_sites", "tuk3.csv")
    apply(send.client, fixed)
    workplace.refresh_from_db()
    assert workplace.head == tono and workplace.licence_valid_until == datetime.date(2027, 9, 30)
    assert "2027-09-30" in AuditEntry.objects.filter(action="test_site_updated").latest("pk").note


@pytest.mark.parametrize("name", ["adoption", "adoption-import", "adoption-import-action"])
def test_the_imports_are_the_lsp_admins_only(name, send, client, login, alice, victor, asa, lina2):
    job = send(csv_file([assessor_row(1)]))
    kwargs = {"adoption": {}, "adoption-import": {"public_id": job.public_id},
              "adoption-import-action": {"public_id": job.public_id, "action": "confirmed"}}[name]
    url = reverse(f"assessments:{name}", kwargs=kwargs)
    call = "post" if name == "adoption-import-action" else "get"
    response = getattr(client, call)(url)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    for other in (alice, victor, asa):
        assert getattr(login(other), call)(url).status_code == 403
    assert not Assessor.objects.exists()
    # another LSP admin reads and imports it: the LSP's, not the uploader's
    assert getattr(login(lina2), call)(url).status_code in (200, 302)


def test_the_page_is_linked_from_the_menu_and_the_register(send):
    home = send.client.get(reverse("assessments:register")).content.decode()
    assert reverse("assessments:adoption") in home
    page = send.client.get(reverse("assessments:events")).content.decode()
    assert f'href="{reverse("assessments:adoption")}"' in page
