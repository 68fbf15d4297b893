"""Issue 47: the unread count in every page's header is kept per person until one of their notices changes
(``certportal.notifications.unread``): a page asks no count of notices when nothing changed, and a notice sent,
read or deleted shows in the count at once."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certportal.notifications import services
from certportal.notifications.models import Notification

pytestmark = pytest.mark.django_db

BADGE = 'data-testid="unread-count">'


def _badge(client) -> tuple[str, list[str]]:
    """The header's unread count ('' without a badge) and the queries that read notices for the page."""
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("notifications:inbox") + "?page=1").content.decode()
    count = html[html.index(BADGE) + len(BADGE):].split("<", 1)[0] if BADGE in html else ""
    return count, [q["sql"] for q in queries.captured_queries if 'COUNT(*)' in q["sql"]
                   and '"notifications_notification"."read_at" IS NULL' in q["sql"]]


def _notice(user, subject: str = "Berkas diterima") -> Notification:
    return Notification.objects.create(user=user, subject=subject, texts={})


def test_the_unread_count_is_kept_and_follows_each_change_at_once(login, bob, alice, settings):
    settings.REPORT_FIGURES_CACHE_SECONDS = 60  # kept, as in production
    cache.clear()
    client = login(bob)
    _notice(bob)
    _notice(bob, "Jadwal uji")
    assert _badge(client)[0] == "2"
    count, counted = _badge(client)
    assert (count, counted) == ("2", [])  # kept: no count of the notices
    _notice(alice)  # another person's notice changes nothing of bob's
    assert _badge(client) == ("2", [])
    third = _notice(bob, "Sertifikat terbit")
    assert _badge(client)[0] == "3"
    services.mark_read(bob, third.pk)  # an update: no signal, the service forgets the count
    assert _badge(client)[0] == "2"
    Notification.objects.filter(user=bob, read_at__isnull=True).first().delete()
    assert _badge(client)[0] == "1"
    services.mark_read(bob)
    assert _badge(client)[0] == ""


def test_a_count_kept_under_an_evicted_version_is_never_read_back(login, bob, settings):
    settings.REPORT_FIGURES_CACHE_SECONDS = 60
    cache.clear()
    client = login(bob)
    _notice(bob)
    assert _badge(client)[0] == "1"
    cache.delete(f"notifications:unread-version:{bob.pk}")  # evicted: the next version starts anew
    Notification.objects.bulk_create([Notification(user=bob, subject="Tanpa sinyal", texts={})])
    assert _badge(client)[0] == "2"


def test_without_keeping_each_page_counts(login, bob, settings):
    settings.REPORT_FIGURES_CACHE_SECONDS = 0
    client = login(bob)
    _notice(bob)
    Notification.objects.bulk_create([Notification(user=bob, subject="Tanpa sinyal", texts={})])
    count, counted = _badge(client)
    assert count == "2" and len(counted) == 1
