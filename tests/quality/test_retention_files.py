"""The uploaded import files (the roster from SIASN, the LSP's certificate register, its assessors and test sites)
hold many people's data: each is
kept ``RETENTION_IMPORT_FILE_YEARS`` (2) after its import ended, as the evidence of what was imported, then the yearly
disposal list, once approved, deletes the file and its reading. What was imported stays (the roster, the certificates,
verifiable), and so does the import's audit trail: who uploaded and imported which file, when."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies import roster_sample
from agencies.models import RosterEntry, RosterImport
from applicants.models import Agency
from assessments.certificates.models import Certificate
from assessments.certificates.register_models import RegisterImport
from assessments.events.models import AdoptionImport, Assessor
from certportal.audit.models import AuditEntry
from quality.retention.anonymise import FILE_DISPOSED
from quality.retention.models import DisposalItem, DisposalList
from tests.quality.report_data import at

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql("the disposal job's row locks and the import's "
                                                            "partial unique constraint")]
SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "adoption"
SAMPLE = SAMPLES / "register_sertifikat.csv"
REGISTER, ROSTER, ADOPTION = "/asesmen/sertifikat/register/", "/perangkat-daerah/daftar-pegawai/", "/asesmen/adopsi/"


def _register(client, capture) -> RegisterImport:
    """Lina uploads the sample register, reads the preview and imports it."""
    with capture(execute=True):
        assert client.post(REGISTER, {"file": SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes())}).status_code == 302
    job = RegisterImport.objects.order_by("-pk").first()
    assert job.status == "done", job.error
    with capture(execute=True):  # the click; the worker's task writes it after the commit
        client.post(f"{REGISTER}{job.public_id}/confirmed/")
    job.refresh_from_db()
    assert job.status == "applied"
    return job


def _roster(client, capture) -> RosterImport:
    with capture(execute=True):
        client.post(ROSTER, {"file": SimpleUploadedFile("siasn_dinkes.xlsx", roster_sample.xlsx_bytes(
            roster_sample.rows(3, agencies=["Dinas Kesehatan"])))})
    job = RosterImport.objects.order_by("-pk").first()
    with capture(execute=True):
        client.post(f"{ROSTER}impor/{job.public_id}/confirmed/")
    job.refresh_from_db()
    assert job.status == "applied", job.error
    return job


def _adoption(client, capture, kind: str, name: str, data: bytes | None = None) -> AdoptionImport:
    """Lina uploads the LSP's assessors or test sites (the sample file unless ``data``) and, if it reads, imports it."""
    with capture(execute=True):
        client.post(ADOPTION, {"kind": kind, "file": SimpleUploadedFile(name, data or (SAMPLES / name).read_bytes())})
    job = AdoptionImport.objects.order_by("-pk").first()
    if job.status == "done":
        with capture(execute=True):
            client.post(f"{ADOPTION}{job.public_id}/confirmed/")
        job.refresh_from_db()
    return job


def _refused(client, capture) -> RegisterImport:
    """A file that is no register: its reading fails, the file stays until its period ends."""
    with capture(execute=True):
        client.post(REGISTER, {"file": SimpleUploadedFile("salah.csv", b"nama,alamat\nSiti,Jakarta\n")})
    job = RegisterImport.objects.order_by("-pk").first()
    assert job.status == "failed"
    return job


def _aged(job, day: str) -> None:
    type(job).objects.filter(pk=job.pk).update(created_at=at(day), moved_at=at(day, 11))


@pytest.fixture
def imports(on_23_november, lina, login, django_capture_on_commit_callbacks):
    from schemes.reference import load_pelayanan_prima

    load_pelayanan_prima()
    Agency.objects.get_or_create(name="Dinas Kesehatan")
    client = login(lina)
    old, roster = _register(client, django_capture_on_commit_callbacks), _roster(client, django_capture_on_commit_callbacks)
    failed = _refused(client, django_capture_on_commit_callbacks)
    capture = django_capture_on_commit_callbacks
    assessors = _adoption(client, capture, "assessors", "asesor.csv")
    assessors_failed = _adoption(client, capture, "assessors", "salah.csv", b"nama,alamat\nSiti,Jakarta\n")
    assert (assessors.status, assessors_failed.status) == ("applied", "failed"), assessors.error
    for job in (old, roster, failed, assessors, assessors_failed):  # two years and a half ago: past the two years
        _aged(job, "2024-06-03")
    recent = _register(client, django_capture_on_commit_callbacks)  # the same register again, this year: kept
    sites = _adoption(client, capture, "test_sites", "tuk.csv")  # this year: kept
    return {"client": client, "old": old, "roster": roster, "recent": recent, "failed": failed,
            "assessors": assessors, "assessors_failed": assessors_failed, "sites": sites}


