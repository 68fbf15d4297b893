"""Decree imports as stored background jobs (issue 15 point 4): the upload is kept privately, a worker reads it,
the LSP admin reviews the stored parse and confirms it; access, hostile files, the home queue, a real worker."""

import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from schemes.models import ImportJob, Qualification, Unit
from tests.factories import UserFactory
from tests.hostile_files import real_pdf, real_png

from .conftest import KKNI_FILE, SKKNI_PDF

pytestmark = pytest.mark.django_db


def _upload(client, capture, url_name: str, name: str, content: bytes, content_type="application/pdf"):
    with capture(execute=True):  # the reading job is handed over (eagerly here) after the commit
        return client.post(reverse(url_name), {"file": SimpleUploadedFile(name, content, content_type=content_type)})


@pytest.fixture
def read_job(lina, login, django_capture_on_commit_callbacks):
    """An SKKNI decree uploaded by Lina and read: waiting for her review."""
    _upload(login(lina), django_capture_on_commit_callbacks, "schemes:manage-skkni-upload", "skkni.pdf",
            SKKNI_PDF.read_bytes())
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    return job


def test_the_stored_decree_is_private_and_read_into_a_review(read_job, lina, login):
    assert read_job.file.name.startswith("decrees/") and "skkni" not in read_job.file.name  # a random name
    assert read_job.parsed["decree"]["number"] == "56" and len(read_job.parsed["units"]) == 17
    assert read_job.done == read_job.total > 0  # pages read of the PDF
    page = login(lina).get(read_job.get_absolute_url())
    assert "Import 17 units" in page.text or "Impor 17 unit" in page.text
    assert Unit.objects.count() == 0  # nothing written before the confirmation


@pytest.mark.parametrize("name", ["manage-imports", "manage-import", "manage-import-action"])
def test_import_pages_are_the_lsp_admins_only(name, read_job, client, login, alice, victor, lina):
    kwargs = {"manage-imports": {}, "manage-import": {"public_id": read_job.public_id},
              "manage-import-action": {"public_id": read_job.public_id, "action": "applied"}}[name]
    url = reverse(f"schemes:{name}", kwargs=kwargs)
    call = "post" if name == "manage-import-action" else "get"
    r = getattr(client, call)(url)
    assert r.status_code == 302 and r.url.startswith(reverse("accounts:login"))
    assert getattr(login(alice), call)(url).status_code == 403
    assert getattr(login(victor), call)(url).status_code == 403
    other_admin = UserFactory(email="lsp2@example.go.id", roles=[Role.LSP_ADMIN])  # imports are every LSP admin's
    assert login(other_admin).get(reverse("schemes:manage-import", kwargs={
        "public_id": read_job.public_id})).status_code == 200
    assert Unit.objects.count() == 0 and ImportJob.objects.get().status == ImportJob.Status.DONE


def test_an_unknown_action_or_import_is_404(read_job, lina, login):
    client = login(lina)
    assert client.post(reverse("schemes:manage-import-action", args=[read_job.public_id, "deleted"])).status_code == 404
    assert client.get("/skema/kelola/impor/00000000-0000-0000-0000-000000000000/").status_code in (404, 302)


def test_waiting_imports_on_the_home_queue_then_confirmed(read_job, lina, login):
    client = login(lina)
    home = client.get("/beranda/", follow=True)
    assert 'data-work="decree-imports"' in home.text and "Impor keputusan menunggu" in home.text
    from certportal.workqueue import work_for

    item = next(i for i in work_for(Role.LSP_ADMIN, lina) if i.key == "decree-imports")
    assert item.count == 1 and item.url == reverse("schemes:manage-imports")
    r = client.post(reverse("schemes:manage-import-action", args=[read_job.public_id, "applied"]))
    assert r.status_code == 302 and r.url == reverse("schemes:manage-units") and Unit.objects.count() == 17
    read_job.refresh_from_db()
    assert read_job.status == ImportJob.Status.APPLIED and read_job.result
    assert AuditEntry.objects.filter(action="schemes.importjob.applied", actor=lina).exists()
    item = next(i for i in work_for(Role.LSP_ADMIN, lina) if i.key == "decree-imports")
    assert item.count == 0
    # Confirming twice writes nothing more: the button is gone and the service refuses.
    r = client.post(reverse("schemes:manage-import-action", args=[read_job.public_id, "applied"]), follow=True)
    assert "is not possible now" in r.text or "tidak dapat dilakukan sekarang" in r.text


