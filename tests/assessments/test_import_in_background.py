"""The LSP admin's "Import" of the certificate register and of assessors or test sites answers at once: the job is
"importing" (nothing written yet, the page shows the progress, refreshes and offers no button), and the worker's
task, handed on after the commit, checks the rows again and writes every row in one transaction; the page then
shows the result and the audit trail has what it changed. Another import writing the same certificates at the same
time fails the job with the clash, nothing written, and the file may be read and imported again; a second delivery
of the task changes nothing."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse

from assessments.certificates.models import Certificate
from assessments.certificates.register_models import RegisterImport
from assessments.certificates.services import register_jobs
from assessments.certificates.services.register import import_rows
from assessments.certificates.services.register_read import read_register
from assessments.events.models import AdoptionImport, Assessor
from assessments.tasks import apply_adoption, apply_register
from certportal.audit.models import AuditEntry

from .test_adoption import assessor_row
from .test_adoption import csv_file as adoption_csv
from .test_certificate_register import csv_file, row, upload

pytestmark = pytest.mark.django_db


def _action(job, action: str) -> str:
    name = "register" if isinstance(job, RegisterImport) else "adoption"
    return reverse(f"assessments:{name}-import-action", args=[job.public_id, action])


@pytest.fixture
def admin(lina, login, on_23_november):
    return login(lina)


def test_the_click_answers_before_a_certificate_is_written_and_the_worker_imports_the_register(
        admin, scheme, lina, django_capture_on_commit_callbacks):
    upload(admin, django_capture_on_commit_callbacks, csv_file([row(n, scheme) for n in range(1, 4)]))
    job = RegisterImport.objects.get()
    with django_capture_on_commit_callbacks() as handed_on:  # the worker's task, not run yet
        response = admin.post(_action(job, "confirmed"))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == RegisterImport.Status.QUEUED and job.importing and not Certificate.objects.exists()
    page = admin.get(job.get_absolute_url()).content.decode()
    assert '<span class="badge text-bg-primary" id="job-status">Mengimpor</span>' in page
    assert 'id="job-progress"' in page and "0 dari 3 baris diperiksa ulang" in page and 'http-equiv="refresh"' in page
    assert 'id="import-confirm"' not in page and 'id="import-discard"' not in page and 'id="import-retry"' not in page
    admin.post(_action(job, "discarded"))  # posted all the same: refused, the import goes on
    job.refresh_from_db()
    assert job.status == RegisterImport.Status.QUEUED
    for task in handed_on:  # the worker
        task()
    job.refresh_from_db()
    assert job.status == RegisterImport.Status.APPLIED and Certificate.objects.count() == 3 == job.counts["new"]
    page = admin.get(job.get_absolute_url()).content.decode()
    assert 'id="import-result"' in page and ">Diimpor</span>" in page and 'http-equiv="refresh"' not in page
    result = AuditEntry.objects.get(action="assessments.registerimport.result")
    assert "new=3" in result.note and result.actor == lina
    assert all(c.issued_by == lina for c in Certificate.objects.all())


def test_a_second_delivery_of_the_import_task_changes_nothing(admin, scheme, django_capture_on_commit_callbacks):
    upload(admin, django_capture_on_commit_callbacks, csv_file([row(1, scheme), row(2, scheme)]))
    job = RegisterImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(_action(job, "confirmed"))
    trail = AuditEntry.objects.count()
    assert apply_register.apply(kwargs={"job_id": job.pk}).get() is None  # delivered again: left alone
    job.refresh_from_db()
    assert job.status == RegisterImport.Status.APPLIED and Certificate.objects.count() == 2
    assert AuditEntry.objects.count() == trail
    # a job that was never confirmed is not written by the import's task either
    upload(admin, django_capture_on_commit_callbacks, csv_file([row(3, scheme)]), name="lain.csv")
    unconfirmed = RegisterImport.objects.get(filename="lain.csv")
    assert register_jobs.register_write(unconfirmed.pk) is None and Certificate.objects.count() == 2


def test_assessors_are_written_by_the_worker_after_the_click(admin, django_capture_on_commit_callbacks):
    from schemes.reference import load_pelayanan_prima

    load_pelayanan_prima()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("assessments:adoption"), {"kind": "assessors", "file": _file(adoption_csv(
            [assessor_row(1), assessor_row(2)]))})
    job = AdoptionImport.objects.get()
    with django_capture_on_commit_callbacks() as handed_on:
        admin.post(_action(job, "confirmed"))
    job.refresh_from_db()
    assert job.importing and not Assessor.objects.exists()
    page = admin.get(job.get_absolute_url()).content.decode()
    assert ">Mengimpor</span>" in page and 'id="job-progress"' in page and 'id="import-confirm"' not in page
    for task in handed_on:
        task()
    job.refresh_from_db()
    assert job.status == AdoptionImport.Status.APPLIED and Assessor.objects.count() == 2
    assert 'id="import-result"' in admin.get(job.get_absolute_url()).content.decode()
    assert "new=2" in AuditEntry.objects.get(action="assessments.adoptionimport.result").note
    trail = AuditEntry.objects.count()
    apply_adoption.apply(kwargs={"job_id": job.pk})  # delivered again
    assert Assessor.objects.count() == 2 and AuditEntry.objects.count() == trail


def _file(data: bytes, name: str = "asesor.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def _another_import_holding(rows: list, *, actor, written: threading.Event) -> threading.Thread:
    """Another import writing ``rows`` on a connection of its own: it commits only once a second connection waits
    for its rows (the worker's insert of the same numbers), so the two clash for certain."""

    def write() -> None:
        try:
            with transaction.atomic():
                import_rows(rows, actor=actor, source={"file": "lain.csv", "import": "lain"},
                            today=datetime.date(2026, 11, 23))
                written.set()
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                       " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'")
                        if cursor.fetchone()[0]:
                            break
                    time.sleep(0.05)
        finally:
            written.set()
            connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql("two connections: the other import's uncommitted rows hold the worker's insert")
