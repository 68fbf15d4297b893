"""The acts that sign, decide or issue beyond the event's steps ask first too, each stating its own consequence, on a
phone, in both languages: the assessor's typed-name signature of an instrument record (which freezes it), the
suspension of a certificate and lifting it, an applicant submitting the dossier. Saying no leaves everything as it
was."""

import datetime

import pytest
from django.utils import timezone

from applicants import services
from applicants.models import Application, Status
from assessments import services as event_services
from assessments.certificates import services as certs
from assessments.certificates.models import Certificate
from assessments.instruments.models.records import InstrumentRecord
from certportal.accounts.models import Role
from tests.applicants.factories import ProfileFactory, scheme_with_parts
from tests.applicants.helpers import fill_dossier
from tests.assessments.conftest import alice_app, assessor, bob_app, decided, event, scheme, site  # noqa: F401
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
from tests.browser.conftest import ui_login
from tests.browser.language import page_fits, switch_language
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer(page, asked: list, *, agree: bool) -> None:
    page.once("dialog", lambda d: (asked.append(d.message), d.accept() if agree else d.dismiss()))


@pytest.fixture
def test_day(db):
    """The test day: Bob is present and has consented; FR.IA.01 of his first unit is to be filled."""
    sch = scheme_with_units(1)
    validated_plan(sch)
    tono = UserFactory(full_name="Tono Kepala TUK", roles=[Role.TUK_HEAD])
    asa = UserFactory(full_name="Asa Assessor", roles=[Role.ASSESSOR])
    lina = UserFactory(full_name="Lina LSP Admin", roles=[Role.LSP_ADMIN])
    bob = UserFactory(full_name="Bob Applicant", roles=[Role.APPLICANT])
    app = make_application(sch, bob, experienced=False, name="Bob Applicant")
    ev = planned_event(actor=lina, scheme=sch, site=SiteFactory(head=tono),
                       assessor=make_assessor(asa, schemes=[sch]), applications=[app])
    run_steps(ev, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(ev)
    mark_all_present(ev, actor=asa)
    p = ev.participants.get()
    agree(p)
    unit = sch.scheme_units.order_by("position").first().unit
    return p, asa, unit, give_criteria(unit)


def test_signing_an_instrument_record_asks_first_and_says_it_freezes_the_record(live_server, phone_page, test_day):
    p, asa, unit, criteria = test_day
    page = phone_page
    ui_login(page, asa.email, PASSWORD)
    page.goto(f"/asesmen/peserta/{p.pk}/")
    folded = page.locator(f'.instrument-unit[data-unit="{unit.code}"]')  # each unit's instruments, folded
    folded.locator("summary").click()
    folded.locator('.instrument-line[data-instrument="IA.01"] a').click()
    page.wait_for_load_state()
    for c in criteria:
        page.click(f"label[for=achieved_c{c.pk}_ya]")
    page.fill("#id_signed_name", "Asa Assessor")
    asked = []
    _answer(page, asked, agree=False)
    with page.expect_event("dialog"):  # asked
        page.click("#sign-record")
    assert asked and "Tandatangani FR.IA.01?" in asked[0] and "dibekukan" in asked[0], asked
    assert not InstrumentRecord.objects.filter(participant=p, unit=unit, status="signed").exists()
    assert page_fits(page)
    switch_language(page)
    for c in criteria:
        page.click(f"label[for=achieved_c{c.pk}_ya]")
    page.fill("#id_signed_name", "Asa Assessor")
    _answer(page, asked, agree=True)
    with page.expect_navigation():
        page.click("#sign-record")
    assert "Sign FR.IA.01? The record is frozen" in asked[1], asked
    record = InstrumentRecord.objects.get(participant=p, unit=unit, instrument="IA.01")
    assert (record.status, record.signed_name) == ("signed", "Asa Assessor")


def test_suspending_a_certificate_and_lifting_it_ask_first(live_server, phone_page, decided, lina, alice):  # noqa: F811
    holder = decided.participants.get(application__applicant=alice)
    event_services.participant_accept_obligations(holder, user=alice)
    cert = certs.certificate_issue(holder, actor=lina)
    page = phone_page
    ui_login(page, lina.email, PASSWORD)
    page.goto(f"/asesmen/sertifikat/{cert.pk}/")
    suspend = page.locator("#suspend-certificate")
    suspend.locator("textarea[name=reason]").fill("Diperiksa atas laporan pengaduan nomor 12.")
    suspend.locator("input[name=until]").fill((timezone.localdate() + datetime.timedelta(days=20)).isoformat())
    asked = []
    _answer(page, asked, agree=False)
    with page.expect_event("dialog"):  # asked
        suspend.locator("button").click()
    assert asked and "Bekukan sertifikat?" in asked[0] and "Halaman verifikasi publiknya" in asked[0], asked
    assert Certificate.objects.get(pk=cert.pk).status_reason == ""
    assert page.locator("#cert-state").inner_text() == "Berlaku"
    assert page_fits(page)
    _answer(page, asked, agree=True)
    with page.expect_navigation():
        suspend.locator("button").click()
    assert page.locator("#cert-state").inner_text() == "Dibekukan"
    switch_language(page)
    lift = page.locator("#reinstate-certificate")
    lift.locator("textarea").first.fill("The complaint was unfounded.")
    _answer(page, asked, agree=False)
    with page.expect_event("dialog"):  # asked
        lift.locator("button").click()
    assert "Lift the suspension? The certificate is valid again at once" in asked[2], asked
    assert page.locator("#cert-state").inner_text() == "Suspended"
    _answer(page, asked, agree=True)
    with page.expect_navigation():
        lift.locator("button").click()
    assert page.locator("#cert-state").inner_text() == "Valid"


def test_an_applicant_is_asked_before_the_dossier_goes_to_the_verifier(live_server, phone_page, alice):
    app = services.application_start(user=ProfileFactory(user=alice, full_name="Alice Applicant, S.Sos.",
                                                         nip="198503142010012001", gender="2").user,
                                     scheme=scheme_with_parts())
    fill_dossier(app, alice)
    page = phone_page
    ui_login(page, alice.email, PASSWORD)
    page.goto(f"/permohonan/{app.pk}/isi/kirim/")
    page.check("input[name=declaration]")
    asked = []
    _answer(page, asked, agree=False)
    with page.expect_event("dialog"):  # asked
        page.click("main form button[type=submit]")
    assert asked and "Kirim permohonan Anda?" in asked[0] and "verifikator" in asked[0], asked
    assert Application.objects.get(pk=app.pk).status == Status.DRAFT
    assert page_fits(page)
    switch_language(page)
    page.check("input[name=declaration]")
    _answer(page, asked, agree=True)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Your dossier goes to the verifier" in asked[1], asked
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED
