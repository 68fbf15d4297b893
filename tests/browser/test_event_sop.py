"""The event's SOP steps in the browser (issue 13): nothing about a test dated 8 December can be recorded on
23 November; the assessor confirms step 1 themselves; step 7 needs the Kepala TUK and quality management; a
deactivated staff account's assessor record is offered for no new event and its open events are listed."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import translation
from playwright.sync_api import expect

from assessments import services
from assessments.events.models import Assessor, Event, EventStatus, EventStep
from certportal.accounts.models import Role
from tests.assessments.factories import (
    SiteFactory,
    assess,
    assessment_reviewed,
    make_application,
    make_assessor,
    mark_all_present,
    planned_event,
    run_steps,
    scheme_with_units,
    write_minutes,
)
from tests.browser.conftest import cards_fit, on_screen, ui_login, ui_logout
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
TODAY = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=WIB)
TEST_DAY = datetime.datetime(2026, 12, 8, 9, 0, tzinfo=WIB)


@pytest.fixture
def clock():
    with time_machine.travel(TODAY, tick=True) as traveller:
        yield traveller


@pytest.fixture
def people(db):
    scheme = scheme_with_units(2)
    tono = UserFactory(full_name="Tono Kepala TUK", email="tono@example.go.id", roles=[Role.TUK_HEAD])
    asa = UserFactory(full_name="Asa Assessor", email="asa@example.go.id", roles=[Role.ASSESSOR])
    return {
        "scheme": scheme, "site": SiteFactory(head=tono, name="TUK Sewaktu BPSDM DKI"), "tono": tono, "asa": asa,
        "assessor": make_assessor(asa, schemes=[scheme], reg="MET.000.001234.2026"),
        "lina": UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN]),
        "quinn": UserFactory(full_name="Quinn Quality", email="quinn@example.go.id", roles=[Role.QUALITY]),
    }


def as_user(page, user):
    ui_logout(page)
    ui_login(page, user.email, PASSWORD, land=True)


def open_event(page, event):
    page.goto(f"/asesmen/acara/{event.pk}/")


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)
    assert page.locator(".alert-danger").count() == 0, page.locator(".alert-danger").all_inner_texts()


def new_event(p, *, n: int = 2) -> Event:
    apps = [make_application(p["scheme"], name=f"Peserta {i}") for i in range(n)]
    return planned_event(actor=p["lina"], scheme=p["scheme"], site=p["site"], assessor=p["assessor"],
                         applications=apps)


def walk(p, event, state: str) -> Event:
    """Set-up through the services (an event that began an hour ago), up to ``state``."""
    kw = {"admin": p["lina"], "tuk_head": p["tono"], "assessor_user": p["asa"], "quality": p["quinn"]}
    run_steps(event, 4, **kw)
    mark_all_present(event, actor=p["asa"])
    for participant in event.participants.all():
        assess(participant, assessor_user=p["asa"])
    event = run_steps(event, 5, **kw)
    if state == "report_signed":
        services.report_sign_as_assessor(event, actor=p["asa"])
        event = run_steps(event, 6, **kw)
        write_minutes(event, tuk_head=p["tono"])  # step 7 rests on the minutes of meeting
    return event


def moved_to_test_day(event) -> Event:
    """The date of the event as the contradiction in the issue had it: 8 December, seen on 23 November."""
    Event.objects.filter(pk=event.pk).update(starts_at=TEST_DAY)
    return Event.objects.get(pk=event.pk)


def refusal(page, code: str) -> str:
    return page.locator(f'[data-refused="assessments.event.{code}"]').first.inner_text()


def test_nothing_about_a_future_test_is_recorded(page, people, clock):
    p = people
    confirmed = run_steps(moved_to_test_day(new_event(p)), 4, admin=p["lina"], tuk_head=p["tono"],
                          assessor_user=p["asa"], quality=p["quinn"])
    assert confirmed.status == EventStatus.CONFIRMED and confirmed.starts_at == TEST_DAY
    held = moved_to_test_day(walk(p, new_event(p), "held"))
    signed = moved_to_test_day(walk(p, new_event(p), "report_signed"))

    # Step 5 and attendance: no button for the assessor, the Kepala TUK or the admin; the reason names the date.
    for user in (p["asa"], p["tono"], p["lina"]):
        as_user(page, user)
        open_event(page, confirmed)
        assert page.locator('button[data-act="held"]').count() == 0
        assert page.locator('[data-action="assessments.event.attendance_recorded"]').count() == 0
        if user is not p["lina"]:
            assert "8 Desember 2026" in refusal(page, "held")
        page.goto(f"/asesmen/acara/{confirmed.pk}/kehadiran/")
        assert "8 Desember 2026" in page.locator("#attendance-refused").inner_text()
        assert page.locator("main form button.btn-primary").count() == 0

    # The berita acara: neither the assessor nor the Kepala TUK may sign it.
    as_user(page, p["asa"])
    open_event(page, held)
    assert page.locator('button[data-act="report_signed_by_assessor"]').count() == 0
    assert "8 Desember 2026" in refusal(page, "report_signed_by_assessor")
    as_user(page, p["tono"])
    open_event(page, held)
    assert page.locator('button[data-act="report_signed"]').count() == 0

    # The review (step 7): neither the Kepala TUK nor quality management; in English the date is in English.
    for user in (p["tono"], p["quinn"]):
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
        as_user(page, user)
        open_event(page, signed)
        assert page.locator('button[data-act="review_signed"]').count() == 0
        assert "8 December 2026" in refusal(page, "review_signed")

    # The services refuse with the same reason, in both languages.
    for lang, day in (("id", "8 Desember 2026"), ("en", "8 December 2026")):
        with translation.override(lang):
            for call in (lambda: services.event_step_complete(confirmed, 5, actor=p["asa"]),
                         lambda: services.attendance_record(confirmed, actor=p["lina"], participants={},
                                                            assessors={}),
                         lambda: services.report_sign_as_assessor(held, actor=p["asa"]),
                         lambda: services.event_step_complete(held, 6, actor=p["tono"]),
                         lambda: services.review_sign(signed, actor=p["tono"]),
                         lambda: services.review_sign(signed, actor=p["quinn"])):
                with pytest.raises(services.AssessmentError, match=day):
                    call()
    assert [Event.objects.get(pk=e.pk).status for e in (confirmed, held, signed)] == [
        EventStatus.CONFIRMED, EventStatus.HELD, EventStatus.REPORT_SIGNED]


def test_the_assessor_confirms_step_1_themselves(page, people, clock):
    p = people
    event = new_event(p)
    as_user(page, p["lina"])
    open_event(page, event)
    submit(page, 'button[data-act="schedule_distributed"]')
    assert Event.objects.get(pk=event.pk).status == EventStatus.PLANNED  # not stamped by the admin
    assert "belum konfirmasi" in page.locator("main .list-group", has_text=p["asa"].full_name).first.inner_text()
    assert EventStep.objects.get(event=event, number=1).done_at is None

    as_user(page, p["asa"])
    open_event(page, event)
    submit(page, 'button[data-act="assessor_confirmed"]')
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULE_SENT
    step1 = EventStep.objects.get(event=event, number=1)
    assert step1.done_by == p["asa"]
    assert "di portal, oleh asesor sendiri" in page.locator(".assessor-confirmed").inner_text()
    assert "Asa Assessor" in page.locator("#step-1").inner_text()


def test_step_7_needs_the_kepala_tuk_and_quality_management(page, people, clock):
    p = people
    event = walk(p, new_event(p), "report_signed")
    assessment_reviewed(event, quality=p["quinn"])  # FR.AK.05 and FR.AK.06 come before step 7 (issue 30 item 7)
    as_user(page, p["tono"])
    open_event(page, event)
    page.once("dialog", lambda d: d.accept())  # it asks first (an act that decides)
    submit(page, 'button[data-act="review_signed"]')
    assert Event.objects.get(pk=event.pk).status == EventStatus.REPORT_SIGNED
    roles = page.locator("#review-roles").inner_text()
    assert "Tono Kepala TUK" in roles and "belum ditandatangani" in roles
    assert page.locator('button[data-act="review_signed"]').count() == 0  # one signature per person

    as_user(page, p["quinn"])
    open_event(page, event)
    page.once("dialog", lambda d: d.accept())  # it asks first (an act that decides)
    submit(page, 'button[data-act="review_signed"]')
    assert Event.objects.get(pk=event.pk).status == EventStatus.REVIEWED
    roles = page.locator("#review-roles").inner_text()
    assert "Tono Kepala TUK" in roles and "Quinn Quality" in roles
    assert EventStep.objects.get(event=event, number=7).done_by == p["quinn"]


def test_a_deactivated_assessor_is_not_offered_and_their_events_are_listed(page, people, clock):
    p = people
    event = new_event(p)
    other = UserFactory(full_name="Oscar Other Assessor", email="oscar@example.go.id", roles=[Role.ASSESSOR])
    make_assessor(other, schemes=[p["scheme"]])

    as_user(page, p["lina"])
    page.goto(f"/akun/staf/{p['asa'].pk}/")
    page.fill("[name=reason]", "Pensiun per 1 Desember 2026")
    submit(page, "form[action$='/status/'] button")
    assert Assessor.objects.get(user=p["asa"]).is_active is False

    page.goto("/asesmen/asesor/kelola/")
    panel = page.locator("#to-reassign")
    assert f"/asesmen/acara/{event.pk}/" in panel.inner_html()
    assert "Asa Assessor" in panel.inner_text() and "2 peserta masih ditugaskan" in panel.inner_text()

    later = planned_event(actor=p["lina"], scheme=p["scheme"], site=p["site"], days_ahead=20)
    for e in (event, later):
        open_event(page, e)
        options = page.locator("select[name=assessor] option").all_inner_texts()
        assert not any("Asa Assessor" in o for o in options) and any("Oscar Other Assessor" in o for o in options)


def test_the_event_reads_as_cards_on_a_tablet_and_a_phone_and_as_tables_on_a_desk(page, people, clock):
    """An assessor at the test site with a tablet (768 px) or a phone: the SOP steps (8 columns) and the participants
    (9) are one card a row, each value named, the step's act and each participant's "Buka" on the screen."""
    p = people
    event = new_event(p)
    as_user(page, p["lina"])
    open_event(page, event)
    submit(page, 'button[data-act="schedule_distributed"]')  # the schedule sent: the assessor's act is next
    as_user(page, p["asa"])
    for width, height in ((768, 1024), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        open_event(page, event)
        cards_fit(page.locator("#steps"))
        cards_fit(page.locator("#participants"))
        on_screen(page.locator('#step-1 button[data-act="assessor_confirmed"]'))
        rows = page.locator("#participants tbody tr")
        expect(rows).to_have_count(2)
        for row in range(2):
            on_screen(rows.nth(row).get_by_role("link", name="Buka"))
        assert rows.first.locator("td[data-label]").nth(0).get_attribute("data-label") == "Asesor"
        summary = rows.first.locator("summary", has_text="Konflik kepentingan")
        summary.click()
        on_screen(rows.first.locator("textarea[name=reason]"))
        summary.click()
    page.set_viewport_size({"width": 1280, "height": 900})  # on a desk: the table with its header row
    open_event(page, event)
    expect(page.locator("#participants thead th").first).to_be_visible()
    assert page.locator("#participants tbody tr").first.evaluate("r => getComputedStyle(r).display") == "table-row"
