"""The queue reads the working calendar from the cache (no query) and sees an administrator's change at once."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applicants.models import Application, Status
from applicants.services import application_act
from certportal.sla import services as sla
from certportal.sla.models import CalendarDay, Clock

from .factories import ApplicationFactory, SchemeFactory

pytestmark = pytest.mark.django_db
FRIDAY = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)
CALENDAR_TABLES = ("sla_calendarday", "sla_workweek", "sla_seededyear")


def test_queue_uses_the_cached_calendar_and_sees_a_new_closure_at_once(victor, lina, login):
    with time_machine.travel(FRIDAY, tick=False):
        app = ApplicationFactory(scheme=SchemeFactory(), status=Status.SUBMITTED, applicant_name="Tenggat Rabu")
        application_act(app, "completed", actor=victor)
        # due on Wednesday 25: with a warning of two working days (Mon 23, Tue 24) it is not "due soon" yet
        Clock.objects.filter(object_id=app.pk, outcome=Clock.Outcome.OPEN).update(
            target_due=datetime.date(2026, 11, 25))
        Application.objects.filter(pk=app.pk).update(deadline=datetime.date(2026, 11, 25))  # its mirror
        client = login(victor)
        url = "/permohonan/antrian/?deadline=due_soon"
        assert "Tenggat Rabu" not in client.get(url).content.decode()
        with CaptureQueriesContext(connection) as ctx:
            assert "Tenggat Rabu" not in client.get(url).content.decode()
        calendar_reads = [q["sql"] for q in ctx.captured_queries if any(t in q["sql"] for t in CALENDAR_TABLES)]
        assert calendar_reads == []
        sla.calendar_day_add(actor=lina, day=datetime.date(2026, 11, 23), kind=CalendarDay.Kind.CLOSURE,
                             name="Kantor tutup")
        # Monday is now a day off: the two warning days are Tuesday and Wednesday, so it is due soon
        assert "Tenggat Rabu" in client.get(url).content.decode()