@pytest.mark.parametrize(("name", "content", "content_type", "where", "message"), [
    ("decree.pdf", real_png(), "application/pdf", "form", "not a plain text file"),
    ("decree.pdf", b"<html><script>alert(1)</script></html>", "application/pdf", "form", "not a plain text file"),
    ("decree.pdf", b"%PDF-1.4 broken", "application/pdf", "form", "not a real PDF file"),
    ("scan.pdf", real_pdf(), "application/pdf", "job", "scanned images"),
    ("notes.txt", b"bukan keputusan menteri", "text/plain", "job", "does not look like an SKKNI decree"),
])
def test_a_wrong_or_scanned_upload_gives_a_clear_message(name, content, content_type, where, message, lina, login,
                                                         django_capture_on_commit_callbacks):
    from django.utils import translation

    lina.preferred_language = "en"  # the messages in English (Indonesian: the browser test)
    lina.save(update_fields=["preferred_language"])
    client = login(lina)
    with translation.override("en"):
        r = _upload(client, django_capture_on_commit_callbacks, "schemes:manage-skkni-upload", name, content,
                    content_type)
    if where == "form":  # refused at once, nothing stored
        assert r.status_code == 200 and message in r.text and not ImportJob.objects.exists()
        return
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    page = client.get(r.url)
    assert message in page.text and 'id="job-error"' in page.text
    assert Unit.objects.count() == 0
    # A failed import waits on the home queue until it is discarded.
    client.post(reverse("schemes:manage-import-action", args=[job.public_id, "discarded"]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DISCARDED


def test_a_huge_upload_is_refused_with_the_limit(lina, login, settings, django_capture_on_commit_callbacks):
    settings.MAX_UPLOAD_MB = 1
    big = b"KEPUTUSAN " * (1024 * 1024 // 10 + 10)
    r = _upload(login(lina), django_capture_on_commit_callbacks, "schemes:manage-kkni-upload", "big.txt", big,
                "text/plain")
    assert r.status_code == 200 and "MB" in r.text and not ImportJob.objects.exists()


# --- a real worker: a failing import ends failed with its reason; retried, it is read ------------------------

def _wait_for(job_id: int, *statuses, timeout: float = 60) -> ImportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = ImportJob.objects.get(pk=job_id)
        if job.status in statuses:
            return job
        time.sleep(0.3)
    raise AssertionError(f"import {job_id} stayed {job.status}")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_fails_an_unreadable_import_with_its_reason_and_a_retry_reads_it(celery_worker_process, lina,
                                                                                        login):
    from certportal.files import private_storage
    from schemes.importers import jobs

    # The stored decree is missing when the worker looks (storage not mounted yet): the task fails the job.
    job = ImportJob.objects.create(kind="kkni", filename="kepmenaker_3_2021.txt", created_by=lina, language="en",
                                   file="decrees/missing/kepmenaker.txt")
    from schemes.tasks import parse_decree

    parse_decree.delay(job_id=job.pk)
    job = _wait_for(job.pk, ImportJob.Status.FAILED)
    assert "The background task failed" in job.error and "FileNotFoundError" in job.error
    assert job.attempts == 1
    page = login(lina).get(job.get_absolute_url())
    assert "FileNotFoundError" in page.text and "import-retry" in page.text

    # The file is back: the LSP admin retries from the page, and the worker reads it.
    private_storage.save("decrees/missing/kepmenaker.txt", ContentFile(KKNI_FILE.read_bytes()))
    r = login(lina).post(reverse("schemes:manage-import-action", args=[job.public_id, "retried"]))
    assert r.status_code == 302
    job = _wait_for(job.pk, ImportJob.Status.DONE)
    assert job.error == "" and job.attempts == 2 and len(job.parsed["qualifications"]) == 14
    assert Qualification.objects.count() == 0
    jobs.import_apply(job, actor=lina)
    assert Qualification.objects.count() == 14
    assert list(AuditEntry.objects.filter(object_id=str(job.pk), action__startswith="schemes.importjob.")
                .order_by("pk").values_list("action", flat=True)) == [
        "schemes.importjob.started", "schemes.importjob.failed", "schemes.importjob.retried",
        "schemes.importjob.started", "schemes.importjob.finished", "schemes.importjob.applied"]


def test_the_same_decree_sent_twice_is_one_import_and_both_land_on_it(lina, login):
    """Issue 45 item 4: a double click on *Upload* (no worker has read the first yet) starts one job."""
    client = login(lina)
    url = reverse("schemes:manage-skkni-upload")
    sent = [client.post(url, {"file": SimpleUploadedFile("skkni.pdf", SKKNI_PDF.read_bytes(), "application/pdf")})
            for _ in range(2)]
    job = ImportJob.objects.get()
    assert [r.status_code for r in sent] == [302, 302] and sent[0].url == sent[1].url == job.get_absolute_url()
    assert job.status == ImportJob.Status.QUEUED
    assert AuditEntry.objects.filter(action__endswith="uploaded").count() == 1
