"""A print job that failed shows its reason on the event page, and the LSP admin starts it again from there."""

import pytest

from assessments.certificates import services as certs
from assessments.certificates.models import PrintJob
from tests.assessments.conftest import alice_app, assessor, bob_app, decided, event, scheme, site  # noqa: F401
from tests.browser.conftest import ui_login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_lsp_admin_sees_why_printing_failed_and_retries_it(phone_page, decided, lina, tmp_path):  # noqa: F811
    job = PrintJob.objects.create(event=decided, kind="letters", created_by=lina)
    certs.print_job_fail(job.pk, "Tidak ada worker yang memulai tugas ini dalam 30 menit.")
    page = phone_page
    ui_login(page, lina.email, PASSWORD)
    page.goto(f"/asesmen/acara/{decided.pk}/#print")
    item = page.locator(".print-job").first
    # nothing on the event page is wider than the phone (a long badge once was: the page zoomed out under the thumb)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "Gagal" in item.inner_text() and "dalam 30 menit" in item.inner_text()
    item.locator(".job-retry button").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "print-failed-id.png"), full_page=False)
    with page.expect_navigation():
        item.locator(".job-retry button").click()
    page.locator(".print-job .job-download:not(.d-none)").first.wait_for()
    assert page.locator(".print-job").first.locator(".job-retry.d-none").count() == 1  # no retry once done
    job.refresh_from_db()
    assert job.status == "done" and job.error == "" and job.done == job.total == 2
