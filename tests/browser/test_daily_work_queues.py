"""Issue 15: every staff role finds its work queue on its home page, overdue first (Chromium)."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from assessments.events.models import Event
from certportal.accounts.models import Role
from complaints import services as complaints
from tests.assessments.factories import (
    SiteFactory,
    make_application,
    make_assessor,
    mark_all_present,
    planned_event,
    run_steps,
    scheme_with_units,
)
from tests.browser.conftest import ui_login, ui_logout
from tests.complaints.factories import identified
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _count(page, key: str) -> str:
    return page.locator(f"#work-queue [data-work='{key}'] [data-count]").inner_text()


def test_each_role_lands_on_its_work_queue(live_server, page, request):
    # the set-up happens at 10:00 WIB on a working day, whatever hour the suite runs: at 00:20 WIB the SOP steps
    # taken "now" open clocks due that very morning, which the supervisor then counts as breached too
    start = (timezone.localtime() + datetime.timedelta(days=7 - timezone.localtime().weekday())).replace(
        hour=10, minute=0, second=0, microsecond=0)  # next Monday, 10:00
    day = time_machine.travel(start, tick=True)
    day.start()
    request.addfinalizer(day.stop)
    people = {role: UserFactory(full_name=f"Orang {role}", email=f"{role}@example.go.id", roles=[role])
              for role in (Role.LSP_ADMIN, Role.TUK_HEAD, Role.ASSESSOR, Role.QUALITY, Role.COMPLAINT_OFFICER,
                           Role.SUPERVISOR)}
    lina, tono, asa = people[Role.LSP_ADMIN], people[Role.TUK_HEAD], people[Role.ASSESSOR]
    scheme = scheme_with_units(2)
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(head=tono),
                          assessor=make_assessor(asa, schemes=[scheme]), days_ahead=2,
                          applications=[make_application(scheme, name="Rina Marlina"),
                                        make_application(scheme, name="Budi Santoso")])
    # at 09:00 two days ahead: half an hour into the test is the same day at any hour this test runs (an event
    # planned at 23:40 would be read the next day, outside "this week's events" of its own day)
    nine = (timezone.localtime() + datetime.timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    Event.objects.filter(pk=event.pk).update(starts_at=nine)
    event.refresh_from_db()
    run_steps(event, 4, admin=lina, tuk_head=tono)
    # the test day comes (attendance is recorded on it, never before); the queues are read that day
    traveller = time_machine.travel(event.starts_at + datetime.timedelta(minutes=30), tick=True)
    traveller.start()
    request.addfinalizer(traveller.stop)
    mark_all_present(event, actor=asa)
    event.participants.update(assessor=event.event_assessors.get().assessor)
    # a complaint received 20 days ago: its 3-working-day follow-up is long past
    late = complaints.complaint_file(data=identified(), received_at=timezone.now() - datetime.timedelta(days=20))

    checks = [
        (Role.LSP_ADMIN, {"events-week": "1", "decisions": "0", "certificates": "0"}),
        (Role.ASSESSOR, {"results": "2", "signatures": "0"}),
        (Role.QUALITY, {"reviews": "0", "appeals": "0"}),
        (Role.TUK_HEAD, {"reviews": "0"}),  # appeals are decided by people not involved (ISO/IEC 17024 9.8)
        (Role.COMPLAINT_OFFICER, {"followups": "1", "answers": "1"}),
        (Role.SUPERVISOR, {"breaches": "1"}),
    ]
    for role, counts in checks:
        ui_logout(page)
        ui_login(page, people[role].email, PASSWORD)
        page.goto("/beranda/")
        expect(page.locator("#work-queue h2")).to_have_text("Menunggu Anda")
        for key, n in counts.items():
            assert _count(page, key) == n, (role, key)
        if role == Role.TUK_HEAD:
            expect(page.locator("#work-queue [data-work='appeals']")).to_have_count(0)
        if role == Role.COMPLAINT_OFFICER:
            expect(page.locator("#work-queue [data-work='followups']")).to_contain_text("1 terlambat")
            # the overdue follow-up heads the queue and is listed under "Overdue"
            expect(page.locator("#work-queue [data-work]").first).to_have_attribute("data-work", "followups")
            expect(page.locator("[data-testid=overdue]")).to_contain_text(late.tracking_number)