def test_a_clash_with_another_import_fails_the_job_writes_nothing_and_it_can_be_imported_again(
        admin, scheme, lina, django_capture_on_commit_callbacks):
    numbers = ["LAMA-0001/2019", "LAMA-0002/2019"]  # outside the portal's format: no year's sequence to lock
    data = csv_file([row(1, scheme, number=numbers[0]), row(2, scheme, number=numbers[1])])
    upload(admin, django_capture_on_commit_callbacks, data)
    job = RegisterImport.objects.get()
    assert job.status == RegisterImport.Status.DONE and job.counts["new"] == 2, job.error
    written = threading.Event()
    other = _another_import_holding(read_register(csv_file([row(1, scheme, number=numbers[0])]), "lain.csv"),
                                    actor=lina, written=written)
    assert written.wait(30)
    admin.post(_action(job, "confirmed"))  # the worker runs at the commit (in-process), and waits for the other
    other.join(30)
    job.refresh_from_db()
    assert job.status == RegisterImport.Status.FAILED and job.error.startswith("Impor lain menyimpan"), job.error
    assert list(Certificate.objects.values_list("number", flat=True)) == [numbers[0]]  # the other's only
    assert not AuditEntry.objects.filter(action="assessments.registerimport.result").exists()
    page = admin.get(job.get_absolute_url()).content.decode()
    assert 'id="job-error"' in page and 'id="import-retry"' in page
    admin.post(_action(job, "retried"))  # read again: the number the other import wrote is "already imported"
    job.refresh_from_db()
    assert job.status == RegisterImport.Status.DONE and job.counts["unchanged"] == 1 and job.counts["new"] == 1
    admin.post(_action(job, "confirmed"))
    job.refresh_from_db()
    assert job.status == RegisterImport.Status.APPLIED
    assert sorted(Certificate.objects.values_list("number", flat=True)) == numbers


@pytest.mark.worker
def test_a_real_worker_reads_and_then_imports_the_register(lina, login, scheme, on_23_november,
                                                           celery_worker_process):
    """Through Redis and a real Celery worker, as in production: the upload is read, the click "Import" answers,
    and the worker writes the register; the page then shows the result."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import wait_for

    admin = login(lina)
    data = csv_file([row(n, scheme) for n in range(1, 4)])
    assert admin.post(reverse("assessments:register"), {"file": SimpleUploadedFile("r.csv", data)}).status_code == 302
    job = RegisterImport.objects.get()
    wait_for(lambda: RegisterImport.objects.filter(pk=job.pk, status=RegisterImport.Status.DONE).exists(), timeout=60)
    assert admin.post(_action(job, "confirmed")).status_code == 302  # answered: the worker writes
    wait_for(lambda: RegisterImport.objects.filter(pk=job.pk, status=RegisterImport.Status.APPLIED).exists(),
             timeout=60)
    assert Certificate.objects.count() == 3
    page = admin.get(job.get_absolute_url()).content.decode()
    assert 'id="import-result"' in page and ">Diimpor</span>" in page
    assert "new=3" in AuditEntry.objects.get(action="assessments.registerimport.result").note
