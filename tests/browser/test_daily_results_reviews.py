"""Issue 15: the assessor's results for seven units fit a 390 px phone (one row per unit, K/BK, the evidence folded
away, the save button in reach) and are recorded with the keyboard alone; a reviewer who has signed an event's
review finds it under "signed", no longer among the events to review. In Indonesian and in English."""

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.events.models import UnitResult
from certportal.accounts.models import Role
from tests.assessments.factories import (
    SiteFactory,
    agree,
    assess,
    assessment_reviewed,
    make_application,
    make_assessor,
    mark_all_present,
    planned_event,
    run_steps,
    scheme_with_units,
    signed_records,
    the_test_day_arrives,
    write_minutes,
)
from tests.browser.conftest import ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = {"id": "Hasil disimpan:", "en": "Results saved:"}
SIGNED = {"id": "Sudah Anda tandatangani", "en": "Signed by you"}


def _people(language: str) -> dict:
    scheme = scheme_with_units(7)
    tono = UserFactory(full_name="Tono Kepala TUK", email="tono@example.go.id", roles=[Role.TUK_HEAD])
    asa = UserFactory(full_name="Asa Assessor", email="asa@example.go.id", roles=[Role.ASSESSOR],
                      preferred_language=language)
    lina = UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN])
    alice = UserFactory(full_name="Alice Applicant", email="alice@example.go.id", roles=[Role.APPLICANT])
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(head=tono),
                          assessor=make_assessor(asa, schemes=[scheme]),
                          applications=[make_application(scheme, alice)], days_ahead=14)
    event = run_steps(event, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(event)
    mark_all_present(event, actor=asa)
    participant = event.participants.get()
    agree(participant)
    signed_records(participant)  # the plan's instruments signed on the day: each K rests on them
    return {"scheme": scheme, "event": event, "participant": participant, "tono": tono, "asa": asa,
            "lina": lina}


@pytest.mark.parametrize("language", ["id", "en"])
def test_seven_units_fit_a_phone_and_a_result_is_recorded_by_keyboard(phone_page, language):
    people = _people(language)
    page, p = phone_page, people["participant"]
    ui_login(page, people["asa"].email, PASSWORD)
    page.goto(f"/asesmen/peserta/{p.pk}/")
    expect(page.locator(".unit-row")).to_have_count(7)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2000, f"{height} px for seven units"  # was about 5,000 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Each choice has a name: the radio group names its unit, each button its result.
    first = people["scheme"].scheme_units.order_by("position").first().unit
    expect(page.get_by_role("radiogroup").first).to_have_attribute("aria-label", f"{'Hasil' if language == 'id' else 'Result'} {'untuk' if language == 'id' else 'for'} {first.code}")
    # Keyboard only: to the first unit's K, Space, then Tab into its evidence (it unfolded), type, save.
    page.locator(f"#result_{first.pk}_K").focus()
    page.keyboard.press("Space")
    expect(page.locator(f"#result_{first.pk}_K")).to_be_checked()
    expect(page.locator(f"#evidence_{first.pk}")).to_be_visible()
    page.keyboard.press("Tab")  # the "evidence and notes" summary
    page.keyboard.press("Tab")
    expect(page.locator(f"#evidence_{first.pk}")).to_be_focused()
    page.keyboard.type("Portofolio: SK dan laporan kegiatan")
    page.locator("#save-results").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".alert-success, .alert-info").first).to_contain_text(SAVED[language])
    row = UnitResult.objects.get(participant=p, unit=first)
    assert (row.result, row.evidence) == ("K", "Portofolio: SK dan laporan kegiatan")
    expect(page.locator(f".unit-row[data-unit='{first.code}'] .unit-result")).to_have_text("K")


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_result_without_evidence_is_refused_and_the_unit_stays_open(page, language):
    people = _people(language)
    p = people["participant"]
    first = people["scheme"].scheme_units.order_by("position").first().unit
    ui_login(page, people["asa"].email, PASSWORD)
    page.goto(f"/asesmen/peserta/{p.pk}/")
    page.locator(f"label[for=result_{first.pk}_BK]").click()
    page.locator("#save-results").click()
    page.wait_for_load_state()
    assert first.code in page.locator(".alert-danger").first.inner_text()
    expect(page.locator(f"#result_{first.pk}_BK")).to_be_checked()  # the choice is kept
    expect(page.locator(f"#evidence_{first.pk}")).to_be_visible()  # its evidence is open to be filled
    assert not UnitResult.objects.filter(participant=p).exists()


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_reviewer_who_signed_finds_the_event_under_signed(page, language):
    people = _people(language)
    event, tono = people["event"], people["tono"]
    quinta = UserFactory(full_name="Quinta Quality", email="quinta@example.go.id", roles=[Role.QUALITY],
                         preferred_language=language)
    assess(people["participant"], assessor_user=people["asa"])
    run_steps(event, 5, admin=people["lina"], tuk_head=tono, assessor_user=people["asa"])
    services.report_sign_as_assessor(event, actor=people["asa"])
    event = run_steps(event, 6, admin=people["lina"], tuk_head=tono)
    write_minutes(event, tuk_head=tono)  # step 7 rests on the minutes of meeting
    assessment_reviewed(event, quality=quinta)  # and on FR.AK.05 / FR.AK.06
    services.review_sign(event, actor=quinta)

    ui_login(page, quinta.email, PASSWORD)
    page.goto("/asesmen/tinjauan/")
    signed = page.locator("#signed-by-me")
    expect(signed).to_contain_text(SIGNED[language])
    expect(signed).to_contain_text(event.scheme.code)
    assert page.locator(f"a[href='/asesmen/acara/{event.pk}/']").count() == 1  # listed once, under "signed"
    # The Kepala TUK has not signed yet: the event is still theirs to review.
    page.context.clear_cookies()
    ui_login(page, tono.email, PASSWORD)
    page.goto("/asesmen/tinjauan/")
    assert page.locator("#signed-by-me").count() == 0
    assert page.locator(f"a[href='/asesmen/acara/{event.pk}/']").count() == 1
