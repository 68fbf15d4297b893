"""On the test day, before the start time, the refusal to record results gives the time as well as the date:
"Uji dimulai pada 25 November 2026, 09:00 WIB", not "… 25 November 2026" on 25 November."""

import datetime
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from assessments.events.models import Event
from certportal.accounts.models import Role
from tests.assessments.factories import (
    SiteFactory,
    agree,
    make_application,
    make_assessor,
    planned_event,
    run_steps,
    scheme_with_units,
)
from tests.browser.conftest import ui_login
from tests.browser.language import page_fits, switch_language
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MORNING = datetime.datetime(2026, 11, 25, 7, 30, tzinfo=WIB)
START = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=WIB)


def test_before_nine_on_the_test_day_the_assessor_reads_the_start_time(live_server, phone_page):
    with time_machine.travel(MORNING - datetime.timedelta(days=10), tick=True):
        scheme = scheme_with_units(1)
        tono = UserFactory(full_name="Tono Kepala TUK", roles=[Role.TUK_HEAD])
        asa = UserFactory(full_name="Asa Assessor", email="asa@example.go.id", roles=[Role.ASSESSOR])
        lina = UserFactory(full_name="Lina LSP Admin", roles=[Role.LSP_ADMIN])
        event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(head=tono),
                              assessor=make_assessor(asa, schemes=[scheme]),
                              applications=[make_application(scheme, name="Rina Marlina")])
        Event.objects.filter(pk=event.pk).update(starts_at=START)
        run_steps(Event.objects.get(pk=event.pk), 4, admin=lina, tuk_head=tono)
        p = event.participants.get()
        agree(p)
    with time_machine.travel(MORNING, tick=True):
        page = phone_page
        ui_login(page, asa.email, PASSWORD)
        page.goto(f"/asesmen/peserta/{p.pk}/")
        expect(page.locator("#record-refused")).to_contain_text("Uji dimulai pada 25 November 2026, 09:00 WIB")
        assert page_fits(page)
        switch_language(page)
        expect(page.locator("#record-refused")).to_contain_text("The test starts on 25 November 2026, 09:00 WIB")
