"""The validation of the instruments (FR.VA) reads in the reader's language: an English reader sees "Principles of
assessment: reliable" and "Rules of evidence: current", not "Prinsip asesmen: reliabel" / "Aturan bukti: terkini";
the Indonesian reader (and the FR.VA paper) keeps the Indonesian words."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.instruments.services.validation import ASPECT_KEYS, instrument_validation_record
from certportal.accounts.models import Role
from tests.assessments.factories import make_assessor, scheme_with_units
from tests.browser.conftest import ui_login
from tests.browser.language import page_fits, switch_language
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_findings_are_named_in_the_readers_language(live_server, phone_page):
    scheme = scheme_with_units(1)
    lina = UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN])
    asa = UserFactory(full_name="Asa Assessor", roles=[Role.ASSESSOR])
    make_assessor(asa, schemes=[scheme])
    findings = dict.fromkeys(ASPECT_KEYS, (True, "")) | {"evidence_current": (False, "Portofolio lama")}
    va = instrument_validation_record(scheme, actor=lina, held_on=timezone.localdate(), validators=[asa],
                                      instruments=["IA.01", "IA.08"], findings=findings,
                                      signed_name=lina.full_name)
    page = phone_page
    ui_login(page, lina.email, PASSWORD)
    page.goto(f"/asesmen/validasi-instrumen/{va.pk}/")
    items = page.locator("#va-findings li")
    expect(items).to_have_count(8)
    expect(page.locator('#va-findings [data-aspect="principle_reliable"]')).to_contain_text("Prinsip asesmen: reliabel")
    assert page_fits(page)
    switch_language(page)
    expect(page.locator('#va-findings [data-aspect="principle_reliable"]')).to_contain_text(
        "Principles of assessment: reliable")
    expect(page.locator('#va-findings [data-aspect="evidence_current"]')).to_contain_text("Rules of evidence: current")
    text = page.locator("#va-findings").inner_text()
    for word in ("Prinsip", "Aturan bukti", "reliabel", "fleksibel", "adil", "asli", "terkini", "memadai"):
        assert word not in text, word
    assert page_fits(page)
