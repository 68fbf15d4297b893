"""An assessor at the test site, on a tablet, in Indonesian: fills FR.IA.01 (the observation checklist) for a
participant who is not experienced, with the keyboard, saves the draft, signs it, then records K — refused while
the plan's other instrument (FR.IA.07) is missing, accepted once the reason is given. The form fits a phone too."""

import pytest

from assessments.events.models import UnitResult
from assessments.instruments.models.records import InstrumentRecord
from certportal.accounts.models import Role
from tests.assessments.factories import (
    SiteFactory,
    agree,
    give_criteria,
    make_application,
    make_assessor,
    mark_all_present,
    planned_event,
    run_steps,
    scheme_with_units,
    the_test_day_arrives,
    validated_plan,
)
from tests.browser.conftest import TIMEOUT_MS, ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def day(db):
    scheme = scheme_with_units(2)
    validated_plan(scheme)
    tono = UserFactory(full_name="Tono Kepala TUK", roles=[Role.TUK_HEAD])
    asa = UserFactory(full_name="Asa Assessor", roles=[Role.ASSESSOR])
    lina = UserFactory(full_name="Lina LSP Admin", roles=[Role.LSP_ADMIN])
    bob = UserFactory(full_name="Bob Applicant", roles=[Role.APPLICANT])
    app = make_application(scheme, bob, experienced=False, name="Bob Applicant")
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(head=tono),
                          assessor=make_assessor(asa, schemes=[scheme]), applications=[app])
    run_steps(event, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(event)
    mark_all_present(event, actor=asa)
    p = event.participants.get()
    agree(p)
    unit = scheme.scheme_units.order_by("position").first().unit
    return p, asa, unit, give_criteria(unit)


@pytest.fixture
def tablet(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 768, "height": 1024},
                                  is_mobile=True, has_touch=True, reduced_motion="reduce")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def _open(details) -> None:
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def test_an_assessor_fills_the_observation_checklist_on_a_tablet_and_records_k(tablet, day):
    p, asa, unit, criteria = day
    page = tablet
    ui_login(page, asa.email, PASSWORD)
    page.goto(f"/asesmen/peserta/{p.pk}/")
    _open(page.locator(f'.instrument-unit[data-unit="{unit.code}"]'))  # each unit's instruments, folded
    line = page.locator(f'.instrument-unit[data-unit="{unit.code}"] .instrument-line[data-instrument="IA.01"]')
    assert line.get_attribute("data-state") == "none" and "belum dicatat" in line.inner_text()
    line.get_by_role("link", name="Isi").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("FR.IA.01 · Ceklis Observasi") and fits(page, 768)

    # with the keyboard: each KUK's "Ya" chosen with the space bar, a note typed, the draft saved with Enter
    for c in criteria[:3]:
        page.locator(f"#achieved_c{c.pk}_ya").focus()
        page.keyboard.press("Space")
    page.locator(f"#note_c{criteria[0].pk}").fill("Menyapa pelanggan dengan ramah")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in a field saves the draft (the form's first button), never signs
    assert "Draf tersimpan." in page.locator("body").inner_text()
    assert page.locator(f"#achieved_c{criteria[0].pk}_ya").is_checked()
    assert page.locator(f"#note_c{criteria[0].pk}").input_value() == "Menyapa pelanggan dengan ramah"

    # signing with a row still open is refused and says which
    page.locator("#id_signed_name").fill("Asa Assessor")
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.locator("#sign-record").click()
    page.wait_for_load_state()
    assert "belum dijawab: KUK 2.2" in page.locator("#record-refused").inner_text()
    page.locator(f"#achieved_c{criteria[3].pk}_ya").focus()
    page.keyboard.press("Space")
    page.locator("#id_signed_name").fill("Asa Assessor")
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.locator("#sign-record").click()
    page.wait_for_load_state()
    assert "FR.IA.01 untuk unit" in page.locator("body").inner_text() and "memadai" in page.locator("body").inner_text()
    record = InstrumentRecord.objects.get(participant=p, unit=unit, instrument="IA.01")
    assert (record.status, record.outcome, record.signed_name) == ("signed", "satisfactory", "Asa Assessor")
    _open(page.locator(f'.instrument-unit[data-unit="{unit.code}"]'))
    line = page.locator(f'.instrument-unit[data-unit="{unit.code}"] .instrument-line[data-instrument="IA.01"]')
    assert line.get_attribute("data-state") == "sufficient" and "ditandatangani: memadai" in line.inner_text()

    # K: refused while FR.IA.07 (oral questions) is missing, and the page says so before and after (in the unit's
    # folded evidence, its summary marked)
    row = page.locator(f'.unit-row[data-unit="{unit.code}"]')
    _open(row.locator("details.unit-evidence"))
    assert "FR.IA.07" in row.locator(".evidence-gap").inner_text()
    row.locator(f'label[for="result_{unit.pk}_K"]').click()
    page.locator("#save-results").click()
    page.wait_for_load_state()
    assert "belum lengkap dan memadai (FR.IA.07)" in page.locator("body").inner_text()
    assert not UnitResult.objects.filter(participant=p, unit=unit).exists()
    row = page.locator(f'.unit-row[data-unit="{unit.code}"]')
    row.locator(f"#evidence_gap_reason_{unit.pk}").fill("Pertanyaan lisan diajukan selama demonstrasi")
    page.locator("#save-results").click()
    page.wait_for_load_state()
    result = UnitResult.objects.get(participant=p, unit=unit)
    assert result.result == "K" and result.evidence_gap_reason == "Pertanyaan lisan diajukan selama demonstrasi"
    assert "FR.IA.01" in result.evidence
    assert page.locator(f'.unit-row[data-unit="{unit.code}"] .unit-result').inner_text() == "K"

    # the signed record reads back, and the form of the next unit fits a phone
    page.goto(f"/asesmen/peserta/{p.pk}/instrumen/{unit.pk}/ia01/")
    assert page.locator("#record-form").count() == 0 and page.locator("#record-pdf").count() == 1
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/asesmen/peserta/{p.pk}/instrumen/{unit.pk}/ia07/")
    assert page.locator("#text_new").is_visible() and fits(page, 390)
