"""Acceptance (issue 19, the assessment plan), in Indonesian on a 390 px phone: an assessor in the scheme's scope
opens "Rencana asesmen" from the menu, makes a draft from the default rule, changes its context and its evidence
rows (one added, one removed, partly with the keyboard) and sees that a second assessor must validate it; the second
assessor validates it and the plan is in force. Nothing scrolls sideways."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.instruments.models import AssessmentPlan
from certportal.accounts.models import Role
from tests.assessments.factories import make_assessor, scheme_with_units
from tests.browser.a11y import run_axe
from tests.browser.conftest import ui_login, ui_logout
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    scheme = scheme_with_units(2)
    asa = UserFactory(full_name="Asa Assessor", email="asa@example.go.id", roles=[Role.ASSESSOR])
    oscar = UserFactory(full_name="Oscar Other Assessor", email="oscar@example.go.id", roles=[Role.ASSESSOR])
    for user in (asa, oscar):
        make_assessor(user, schemes=[scheme])
    return {"scheme": scheme, "asa": asa, "oscar": oscar}


def _no_sideways_scroll(page, width: int = 390) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _accessible(page) -> None:
    """No serious or critical WCAG A/AA violation (axe-core) on what the page shows now."""
    assert [f"{v['id']}: {', '.join(v['targets'])}" for v in run_axe(page)] == []


def test_an_assessor_makes_a_plan_on_a_phone_and_a_second_one_validates_it(phone_page, people, tmp_path):
    page, scheme = phone_page, people["scheme"]
    ui_login(page, people["asa"].email, PASSWORD, land=True)
    page.click(".navbar-toggler")
    page.get_by_role("link", name="Rencana asesmen").click()
    page.wait_for_load_state()
    page.locator(f"#plan-schemes [data-scheme='{scheme.code}']").click()
    page.wait_for_load_state()
    expect(page.locator("#no-plan-in-force")).to_be_visible()
    _no_sideways_scroll(page)
    _accessible(page)
    page.screenshot(path=str(tmp_path / "plan-scheme-390.png"), full_page=True)
    page.click("#make-plan")
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("Konsep rencana versi 1 dibuat")
    expect(page.locator(".plan-unit")).to_have_count(2)
    _no_sideways_scroll(page)
    _accessible(page)
    page.screenshot(path=str(tmp_path / "plan-edit-390.png"), full_page=True)

    page.fill("#id_context", "TUK tempat kerja di ruang layanan")
    first = page.locator(".plan-unit").first
    slot = first.locator("[data-group=worker_std] .new-row")
    slot.locator("select").first.select_option("IA.07")
    slot.locator("select").nth(1).select_option("T")
    slot.locator("textarea").fill("Jawaban pertanyaan lisan tentang pengalaman kerja")
    remove = first.locator("[data-group=training_std] .plan-row").nth(1).locator("input[type=checkbox]")
    remove.focus()
    page.keyboard.press("Space")  # tick "Hapus baris ini" with the keyboard
    expect(remove).to_be_checked()
    page.locator("#save-plan").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("Rencana disimpan.")
    unit = page.locator(".plan-unit").first
    expect(unit.locator("[data-group=worker_std] [data-instrument='IA.07']")).to_contain_text(
        "Jawaban pertanyaan lisan tentang pengalaman kerja")
    expect(unit.locator("[data-group=training_std] .plan-row")).to_have_count(1)
    expect(page.locator("[data-refused='assessments.assessmentplan.validated']")).to_contain_text(
        "Anda yang membuat rencana ini: asesor kedua yang memvalidasinya.")
    _no_sideways_scroll(page)
    _accessible(page)
    page.screenshot(path=str(tmp_path / "plan-draft-390.png"), full_page=True)
    plan_url = page.url
    ui_logout(page)

    ui_login(page, people["oscar"].email, PASSWORD)
    page.goto(plan_url)
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.click("[data-action='assessments.assessmentplan.validated'] button")
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("Rencana divalidasi dan berlaku")
    expect(page.locator("#plan-status")).to_have_text("Divalidasi: berlaku")
    expect(page.locator("#plan-validated")).to_contain_text("Oscar Other Assessor")
    _no_sideways_scroll(page)
    plan = AssessmentPlan.objects.get()
    assert plan.validated_by == people["oscar"] and plan.context == "TUK tempat kerja di ruang layanan"
    assert plan.snapshot["approach"]["context"] == "TUK tempat kerja di ruang layanan"


def test_the_lsp_admin_sets_the_instruments_and_records_a_validation(page, people, tmp_path):
    """On a desktop, in Indonesian: the LSP admin chooses the scheme's instruments (refused when none is chosen)
    and records an FR.VA, which is listed on the scheme's page."""
    scheme = people["scheme"]
    lina = UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN])
    ui_login(page, lina.email, PASSWORD)
    page.goto(f"/asesmen/rencana/skema/{scheme.pk}/")
    page.click("#configure-instruments")
    page.wait_for_load_state()
    _accessible(page)
    for box in page.locator("#instruments-form input[type=checkbox]").all():
        box.uncheck()
    page.click("#save-instruments")
    page.wait_for_load_state()
    expect(page.locator("#form-refusal")).to_contain_text("Pilih sekurang-kurangnya satu instrumen.")
    for code in ("IA.01", "IA.05", "IA.07", "IA.08", "IA.09"):
        page.check(f"#instruments-form input[value='{code}']")
    page.click("#save-instruments")
    page.wait_for_load_state()
    expect(page.locator("#scheme-instruments")).to_contain_text("FR.IA.05 Pertanyaan Tertulis Pilihan Ganda (DPT)")

    page.click("#record-va")
    page.wait_for_load_state()
    _accessible(page)
    page.fill("input[name=held_on]", timezone.localdate().isoformat())
    page.get_by_label("Asa Assessor").check()
    page.get_by_label("FR.IA.05 Pertanyaan Tertulis Pilihan Ganda (DPT)").check()
    for aspect in page.locator(".va-aspect").all():
        aspect.locator("label", has_text="Terpenuhi").first.click()
    page.locator(".va-aspect").nth(6).locator("label", has_text="Tidak terpenuhi").click()
    page.locator(".va-aspect").nth(6).locator("input[type=text]").fill("Sertifikat pelatihan lebih dari 5 tahun")
    page.fill("textarea[name=recommendations]", "Minta bukti terkini untuk portofolio lama")
    page.fill("input[name=signed_name]", "Lina LSP Admin")
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.click("#save-va")
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("Validasi instrumen (FR.VA) dicatat.")
    expect(page.locator("[data-aspect=evidence_current]")).to_contain_text("Tidak terpenuhi")
    expect(page.locator("#va-record")).to_contain_text("Asa Assessor")
    _accessible(page)
    _no_sideways_scroll(page, 1280)
    page.screenshot(path=str(tmp_path / "va-1280.png"), full_page=True)
    page.goto(f"/asesmen/rencana/skema/{scheme.pk}/")
    expect(page.locator("#validations [data-va]")).to_have_count(1)
