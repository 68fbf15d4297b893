"""Sessions end (OWASP ASVS 3.3): staff after 30 minutes idle and 12 hours at most, applicants after a longer
idle time; the person lands on the login page with a message in their language and returns where they were."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC)
QUEUE = "/permohonan/antrian/?status=submitted"


def _log_in(client, user, nxt=""):
    return client.post(reverse("accounts:login") + (f"?next={nxt}" if nxt else ""),
                       {"username": user.email, "password": PASSWORD})


def test_staff_session_ends_after_30_idle_minutes_and_comes_back_to_the_page(client, victor):
    with time_machine.travel(START, tick=False) as traveller:
        _log_in(client, victor)
        assert client.get(QUEUE).status_code == 200
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get(QUEUE).status_code == 200  # activity: the idle clock starts again
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get(QUEUE).status_code == 200
        traveller.shift(datetime.timedelta(minutes=31))
        response = client.get(QUEUE)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:login") + "?next=/permohonan/antrian/%3Fstatus%3Dsubmitted"
        page = client.get(response["Location"])
        assert "tanpa aktivitas" in page.content.decode()  # Indonesian by default
        assert "30" in page.content.decode()
        assert not page.wsgi_request.user.is_authenticated
        back = _log_in(client, victor, nxt="/permohonan/antrian/%3Fstatus%3Dsubmitted")
        assert back["Location"] == QUEUE


def test_staff_session_ends_after_12_hours_even_when_busy(client, victor):
    with time_machine.travel(START, tick=False) as traveller:
        _log_in(client, victor)
        for _ in range(24):  # a request every 30 minutes (just under the idle limit) for 12 hours
            traveller.shift(datetime.timedelta(minutes=29, seconds=59))
            assert client.get(QUEUE).status_code == 200
        traveller.shift(datetime.timedelta(minutes=29))  # 12 hours and a bit after logging in
        response = client.get(QUEUE, follow=True)
        body = response.content.decode()
        assert response.redirect_chain[0][0].startswith(reverse("accounts:login") + "?next=")
        assert "paling lama 12 jam" in body


def test_expiry_message_is_in_the_persons_language(client, victor):
    victor.preferred_language = "en"
    victor.save()
    with time_machine.travel(START, tick=False) as traveller:
        _log_in(client, victor)
        traveller.shift(datetime.timedelta(minutes=45))
        response = client.get(QUEUE, follow=True)
        assert "You were logged out after 30 minutes without activity" in response.content.decode()
        assert 'lang="en"' in response.content.decode()


def test_limits_come_from_the_settings(client, victor, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    with time_machine.travel(START, tick=False) as traveller:
        _log_in(client, victor)
        traveller.shift(datetime.timedelta(minutes=6))
        assert client.get(QUEUE).status_code == 302


def test_applicants_keep_a_longer_idle_limit(client, alice):
    mine = reverse("applicants:mine")
    with time_machine.travel(START, tick=False) as traveller:
        _log_in(client, alice)
        traveller.shift(datetime.timedelta(minutes=90))  # filling a long form: still logged in
        assert client.get(mine).status_code == 200
        traveller.shift(datetime.timedelta(minutes=121))
        response = client.get(mine)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_form_posted_after_expiry_is_not_saved_and_returns_to_its_page(client, victor, alice):
    with time_machine.travel(START, tick=False) as traveller:
        _log_in(client, victor)
        traveller.shift(datetime.timedelta(hours=1))
        response = client.post(reverse("accounts:set-language"), {"language": "en", "next": "/"})
        assert response.status_code == 302
        victor.refresh_from_db()
        assert victor.preferred_language != "en"
