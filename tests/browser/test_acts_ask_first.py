"""Every act that locks, decides or issues asks first and states its own consequence, on a phone, by keyboard, in
both languages: the Kepala TUK's signature of the berita acara (the act that locks the results), a decision in a
pleno, closing the pleno. Saying no leaves everything as it was."""

import pytest
from django.utils import timezone

from assessments import services
from assessments.events.models import Event, EventStatus, Participant, Pleno
from certportal.accounts.models import Role
from tests.assessments.factories import (
    SiteFactory,
    assess,
    make_application,
    make_assessor,
    mark_all_present,
    planned_event,
    run_steps,
    scheme_with_units,
    the_test_day_arrives,
)
from tests.browser.conftest import ui_login
from tests.browser.language import page_fits, switch_language
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held(db):
    """A test held today whose assessor has signed the berita acara: the Kepala TUK signs last."""
    scheme = scheme_with_units(1)
    tono = UserFactory(full_name="Tono Kepala TUK", email="tono@example.go.id", roles=[Role.TUK_HEAD])
    asa = UserFactory(full_name="Asa Assessor", email="asa@example.go.id", roles=[Role.ASSESSOR])
    lina = UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN])
    apps = [make_application(scheme, UserFactory(full_name=name, roles=[Role.APPLICANT]), name=name)
            for name in ("Alice Applicant", "Bob Applicant")]
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(head=tono),
                          assessor=make_assessor(asa, schemes=[scheme]), applications=apps)
    run_steps(event, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(event)
    mark_all_present(event, actor=asa)
    for p in event.participants.all():
        assess(p, assessor_user=asa)
    event = run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    return {"event": event, "tono": tono, "lina": lina, "asa": asa}


def _answer(page, asked: list, *, agree: bool) -> None:
    page.once("dialog", lambda d: (asked.append(d.message), d.accept() if agree else d.dismiss()))


def _press(page, selector: str) -> None:
    """Reach the button by keyboard and press Enter (as a person without a mouse does)."""
    page.focus(selector)
    page.keyboard.press("Enter")


def test_the_kepala_tuk_is_asked_before_the_signature_that_locks_the_results(live_server, phone_page, held):
    page, event = phone_page, held["event"]
    ui_login(page, held["tono"].email, PASSWORD)
    page.goto(f"/asesmen/acara/{event.pk}/")
    sign = 'button[data-act="report_signed"]'
    asked = []
    _answer(page, asked, agree=False)
    with page.expect_event("dialog"):  # asked
        _press(page, sign)
    assert asked and "mengunci hasil" in asked[0], asked
    assert Event.objects.get(pk=event.pk).status == EventStatus.HELD
    assert page_fits(page)
    switch_language(page)
    _answer(page, asked, agree=True)
    with page.expect_navigation():
        _press(page, sign)
    assert "locks the results of this event" in asked[1], asked
    assert Event.objects.get(pk=event.pk).status == EventStatus.REPORT_SIGNED


def test_a_pleno_decision_and_closing_the_pleno_ask_first(live_server, phone_page, held):
    event = run_steps(held["event"], 7, admin=held["lina"], tuk_head=held["tono"])
    dewi = UserFactory(full_name="Dewi Komite", roles=[Role.QUALITY])
    pleno = services.pleno_create(event, actor=held["lina"], held_on=timezone.localdate(),
                                  decree_number="KEP.021/LSP/PLENO/2026", members=[dewi])
    page = phone_page
    ui_login(page, held["lina"].email, PASSWORD)
    page.goto(f"/asesmen/pleno/{pleno.pk}/")
    alice = Participant.objects.get(event=event, application__applicant_name="Alice Applicant")
    asked = []
    _answer(page, asked, agree=False)
    with page.expect_event("dialog"):  # asked
        _press(page, f"#awaiting-{alice.pk} .decide-k")
    assert "Alice Applicant kompeten (K)" in asked[0] and "sertifikat" in asked[0], asked
    assert Participant.objects.get(pk=alice.pk).decision == ""
    assert page_fits(page)
    for p in Participant.objects.filter(event=event):
        services.pleno_decide(pleno, p, actor=held["lina"], decision="K")
    page.reload()
    _answer(page, asked, agree=False)
    with page.expect_event("dialog"):  # asked
        _press(page, "#pleno-close")
    assert "Menutup pleno menerbitkan surat keputusan" in asked[1], asked
    assert Pleno.objects.get(pk=pleno.pk).status == Pleno.Status.OPEN
    switch_language(page)
    _answer(page, asked, agree=True)
    with page.expect_navigation():
        _press(page, "#pleno-close")
    assert "Closing the pleno issues its decision letter" in asked[2], asked
    assert Pleno.objects.get(pk=pleno.pk).status == Pleno.Status.CLOSED
