"""A required radio group offers its real answers only: no empty "---------" button beside "Laki-laki/Perempuan" on
the profile or "Lulus/Tidak lulus" on the verifier's check; left unanswered, the form says the answer is needed."""

import pytest
from playwright.sync_api import expect

from applicants import services
from certportal.accounts.models import Role
from tests.applicants.factories import ProfileFactory, scheme_with_parts
from tests.applicants.helpers import accept_all, submitted_application
from tests.browser.conftest import ui_login
from tests.browser.language import page_fits, switch_language
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _radios(page, name: str) -> list[str]:
    group = page.locator(f"input[type=radio][name={name}]")
    return [page.locator(f"label[for='{group.nth(i).get_attribute('id')}']").inner_text().strip()
            for i in range(group.count())]


def test_the_profile_asks_for_a_gender_among_two_answers_and_says_so_when_none_is_picked(live_server, phone_page):
    UserFactory(full_name="Rina Marlina", email="rina@example.go.id", roles=[Role.APPLICANT])
    ui_login(phone_page, "rina@example.go.id", PASSWORD)
    phone_page.goto("/permohonan/saya/profil/")
    assert _radios(phone_page, "gender") == ["Laki-laki", "Perempuan"]
    assert page_fits(phone_page)
    phone_page.locator("main form button[type=submit]").last.click()
    expect(phone_page.locator("#div_id_gender")).to_contain_text("Bidang ini tidak boleh kosong.")
    switch_language(phone_page)
    assert _radios(phone_page, "gender") == ["Male", "Female"]


def test_the_verifier_records_a_check_as_passed_or_not_passed_only(live_server, phone_page):
    victor = UserFactory(full_name="Victor Verifikator", email="victor@example.go.id", roles=[Role.VERIFIER])
    profile = ProfileFactory(user=UserFactory(full_name="Rina Marlina", roles=[Role.APPLICANT]))
    app = submitted_application(profile, scheme_with_parts(units=1, elements=1, documents=1))
    accept_all(app, victor)
    services.application_complete(app, actor=victor)
    ui_login(phone_page, victor.email, PASSWORD)
    phone_page.goto(f"/permohonan/verifikasi/{app.pk}/")
    assert _radios(phone_page, "result") == ["Memenuhi", "Tidak memenuhi"]
    switch_language(phone_page)
    assert _radios(phone_page, "result") == ["Passed", "Not passed"]
