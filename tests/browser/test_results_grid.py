"""The results grid on the day of the test: cells save themselves; a lost connection keeps them "not saved yet"
until it is back; the grid scrolls inside itself on a phone."""

import pytest

from assessments.events.models import UnitResult
from certportal.accounts.models import Role
from tests.assessments.factories import (
    SiteFactory,
    agree,
    make_application,
    make_assessor,
    mark_all_present,
    planned_event,
    run_steps,
    scheme_with_units,
    signed_records,
)
from tests.browser.conftest import ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def day(db):
    scheme = scheme_with_units(3)
    tono = UserFactory(full_name="Tono Kepala TUK", roles=[Role.TUK_HEAD])
    asa = UserFactory(full_name="Asa Assessor", roles=[Role.ASSESSOR])
    lina = UserFactory(full_name="Lina LSP Admin", roles=[Role.LSP_ADMIN])
    apps = [make_application(scheme, UserFactory(full_name=n, roles=[Role.APPLICANT]), name=n)
            for n in ("Alice Applicant", "Bob Applicant")]
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(head=tono),
                          assessor=make_assessor(asa, schemes=[scheme]), applications=apps)
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    for p in event.participants.select_related("application__applicant", "assessor__user", "event"):
        agree(p)
        signed_records(p)  # the plan's instruments signed on the day: what a K rests on
    return event, asa, [su.unit for su in scheme.scheme_units.order_by("position")]


def cell(page, p, unit):
    return page.locator(f'td[data-participant="{p.pk}"][data-unit="{unit.pk}"]')


def test_cells_save_themselves_and_survive_a_lost_connection(page, day):
    event, asa, units = day
    alice = event.participants.get(application__applicant_name="Alice Applicant")
    bob = event.participants.get(application__applicant_name="Bob Applicant")
    ui_login(page, asa.email, PASSWORD)
    page.goto(f"/asesmen/acara/{event.pk}/nilai/")
    page.fill("#grid-evidence", "Portofolio dan wawancara")
    cell(page, alice, units[0]).locator("select").select_option("K")
    cell(page, alice, units[1]).locator("select").select_option("K")
    bk = cell(page, bob, units[0])
    bk.locator("select").select_option("BK")
    assert "belum tersimpan" in bk.locator(".state").inner_text()
    bk.locator("textarea").fill("Belum menunjukkan bukti yang cukup")
    bk.locator("textarea").blur()
    for p, u in ((alice, units[0]), (alice, units[1]), (bob, units[0])):
        page.locator(f'td[data-participant="{p.pk}"][data-unit="{u.pk}"][data-state="saved"]').wait_for()
        assert cell(page, p, u).locator(".state").inner_text() == "tersimpan"

    page.route("**/nilai/simpan/", lambda route: route.abort())
    lost = cell(page, bob, units[1])
    with page.expect_event("requestfailed"):  # the save was sent and never arrived
        lost.locator("select").select_option("K")
    assert lost.locator(".state").inner_text() == "belum tersimpan"
    assert not UnitResult.objects.filter(participant=bob, unit=units[1]).exists()
    with page.expect_event("requestfailed"):  # kept on the device: still there, still marked, sent again
        page.reload()
    lost = cell(page, bob, units[1])
    assert lost.locator("select").input_value() == "K" and lost.locator(".state").inner_text() == "belum tersimpan"

    page.unroute("**/nilai/simpan/")
    page.evaluate("window.dispatchEvent(new Event('online'))")  # the connection is back: the page sends what waits
    page.locator(f'td[data-participant="{bob.pk}"][data-unit="{units[1].pk}"][data-state="saved"]').wait_for()
    page.wait_for_function("document.querySelectorAll('td[data-state=pending]').length === 0")
    assert lost.locator(".state").inner_text() == "tersimpan"
    assert {(r.participant_id, r.unit_id): (r.result, r.explanation) for r in UnitResult.objects.all()} == {
        (alice.pk, units[0].pk): ("K", ""), (alice.pk, units[1].pk): ("K", ""),
        (bob.pk, units[0].pk): ("BK", "Belum menunjukkan bukti yang cukup"), (bob.pk, units[1].pk): ("K", "")}
    assert set(UnitResult.objects.values_list("evidence", flat=True)) == {"Portofolio dan wawancara"}


@pytest.mark.parametrize("width", [768, 390])
def test_the_grid_scrolls_inside_itself_on_a_tablet_and_a_phone(browser, live_server, day, width):
    event, asa, units = day
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": width, "height": 900},
                                  reduced_motion="reduce")
    page = context.new_page()
    try:
        ui_login(page, asa.email, PASSWORD)
        page.goto(f"/asesmen/acara/{event.pk}/nilai/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        name = page.locator("#grid tbody th.grid-name").first
        x = name.bounding_box()["x"]
        page.locator("#grid").evaluate("g => { g.scrollLeft = 400; }")
        assert abs(name.bounding_box()["x"] - x) < 2  # the first column stays in place
    finally:
        context.close()
