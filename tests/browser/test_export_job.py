"""The background export's page in a browser: a failed job shows its reason and a retry button; retried, it ends
with the file offered (Indonesian, desktop and phone widths)."""

from pathlib import Path

import pytest

from applicants.models import Status
from certportal.accounts.models import Role
from certportal.exportjobs.models import ExportJob
from tests.applicants.factories import ApplicationFactory, SchemeFactory
from tests.browser.conftest import ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_failed_export_is_retried_and_its_file_offered(page, phone_page, tmp_path):
    verifier = UserFactory(email="vera@bkpsdm.go.id", roles=[Role.VERIFIER])
    scheme = SchemeFactory()
    for i in range(3):
        ApplicationFactory(scheme=scheme, status=Status.SUBMITTED, applicant_name=f"Ekspor {i}")
    job = ExportJob.objects.create(source="applicants.queue", params={}, fmt="csv", filename="antrian-permohonan.csv",
                                   created_by=verifier, status=ExportJob.Status.FAILED,
                                   error="Ekspor tidak dapat ditulis: disk penuh")
    ui_login(page, verifier.email, PASSWORD)
    page.goto(f"/ekspor/{job.public_id}/")
    assert page.locator("#job-status").inner_text() == "Gagal"
    assert "disk penuh" in page.locator("#job-error").inner_text()
    page.screenshot(path=str(tmp_path / "export-failed-1280.png"), full_page=True)
    page.click("button:has-text('Coba lagi')")  # eager tasks: the job runs when the retry commits
    page.wait_for_load_state()
    assert page.locator("#job-status").inner_text() == "Selesai"
    assert page.locator("#job-count").inner_text() == "3 dari 3 baris"
    with page.expect_download() as download:
        page.click("a:has-text('Unduh berkas')")
    assert "Ekspor 2" in Path(download.value.path()).read_text(encoding="utf-8-sig")
    page.screenshot(path=str(tmp_path / "export-done-1280.png"), full_page=True)
    ui_login(phone_page, verifier.email, PASSWORD)
    phone_page.goto(f"/ekspor/{job.public_id}/")
    assert phone_page.locator("a:has-text('Unduh berkas')").is_visible()
    phone_page.screenshot(path=str(tmp_path / "export-done-390.png"), full_page=True)
