"""The verifier's page offers only what the service accepts (and says why not the rest); an action from a stale
second tab is refused with the reason, in Indonesian and in English. Chromium through Playwright."""

import pytest
from playwright.sync_api import expect

from applicants import services
from applicants.models import Application, Status
from certportal.accounts.models import Role
from tests.applicants.factories import ProfileFactory, scheme_with_parts
from tests.applicants.helpers import accept_all, submitted_application
from tests.browser.conftest import document_frame_loaded, ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _complete(victor, name: str) -> Application:
    profile = ProfileFactory(user=UserFactory(full_name=name, roles=[Role.APPLICANT]), full_name=name)
    app = submitted_application(profile, scheme_with_parts(units=1, elements=1, documents=1))
    accept_all(app, victor)
    return services.application_complete(app, actor=victor)


def _buttons(page) -> set[str]:
    return {code.removeprefix("applicants.application.")
            for code in page.locator("main [data-action]").evaluate_all("els => els.map(e => e.dataset.action)")}


@pytest.mark.pdf_viewer  # looks at the PDF in Chromium's own viewer (tests/browser/conftest.py)
def test_the_verifier_sees_only_what_the_service_accepts_and_why_not_the_rest(live_server, page):
    victor = UserFactory(full_name="Victor Verifikator", email="victor@example.go.id", roles=[Role.VERIFIER])
    app = _complete(victor, "Rina Marlina")
    ui_login(page, victor.email, PASSWORD)
    page.goto(f"/permohonan/verifikasi/{app.pk}/")
    expect(page.locator("#status")).to_have_text("Lengkap dan benar")
    assert _buttons(page) == {"returned", "rejected"}  # no "verify" before both checks passed
    expect(page.locator("[data-refused='applicants.application.verified']")).to_contain_text(
        "Catat verifikasi administratif yang memenuhi sebelum memverifikasi.")
    expect(page.locator("#clock-rules")).to_contain_text("14 sampai paling lama 30 hari kerja")
    for kind in ("administrative", "substantive"):
        page.select_option("select[name=kind]", kind)
        page.check("input[name=result][value=passed]")
        with page.expect_navigation():  # the page the check is recorded on, before reading its buttons
            page.click("button:has-text('Catat pemeriksaan')")
    assert _buttons(page) == {"returned", "rejected", "verified"}
    document_frame_loaded(page)
    page.once("dialog", lambda d: d.accept())  # it asks first (an act that decides)
    page.click("#decisions button:has-text('Verifikasi')")
    expect(page.locator("#status")).to_have_text("Terverifikasi")
    assert _buttons(page) == {"named"}
    assert Application.objects.get(pk=app.pk).status == Status.VERIFIED


@pytest.mark.parametrize(("language", "returned_label", "refusal"), [
    ("id", "Kembalikan kepada pemohon", "berstatus terverifikasi; “Kembalikan kepada pemohon” tidak dapat dilakukan"),
    ("en", "Return to the applicant", "is verified; “Return to the applicant” is not possible now."),
])
def test_a_stale_tab_is_refused_with_the_reason_in_the_verifiers_language(live_server, page, language,
                                                                         returned_label, refusal):
    victor = UserFactory(full_name="Victor Verifikator", email="victor@example.go.id", roles=[Role.VERIFIER],
                         preferred_language=language)
    app = _complete(victor, "Budi Santoso")
    for kind in ("administrative", "substantive"):
        services.check_record(app, actor=victor, kind=kind, result="passed")
    ui_login(page, victor.email, PASSWORD)
    page.goto(f"/permohonan/verifikasi/{app.pk}/")
    stale = page.context.new_page()
    stale.goto(f"/permohonan/verifikasi/{app.pk}/")  # a second tab, left open
    document_frame_loaded(page)
    page.once("dialog", lambda d: d.accept())  # it asks first (an act that decides)
    page.locator("[data-action='applicants.application.verified'] button").click()
    expect(page.locator("#status")).not_to_have_text("Lengkap dan benar")

    stale.fill("#return-form textarea[name=reason]", "Verifikasi substantif: SKP bukan tahun terakhir")
    stale.click(f"#return-form button:has-text('{returned_label}')")
    expect(stale.locator("main")).to_contain_text(refusal)
    expect(stale.locator("main [data-action='applicants.application.returned']")).to_have_count(0)
    assert Application.objects.get(pk=app.pk).status == Status.VERIFIED
    assert not app.return_notes.exists()