def test_an_import_file_past_its_period_is_deleted_on_approval_and_the_trail_of_the_import_stays(
        imports, lina, django_capture_on_commit_callbacks):
    client, old, roster, recent = imports["client"], imports["old"], imports["roster"], imports["recent"]
    stored = {old.file.name, roster.file.name}
    storage = old.file.storage
    client.post("/mutu/retensi/siapkan/")
    disposal = DisposalList.objects.get()
    listed = {(i.kind, i.object_id): i for i in disposal.items.all()}
    failed = imports["failed"]
    assert set(listed) == {("register", old.pk), ("register", failed.pk), ("roster", roster.pk),
                           ("adoption", imports["assessors"].pk), ("adoption", imports["assessors_failed"].pk)}
    page = client.get(disposal.get_absolute_url()).content.decode()
    assert "register_sertifikat.csv" in page and "siasn_dinkes.xlsx" in page
    assert all(storage.exists(name) for name in stored)  # nothing goes before the approval

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/mutu/retensi/{disposal.pk}/setujui/")
    disposal.refresh_from_db()
    assert disposal.status == "done"
    assert not any(storage.exists(name) for name in stored)
    old.refresh_from_db()
    roster.refresh_from_db()
    assert (old.file.name, old.rows, roster.file.name, roster.preview) == ("", None, "", None)
    assert (old.status, old.counts["new"], roster.status) == ("applied", 24, "applied")  # what the import did
    assert recent.file.storage.exists(recent.file.name)  # within its period
    item = DisposalItem.objects.get(kind="register", object_id=old.pk)
    assert (item.files_deleted, item.pseudonym) == (1, "") and "register_sertifikat.csv" in item.label

    # what was imported stays: the certificates verify, the roster keeps its people
    cert = Certificate.objects.get(number="00001/SKK/LSP-BPSDM/2023")
    answer = client.get(f"/asesmen/cek/{cert.verification_code}.json").json()
    assert answer["source"] == "imported" and answer["holder_name"] == cert.holder_name
    assert RosterEntry.objects.filter(nip=roster_sample.nip(0)).exists()
    # the import's page says the file went; its audit trail still says who uploaded and imported which file, when
    shown = client.get(old.get_absolute_url()).content.decode()
    assert 'id="file-disposed"' in shown and 'id="import-rows"' not in shown
    trail = AuditEntry.objects.for_object(old)
    uploaded = trail.get(action__endswith=".uploaded")
    assert uploaded.actor == lina and "register_sertifikat.csv" in uploaded.note and "sha256" in uploaded.note
    assert trail.filter(actor=lina, to_state="applied").exists()
    assert trail.filter(action=FILE_DISPOSED, note__startswith=f"disposal list 2026 #{disposal.pk}").exists()
    assert AuditEntry.objects.for_object(roster).filter(action=FILE_DISPOSED).exists()
    # a failed reading whose file went cannot be read again: the file must be uploaded again
    page = client.get(failed.get_absolute_url()).content.decode()
    assert 'id="file-disposed"' in page and 'id="import-retry"' not in page
    client.post(f"{REGISTER}{failed.public_id}/retried/")
    failed.refresh_from_db()
    assert failed.status == "failed"


def test_an_old_import_of_assessors_goes_with_its_preview_and_a_recent_one_of_test_sites_stays(
        imports, lina, django_capture_on_commit_callbacks):
    """The preview of an assessors' file holds their names, e-mails and NIPs: it goes with the file; the assessors
    imported stay, and so does who imported which file, when."""
    client, assessors, failed, sites = (imports[k] for k in ("client", "assessors", "assessors_failed", "sites"))
    stored, storage = [assessors.file.name, failed.file.name], assessors.file.storage
    assert assessors.rows and "@" in str(assessors.rows) and storage.exists(stored[0])
    client.post("/mutu/retensi/siapkan/")
    disposal = DisposalList.objects.get()
    page = client.get(disposal.get_absolute_url()).content.decode()
    assert "asesor.csv" in page and "salah.csv" in page and "tuk.csv" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/mutu/retensi/{disposal.pk}/setujui/")
    assert not any(storage.exists(name) for name in stored)
    assessors.refresh_from_db()
    assert (assessors.file.name, assessors.rows, assessors.status) == ("", None, "applied")
    assert assessors.counts["new"] > 0 and Assessor.objects.count() == assessors.counts["new"]  # what it imported
    item = DisposalItem.objects.get(kind="adoption", object_id=assessors.pk)
    assert (item.files_deleted, item.pseudonym) == (1, "") and "asesor.csv" in item.label
    shown = client.get(assessors.get_absolute_url()).content.decode()
    assert 'id="file-disposed"' in shown and 'id="import-rows"' not in shown
    trail = AuditEntry.objects.for_object(assessors)
    assert trail.filter(action__endswith=".uploaded", actor=lina, note__contains="asesor.csv").exists()
    assert trail.filter(actor=lina, to_state="applied").exists() and trail.filter(action=FILE_DISPOSED).exists()
    sites.refresh_from_db()  # within its period
    assert sites.rows and storage.exists(sites.file.name)
    assert 'id="file-disposed"' not in client.get(sites.get_absolute_url()).content.decode()
    # a failed reading whose file went is not read again: upload it again
    page = client.get(failed.get_absolute_url()).content.decode()
    assert 'id="file-disposed"' in page and 'id="import-retry"' not in page
    client.post(f"{ADOPTION}{failed.public_id}/retried/")
    failed.refresh_from_db()
    assert failed.status == "failed"


def test_an_import_read_again_since_the_list_was_prepared_is_left_out(imports, django_capture_on_commit_callbacks):
    client, old = imports["client"], imports["old"]
    client.post("/mutu/retensi/siapkan/")
    disposal = DisposalList.objects.get()
    RegisterImport.objects.filter(pk=old.pk).update(status="running")  # being read again (a retry)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/mutu/retensi/{disposal.pk}/setujui/")
    item = DisposalItem.objects.get(kind="register", object_id=old.pk)
    assert item.dropped_reason == "reopened" and item.done_at is None
    old.refresh_from_db()
    assert old.file.storage.exists(old.file.name) and old.rows
