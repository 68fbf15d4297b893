"""Acceptance (issue 19, FR.AK.01), in Indonesian on a 390 px phone: the participant reads the assessment agreement
with the evidence the plan asks of her (portfolio verification and an interview, unit by unit), types her name to
consent — a wrong name is refused and nothing is recorded — and sees her consent; her assessor then consents on
the participant page, and she sees that too."""

import pytest
from playwright.sync_api import expect

from assessments.instruments.models.records import AgreementConsent
from certportal.accounts.models import Role
from tests.assessments.factories import (
    SiteFactory,
    make_application,
    make_assessor,
    planned_event,
    scheme_with_units,
    validated_plan,
)
from tests.browser.conftest import ui_login, ui_logout
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    scheme = scheme_with_units(2)
    validated_plan(scheme)
    lina = UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN])
    asa = UserFactory(full_name="Asa Assessor", email="asa@example.go.id", roles=[Role.ASSESSOR])
    alice = UserFactory(full_name="Alice Applicant", email="alice@example.go.id", roles=[Role.APPLICANT])
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(), assessor=make_assessor(asa, schemes=[scheme]),
                          applications=[make_application(scheme, alice, name="Alice Applicant, S.Sos.")],
                          days_ahead=7)
    return {"p": event.participants.get(), "alice": alice, "asa": asa, "scheme": scheme}


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_participant_consents_to_fr_ak_01_on_a_phone_and_sees_the_plans_evidence(phone_page, page, people):
    p, phone = people["p"], phone_page
    ui_login(phone, people["alice"].email, PASSWORD)
    phone.goto(f"/asesmen/saya/{p.pk}/")
    agreement = phone.locator("#agreement")
    expect(agreement).to_contain_text("Persetujuan asesmen dan kerahasiaan (FR.AK.01)")
    units = agreement.locator(".agreement-unit")
    expect(units).to_have_count(2)
    first = people["scheme"].scheme_units.order_by("position").first().unit
    expect(units.first).to_contain_text(first.code)
    expect(units.first.locator(".agreement-instrument[data-instrument='IA.08']")).to_contain_text(
        "FR.IA.08 Verifikasi Portofolio")
    expect(units.first.locator(".agreement-instrument[data-instrument='IA.09']")).to_contain_text(
        "FR.IA.09 Wawancara")
    expect(agreement).to_contain_text("Asa Assessor")
    expect(agreement.locator(".agreement-statements")).to_contain_text("prosedur banding asesmen dari asesor")
    fits(phone)

    phone.fill("#agreement-name", "Bob Applicant")
    phone.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    phone.click("#accept-agreement")
    phone.wait_for_load_state()
    expect(phone.locator(".alert-danger")).to_contain_text("ketik nama Anda sebagaimana tercantum dalam permohonan")
    assert not AgreementConsent.objects.exists()

    phone.locator("#agreement-name").focus()  # keyboard only: type, then Enter submits the form
    phone.keyboard.type("Alice Applicant")
    phone.once("dialog", lambda d: d.accept())  # it asks first, by keyboard too
    phone.keyboard.press("Enter")
    phone.wait_for_load_state()
    expect(phone.locator(".alert-success")).to_contain_text("Anda telah menyetujui persetujuan asesmen (FR.AK.01)")
    expect(phone.locator("#agreement-consented")).to_contain_text("Alice Applicant")
    expect(phone.locator("#agreement-form")).to_have_count(0)
    expect(phone.locator("#agreement-assessor-consent")).to_contain_text("Asesor Anda belum menyetujui")
    expect(phone.locator("#ak01-pdf")).to_be_visible()
    fits(phone)
    consent = AgreementConsent.objects.get()
    assert consent.party == "participant" and consent.signed_name == "Alice Applicant" and consent.ip_address
    ui_logout(phone)

    ui_login(page, people["asa"].email, PASSWORD)
    page.goto(f"/asesmen/peserta/{p.pk}/")
    expect(page.locator("#consents [data-party=participant]")).to_have_attribute("data-given", "yes")
    expect(page.locator("#consent-details")).to_contain_text("Alice Applicant")
    page.fill("#assessor-consent-name", "Asa Assessor")
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.click("#assessor-consent")
    page.wait_for_load_state()
    expect(page.locator("#consents [data-party=assessor]")).to_have_attribute("data-given", "yes")

    ui_login(phone, people["alice"].email, PASSWORD)
    phone.goto(f"/asesmen/saya/{p.pk}/")
    expect(phone.locator("#agreement-assessor-consent")).to_contain_text("Asesor Anda, Asa Assessor, menyetujui")


def test_the_records_pages_pass_axe_at_both_widths(page, people):
    """FR.AK.07 recorded through its form before the test; FR.AK.05 and FR.AK.06 forms on a locked event; every page
    of this area free of serious accessibility problems, on a desktop and a phone."""
    from assessments import services
    from tests.assessments.factories import assess, mark_all_present, run_steps, the_test_day_arrives
    from tests.browser import a11y

    p, asa = people["p"], people["asa"]
    tono = UserFactory(full_name="Tono Kepala TUK", roles=[Role.TUK_HEAD])
    quinn = UserFactory(full_name="Quinn Quality", email="quinn@example.go.id", roles=[Role.QUALITY])
    lina = p.event.created_by
    scheme = scheme_with_units(2)
    held = planned_event(actor=lina, scheme=scheme, site=SiteFactory(head=tono),
                         assessor=make_assessor(UserFactory(full_name="Ari Assessor", roles=[Role.ASSESSOR]),
                                                schemes=[scheme]),
                         applications=[make_application(scheme, name="Budi Peserta")])
    ari = held.event_assessors.get().assessor.user
    run_steps(held, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(held)
    mark_all_present(held, actor=ari)
    assess(held.participants.get(), assessor_user=ari)
    run_steps(held, 5, admin=lina, tuk_head=tono, assessor_user=ari)
    services.report_sign_as_assessor(held, actor=ari)
    held = run_steps(held, 6, admin=lina, tuk_head=tono)

    ui_login(page, asa.email, PASSWORD)
    page.goto(f"/asesmen/peserta/{p.pk}/fr-ak-07/")
    page.check("input[name=needs][value=language]")
    page.fill("textarea[name=adjustments]", "Penjelasan instruksi dengan bahasa sederhana")
    page.fill("input[name=signed_name]", "Asa Assessor")
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.click("#save-ak07")
    page.wait_for_load_state()
    expect(page.locator("#participant-adjustments")).to_contain_text("Penjelasan instruksi dengan bahasa sederhana")
    problems = []
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for url in (f"/asesmen/peserta/{p.pk}/", f"/asesmen/peserta/{p.pk}/fr-ak-07/"):
            problems += a11y.check_page(page, a11y.Page(url))
    for user, urls in ((ari, [f"/asesmen/acara/{held.pk}/", f"/asesmen/acara/{held.pk}/fr-ak-05/"]),
                       (quinn, [f"/asesmen/acara/{held.pk}/fr-ak-06/"]),
                       (people["alice"], [f"/asesmen/saya/{p.pk}/"])):
        ui_logout(page)
        ui_login(page, user.email, PASSWORD, land=True)
        if user == quinn:
            services.report_sign(held, user=ari, aspects="Tertib", signed_name="Ari Assessor")
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            for url in urls:
                problems += a11y.check_page(page, a11y.Page(url))
    assert problems == []
    expect(page.locator("#my-adjustments")).to_contain_text("Bahasa")
