"""On a 390 px phone, in Indonesian and in English, by keyboard: the LSP admin asks for a participant's assessment
file and every participant's file of the event (a ZIP); each button answers with the job's page, which follows the
job and then offers the download. The
assessor's answer sheet of the written test shows each final answer's time and lists every change."""

import io
import os
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.instruments.services import written_test as wt
from certportal.accounts.models import Role
from tests.assessments.factories import (
    SiteFactory,
    agree,
    make_application,
    make_assessor,
    planned_event,
    scheme_with_units,
)
from tests.assessments.written_factories import fill_bank, plan_with_written_test, right_choice, wrong_choice
from tests.browser.conftest import ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def scored():
    scheme = scheme_with_units(2)
    lina = UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN])
    asa = UserFactory(full_name="Asa Assessor", email="asa@example.go.id", roles=[Role.ASSESSOR])
    alice = UserFactory(full_name="Alice Applicant", email="alice@example.go.id", roles=[Role.APPLICANT])
    plan_with_written_test(scheme, admin=lina, per_unit=2, minutes=20)
    for su in scheme.scheme_units.all():
        fill_bank(su.unit, actor=lina, count=4)
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(), assessor=make_assessor(asa, schemes=[scheme]),
                          applications=[make_application(scheme, alice, name="Alice Applicant, S.Sos.")])
    p = agree(event.participants.get())
    test = wt.written_test_start(p, user=alice)
    item = test.questions[0]["item"]
    wt.written_answer_save(test, user=alice, item=item, choice=wrong_choice(test, item))
    wt.written_answer_save(test, user=alice, item=item, choice=right_choice(test, item))
    wt.written_test_submit(test, user=alice)
    return {"p": p, "lina": lina, "asa": asa}


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_assessment_file_by_keyboard_on_a_phone(phone_page, scored, language):
    page = phone_page
    for user in (scored["lina"], scored["asa"]):
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    ui_login(page, "lina@example.go.id", PASSWORD)
    page.goto(f"/asesmen/peserta/{scored['p'].pk}/")
    button = page.locator("#assessment-file")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ekspor/[0-9a-f-]+/$"), timeout=180_000)  # no broker here: written at once
    download = page.locator("#job-download")
    download.wait_for(timeout=120_000)
    expect(page.locator("#job-status")).to_have_text("Selesai" if language == "id" else "Done")
    expect(page.locator("h1")).to_contain_text("Dokumen" if language == "id" else "Document")
    _shot(page, f"job-{language}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    response = page.request.get(download.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = " ".join((pg.extract_text() or "") for pg in PdfReader(io.BytesIO(response.body())).pages)
    assert "FR.APL.01" in text and "FR.IA.05" in text

    page.goto(f"/asesmen/acara/{scored['p'].event_id}/")  # the event's archives: the ZIP and step 8
    expect(page.locator("#event-assessment-files")).to_be_visible()
    expect(page.locator("#event-archive")).to_be_visible()
    _shot(page, f"event-{language}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#event-assessment-files").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ekspor/[0-9a-f-]+/$"), timeout=180_000)
    page.locator("#job-download").wait_for(timeout=120_000)
    zipped = page.request.get(page.locator("#job-download").get_attribute("href"))
    assert zipped.status == 200 and zipped.headers["content-type"] == "application/zip"

    page.context.clear_cookies()
    ui_login(page, "asa@example.go.id", PASSWORD)
    page.goto(f"/asesmen/peserta/{scored['p'].pk}/ujian-tertulis/")
    expect(page.locator(".answered-at").first).to_contain_text(
        "jawaban akhir diberikan" if language == "id" else "final answer given")
    page.locator("#answer-history summary").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".answer-change")).to_have_count(2)
    _shot(page, f"sheet-{language}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
