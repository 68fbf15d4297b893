"""Browser: a visitor searches the catalogue and reads a scheme; a visitor checks units against a qualification on a
phone (the qualifications, their units and the service standard one card a row); an LSP admin's KKNI scheme that
breaks the packaging rule is refused with the engine's reasons."""

import pytest
from playwright.sync_api import expect

from certportal.accounts.models import Role
from schemes import reference
from tests.browser.conftest import cards_fit, ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ref():
    reference.load(None)


def test_visitor_searches_the_catalogue_and_opens_a_scheme(page, ref):
    page.goto("/skema/")
    page.fill("input[name=q]", "Pelayanan")
    page.locator("form[role=search] button").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Pelayanan Prima").click()
    page.wait_for_load_state()
    assert page.locator("h1", has_text="Pelayanan Prima").is_visible()
    assert page.locator("#units tbody tr").count() == 7
    assert "III/b" in page.locator("#requirements").inner_text()
    assert "Pasfoto" in page.locator("#documents").inner_text()


def test_visitor_on_a_phone_browses_qualifications_and_checks_units(phone_page, ref):
    page = phone_page
    page.goto("/skema/kualifikasi/?group=Instruktur")
    cards_fit(page.locator("#qualifications"))
    page.get_by_role("link", name="Jenjang Kualifikasi 3 Kelompok Instruktur").click()
    page.wait_for_load_state()
    assert page.locator("#core tbody tr").count() == 5
    cards_fit(page.locator("#core"))
    cards_fit(page.locator("#elective"))
    page.goto("/skema/standar-pelayanan/")  # the service standard's components, one card each
    expect(page.locator("main table")).to_have_count(2)
    for table in range(2):
        cards_fit(page.locator("main table").nth(table))
    page.goto("/skema/kualifikasi/?group=Instruktur")
    page.get_by_role("link", name="Jenjang Kualifikasi 3 Kelompok Instruktur").click()
    page.wait_for_load_state()
    page.locator("#rule a").click()
    page.wait_for_load_state()
    page.locator("input[value='N.78SPS02.028.2']").check()
    page.locator("button[name=check]").click()
    page.wait_for_load_state()
    verdict = page.locator("#verdict").inner_text()
    assert "N.78SPS02.019.2" in verdict  # the missing core unit and prerequisite are named


def test_scheme_editor_refuses_a_scheme_breaking_the_packaging_rule(page, ref):
    admin = UserFactory(email="lina.browser@example.go.id", roles=[Role.LSP_ADMIN])
    ui_login(page, admin.email, PASSWORD)
    page.goto("/skema/kelola/skema/baru/")
    page.fill("input[name=code]", "SK-INSTR-3/2026")
    page.fill("input[name=name]", "Instruktur Jenjang 3")
    page.select_option("select[name=kind]", "kkni")
    page.select_option("select[name=qualification]", label="Jenjang Kualifikasi 3 Kelompok Instruktur")
    page.fill("textarea[name=units]", "N.78SPS02.028.2\nN.78SPS02.039.2")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    refusal = page.locator("#refusal").inner_text()
    assert "N.78SPS02.011.1" in refusal and "N.78SPS02.019.2" in refusal
    page.fill("textarea[name=units]", "\n".join([
        "N.78SPS02.011.1", "N.78SPS02.019.2", "N.78SPS02.028.2", "N.78SPS02.035.1", "N.78SPS02.061.1",
        "N.78SPS02.039.2", "N.78SPS02.041.2", "N.78SPS02.044.2", "N.78SPS02.060.2"]))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#refusal").count() == 0
    assert page.locator(".alert-success").count() == 1
