"""An idle verifier on a phone is logged out, reads why in their language, logs in again and is back on the
queue page they had open."""

import datetime
import re

import pytest
import time_machine
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUE = "/permohonan/antrian/?status=submitted"


@pytest.mark.parametrize("language,says", [("id", "30 menit tanpa aktivitas"), ("en", "30 minutes without activity")])
def test_an_idle_verifier_logs_in_again_and_returns_to_the_queue(phone_page, victor, language, says, tmp_path):
    victor.preferred_language = language
    victor.save()
    page = phone_page
    with time_machine.travel(datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC), tick=True) as traveller:
        page.goto("/akun/masuk/?next=" + QUEUE.replace("?", "%3F").replace("=", "%3D"))
        page.fill("input[name=username]", victor.email)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        expect(page).to_have_url(re.compile(re.escape(QUEUE) + "$"))
        traveller.shift(datetime.timedelta(minutes=31))
        page.reload()
        expect(page).to_have_url(re.compile(r"/akun/masuk/\?next="))
        expect(page.locator("body")).to_contain_text(says)
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.screenshot(path=f"/tmp/sessions-expired-{language}.png", full_page=True)
        page.fill("input[name=username]", victor.email)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        expect(page).to_have_url(re.compile(re.escape(QUEUE) + "$"))
