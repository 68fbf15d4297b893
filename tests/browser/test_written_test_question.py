"""The demo's written test reads as a candidate's paper: each question is its own words, never the bank's
internal reference such as "(N.821199.028.02, 3)"."""

import re

import pytest
from playwright.sync_api import expect

from assessments.demo_assessment import _bank
from certportal.accounts.models import Role
from tests.assessments.factories import (
    SiteFactory,
    agree,
    make_application,
    make_assessor,
    planned_event,
    scheme_with_units,
)
from tests.assessments.written_factories import plan_with_written_test
from tests.browser.conftest import ui_login
from tests.browser.language import page_fits, switch_language
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_candidate_reads_the_demo_questions_without_the_bank_reference(live_server, phone_page):
    scheme = scheme_with_units(2)
    lina = UserFactory(full_name="Lina LSP Admin", roles=[Role.LSP_ADMIN])
    alice = UserFactory(full_name="Alice Applicant", email="alice@example.go.id", roles=[Role.APPLICANT])
    plan_with_written_test(scheme, admin=lina, per_unit=3, minutes=20)
    _bank(scheme, lina)
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(),
                          assessor=make_assessor(UserFactory(roles=[Role.ASSESSOR]), schemes=[scheme]),
                          applications=[make_application(scheme, alice, name="Alice Applicant, S.Sos.")])
    p = event.participants.get()
    agree(p)
    codes = [su.unit.code for su in scheme.scheme_units.select_related("unit")]
    ui_login(phone_page, alice.email, PASSWORD)
    phone_page.goto(f"/asesmen/saya/{p.pk}/")
    phone_page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    phone_page.click("#start-written-test")
    phone_page.wait_for_load_state()
    legends = phone_page.locator("fieldset.test-question legend")
    expect(legends).to_have_count(6)
    texts = legends.all_inner_texts()
    assert any("Apa yang Anda lakukan?" in t for t in texts)
    for text in texts:
        assert not re.search(r"\(\S+, \d+\)\s*$", text), text
        assert not any(code in text for code in codes), text
    assert page_fits(phone_page)
    switch_language(phone_page)
    expect(phone_page.locator("h1")).to_contain_text("Written multiple-choice test")
    assert not any(code in t for t in legends.all_inner_texts() for code in codes)
