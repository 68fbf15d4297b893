"""The privacy notice on a desktop and a phone, in both languages; from the registration consent to the notice,
and a person's download of their data through the user menu."""

import os

import pytest

from certportal.accounts.models import Role
from tests.browser.conftest import ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("screen", ["page", "phone_page"])
def test_the_notice_reads_in_both_languages_on_every_screen(screen, request):
    page = request.getfixturevalue(screen)
    page.goto("/privasi/")
    assert page.locator("h1", has_text="Pemberitahuan privasi").is_visible()
    assert page.locator("h2", has_text="Hak Anda dan cara menggunakannya").is_visible()
    assert _fits(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/privacy-id-{screen}.png", full_page=True)
    if page.locator(".navbar-toggler").is_visible():  # on a phone the language switch is in the menu
        page.locator(".navbar-toggler").click()
    page.get_by_test_id("switch-language").click()
    page.wait_for_load_state()
    assert page.locator("h1", has_text="Privacy notice").is_visible()
    assert page.locator("h2", has_text="How long it is kept").is_visible()
    assert _fits(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/privacy-en-{screen}.png", full_page=True)


def test_the_consent_links_the_notice_in_a_new_tab_and_the_form_keeps_what_was_typed(page):
    page.goto("/akun/daftar/")
    page.fill("input[name=full_name]", "Dewi Lestari, S.E.")
    with page.context.expect_page() as opened:
        page.locator("label[for=id_consent] a", has_text="pemberitahuan privasi").click()
    notice = opened.value
    notice.wait_for_load_state()
    assert notice.locator("h1", has_text="Pemberitahuan privasi").is_visible()
    assert page.input_value("input[name=full_name]") == "Dewi Lestari, S.E."


def test_an_assessor_downloads_their_data_from_the_user_menu(page):
    user = UserFactory(email="asesor.unduh@example.go.id", roles=[Role.ASSESSOR])
    ui_login(page, user.email, PASSWORD)
    page.goto("/akun/data-pribadi/")
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh data saya (ZIP)").click()
    assert download.value.suggested_filename == f"data-pribadi-{user.pk}.zip"
