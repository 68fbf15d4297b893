"""Decree imports as background jobs in a browser (issue 15 point 4): the LSP admin uploads a real decree, finds it
waiting on the home work queue, reviews the stored reading and confirms it; in Indonesian, then in English."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from certportal.accounts.models import Role
from schemes.models import ImportJob, Unit
from tests.browser.conftest import ui_login, ui_logout
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The real decrees kept in the repository (fixtures/skkni/README.md says where each comes from).
SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "skkni"


def _upload_review_confirm(page, tmp_path, *, sample: str, lang: str, words: dict, units: int) -> None:
    page.goto("/skema/kelola/unit/impor-skkni/")
    page.set_input_files("input[name=file]", str(SAMPLES / sample))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    # Eager tasks: the decree was read when the upload committed; its page shows the stored reading.
    expect(page.locator(".alert-success, .alert-info").first).to_contain_text(words["uploaded"])
    expect(page.locator("#job-status")).to_have_text(words["status"])
    expect(page.locator("#parsed-units tbody tr")).to_have_count(units)
    page.screenshot(path=str(tmp_path / f"import-review-{lang}-1280.png"), full_page=True)

    page.goto("/beranda/")
    tile = page.locator("#work-queue [data-work='decree-imports']")
    expect(tile).to_contain_text(words["waiting"])
    expect(tile.locator("[data-count]")).to_have_text("1")
    with page.expect_navigation():
        tile.click()
    page.screenshot(path=str(tmp_path / f"import-list-{lang}-1280.png"), full_page=True)
    with page.expect_navigation():
        page.locator("tr[data-import='done'] a").first.click()
    with page.expect_navigation():
        page.click("#import-confirm")
    expect(page.locator(".alert-success").first).to_contain_text(words["imported"])
    assert Unit.objects.count() >= units
    page.goto("/beranda/")
    expect(page.locator("#work-queue [data-work='decree-imports'] [data-count]")).to_have_text("0")


def test_lsp_admin_uploads_finds_reviews_and_confirms_a_decree_in_both_languages(page, phone_page, tmp_path):
    lina = UserFactory(full_name="Lina LSP", email="lina@lsp.go.id", roles=[Role.LSP_ADMIN])
    ui_login(page, lina.email, PASSWORD, land=True)
    _upload_review_confirm(page, tmp_path, sample="skkni_2018_056_pengoperasian_komputer.pdf", lang="id", units=17,
                           words={"uploaded": "sedang dibaca di latar belakang", "status": "Sudah dibaca, untuk diperiksa",
                                  "waiting": "Impor keputusan menunggu", "imported": "17"})
    assert ImportJob.objects.get().status == ImportJob.Status.APPLIED

    lina.preferred_language = "en"
    lina.save(update_fields=["preferred_language"])
    ui_logout(page)
    ui_login(page, lina.email, PASSWORD, land=True)
    _upload_review_confirm(page, tmp_path, sample="skkni_2014_118_video_editing.pdf", lang="en", units=11,
                           words={"uploaded": "it is being read in the background", "status": "Read, to review",
                                  "waiting": "Decree imports waiting", "imported": "11"})

    ui_login(phone_page, lina.email, PASSWORD)
    phone_page.goto(ImportJob.objects.order_by("pk").last().get_absolute_url())
    expect(phone_page.locator("#import-result")).to_be_visible()
    phone_page.screenshot(path=str(tmp_path / "import-done-en-390.png"), full_page=True)
    phone_page.goto("/skema/kelola/impor/")
    phone_page.screenshot(path=str(tmp_path / "import-list-en-390.png"), full_page=True)


def test_a_scanned_decree_fails_with_a_clear_reason_and_is_discarded(page, tmp_path):
    from tests.hostile_files import real_pdf

    lina = UserFactory(full_name="Lina LSP", email="lina@lsp.go.id", roles=[Role.LSP_ADMIN])
    scan = tmp_path / "pindaian.pdf"
    scan.write_bytes(real_pdf())  # a page without any text layer, as a scanner makes it
    ui_login(page, lina.email, PASSWORD)
    page.goto("/skema/kelola/kualifikasi/impor-kkni/")
    page.set_input_files("input[name=file]", str(scan))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("#job-status")).to_have_text("Gagal")
    expect(page.locator("#job-error")).to_contain_text("gambar pindaian")
    page.screenshot(path=str(tmp_path / "import-failed-id-1280.png"), full_page=True)
    page.goto("/beranda/")
    expect(page.locator("#work-queue [data-work='decree-imports'] [data-count]")).to_have_text("1")
    page.goto(ImportJob.objects.get().get_absolute_url())
    with page.expect_navigation():
        page.click("#import-discard")
    expect(page.locator(".alert-success").first).to_contain_text("tidak ada yang disimpan")
    assert ImportJob.objects.get().status == ImportJob.Status.DISCARDED
