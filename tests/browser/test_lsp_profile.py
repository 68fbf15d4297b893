"""The LSP admin sets up the LSP profile on a desktop and on a phone, in Indonesian and in English: the logo is
uploaded, shown back from a private address, and a hostile file is refused with the typed values kept."""

import os

import pytest

from certportal.accounts.models import Role
from certportal.lsp.models import LspProfile
from tests.browser.a11y import run_axe
from tests.browser.conftest import ui_login
from tests.factories import PASSWORD, UserFactory
from tests.hostile_files import real_png, svg_with_script

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def fill_profile(page) -> None:
    page.fill("input[name=name]", "LSP BPSDM Provinsi DKI Jakarta")
    page.fill("input[name=licence_number]", "BNSP-LSP-1207-ID")
    page.fill("input[name=city]", "Jakarta")
    page.fill("input[name=signatory_name]", "Dr. Hj. Sri Haryati, M.Si.")
    page.fill("input[name=signatory_position]", "Ketua LSP")
    page.fill("input[name=signatory_nip]", "197205121998032004")


@pytest.mark.parametrize("language,phone", [("id", False), ("en", True), ("en", False), ("id", True)])
def test_the_lsp_admin_sets_the_profile_and_a_hostile_logo_is_refused(request, language, phone, tmp_path):
    page = request.getfixturevalue("phone_page" if phone else "page")
    UserFactory(email="lina@example.go.id", full_name="Lina LSP Admin", roles=[Role.LSP_ADMIN],
                preferred_language=language)
    ui_login(page, "lina@example.go.id", PASSWORD)
    page.goto("/profil-lsp/")
    fill_profile(page)
    hostile = tmp_path / "logo.png"
    hostile.write_bytes(svg_with_script("http://127.0.0.1:9/"))
    page.set_input_files("input[name=logo]", str(hostile))
    page.click("main form button[type=submit]")
    refused = {"id": "bukan berkas", "en": "is not a real"}[language]
    assert refused in page.inner_text("main")
    assert page.input_value("input[name=signatory_nip]") == "197205121998032004"  # nothing typed is lost
    assert not LspProfile.objects.exists() and page.evaluate("window.name") != "PWNED"
    assert run_axe(page) == []
    shot(page, f"lsp-profile-refused-{language}-{'390' if phone else '1280'}")
    logo = tmp_path / "logo-ok.png"
    logo.write_bytes(real_png())
    page.set_input_files("input[name=logo]", str(logo))
    page.click("main form button[type=submit]")
    saved = {"id": "Profil LSP disimpan", "en": "The LSP profile was saved"}[language]
    assert saved in page.inner_text("main")
    page.wait_for_function("() => document.querySelector('main figure img').complete")  # a function: the CSP forbids eval
    assert page.evaluate("document.querySelector('main figure img').naturalWidth") == 40  # served privately
    assert run_axe(page) == []
    shot(page, f"lsp-profile-saved-{language}-{'390' if phone else '1280'}")
