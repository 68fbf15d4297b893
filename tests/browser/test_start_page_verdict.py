"""The start page of a new application gives the service's own verdict on the scheme's rules (the one step 1 of the
wizard gives): a civil servant of Pemprov DKI Jakarta with 14 years there is not told they fail seed 000."""

import pytest
from playwright.sync_api import expect

from schemes import reference
from schemes.models import Scheme
from tests.applicants.factories import ProfileFactory
from tests.browser.conftest import ui_login
from tests.browser.language import page_fits, switch_language
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _prima():
    reference.load_pelayanan_prima()  # seed 000 as published (its KKNI catalogue is not needed here)
    return Scheme.objects.get(code="SS-02/LSP-BPSDM DKI/2017")


def _applicant(**profile):
    user = UserFactory(full_name="Rina Marlina", email="rina@example.go.id", roles=["applicant"])
    ProfileFactory(user=user, full_name="Rina Marlina", **{
        "years_of_service": 14, "employer_government": "31", "years_in_government": 14, **profile})
    return user


def test_a_dki_civil_servant_with_14_years_there_reads_that_they_meet_the_scheme_on_the_start_page(live_server,
                                                                                                    phone_page):
    scheme = _prima()
    user = _applicant()
    ui_login(phone_page, user.email, PASSWORD)
    phone_page.goto("/permohonan/baru/")
    card = phone_page.locator(f"#scheme-{scheme.pk} [data-eligibility]")
    expect(card).to_contain_text("Profil Anda memenuhi persyaratan skema.")
    expect(card).not_to_contain_text("tidak ada instansi")
    assert page_fits(phone_page)
    switch_language(phone_page)
    expect(card).to_contain_text("Your profile meets the scheme's requirements.")
    phone_page.locator(f"#scheme-{scheme.pk} button").click()
    expect(phone_page.locator("#eligibility")).to_contain_text("Yes, your data meets every requirement")


def test_the_start_page_and_step_1_name_the_same_shortfall(live_server, phone_page):
    scheme = _prima()
    user = _applicant(years_in_government=3)
    ui_login(phone_page, user.email, PASSWORD)
    phone_page.goto("/permohonan/baru/")
    card = phone_page.locator(f"#scheme-{scheme.pk} [data-eligibility] li")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("profil Anda mencatat 3 tahun di sana")
    before = card.inner_text()
    phone_page.locator(f"#scheme-{scheme.pk} button").click()
    step1 = phone_page.locator("#eligibility li")
    expect(step1).to_have_count(1)
    assert step1.inner_text() == before
