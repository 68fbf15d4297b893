"""List pages run a constant number of queries whatever the page size."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.certificates.models import Certificate
from assessments.events.models import Appeal, Event, EventAssessor, Participant

from .factories import make_application

pytestmark = pytest.mark.django_db


def _events(n, scheme, site, assessor):
    events = Event.objects.bulk_create([Event(scheme=scheme, test_site=site, starts_at=timezone.now())
                                        for _ in range(n)])
    EventAssessor.objects.bulk_create([EventAssessor(event=e, assessor=assessor) for e in events])
    return events


def _certificates(n, scheme, site):
    event = Event.objects.create(scheme=scheme, test_site=site, starts_at=timezone.now())
    today = timezone.localdate()
    for i in range(n):
        app = make_application(scheme)
        p = Participant.objects.create(event=event, application=app, decision="BK" if i % 2 else "K")
        Certificate.objects.create(participant=p, application=app, number=f"{p.pk}/T/{today.year}", year=today.year,
                                   sequence=p.pk, verification_code=f"CODE{p.pk:012d}", issued_on=today,
                                   expires_on=today, holder_name=app.applicant_name, scheme_code=scheme.code,
                                   scheme_name=scheme.name)
        if i % 2:
            Appeal.objects.create(participant=p, grounds="Alasan")


@pytest.mark.parametrize("url_name,who", [("assessments:events", "lina"), ("assessments:assessor-home", "asa"),
                                          ("assessments:reviews", "tono")])
def test_event_lists_use_constant_queries(request, login, django_assert_max_num_queries, scheme, site, assessor,
                                          url_name, who, settings):
    # counted on each view: the assessor's and the reviewers' lists are otherwise kept (tested below), and the
    # events are written in bulk, which no signal reports
    settings.REPORT_FIGURES_CACHE_SECONDS = 0
    client = login(request.getfixturevalue(who))
    _events(5, scheme, site, assessor)
    with django_assert_max_num_queries(20) as small:
        assert client.get(reverse(url_name)).status_code == 200
    _events(55, scheme, site, assessor)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", ["assessments:certificates", "assessments:appeals"])
def test_certificate_and_appeal_lists_use_constant_queries(login, lina, django_assert_max_num_queries, scheme, site,
                                                           url_name):
    client = login(lina)
    _certificates(5, scheme, site)
    with django_assert_max_num_queries(20) as small:
        assert client.get(reverse(url_name)).status_code == 200
    _certificates(55, scheme, site)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", ["assessments:events", "assessments:certificates", "assessments:appeals",
                                      "assessments:assessors"])
def test_staff_lists_refuse_applicants_and_assessors(login, alice, other_assessor_user, url_name):
    assert login(alice).get(reverse(url_name)).status_code == 403
    if url_name != "assessments:events":
        assert login(other_assessor_user).get(reverse(url_name)).status_code == 403


def test_the_event_list_counts_once_a_minute_but_shows_a_new_or_moved_event_at_once(login, lina, scheme, site,
                                                                                     settings):
    """The count of every event (or of one status) is kept a minute for a reader who sees them all, not taken on
    every view (it read the whole index at the national size); any event saved forgets it at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.REPORT_FIGURES_CACHE_SECONDS = 60  # kept, as in production
    lina.preferred_language = "en"
    lina.save()
    for _ in range(25):
        Event.objects.create(scheme=scheme, test_site=site, starts_at=timezone.now())
    client = login(lina)
    assert "Page 1 of" not in client.get(reverse("assessments:events")).content.decode()  # 25: one page
    with CaptureQueriesContext(connection) as ctx:
        assert "Page 1 of" not in client.get(reverse("assessments:events")).content.decode()
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)") and "assessments_event" in q["sql"]]
    newest = Event.objects.create(scheme=scheme, test_site=site, starts_at=timezone.now())
    assert "Page 1 of 2" in client.get(reverse("assessments:events")).content.decode()
    archived = client.get(reverse("assessments:events"), {"status": "archived"}).content.decode()
    assert f"/asesmen/acara/{newest.pk}/" not in archived
    newest.status = "archived"
    newest.save(update_fields=["status"])
    archived = client.get(reverse("assessments:events"), {"status": "archived"}).content.decode()
    assert f"/asesmen/acara/{newest.pk}/" in archived


def _plan_nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


@pytest.mark.postgresql("reads PostgreSQL's own account of the plan it ran (EXPLAIN ANALYZE)")
@pytest.mark.parametrize("who", ["asa", "tono"])
def test_an_assessor_s_and_a_kepala_tuk_s_lists_count_the_participants_of_the_rows_shown_only(
        request, scheme, site, assessor, who):
    """Issue 47: an assessor's page and a Kepala TUK's lists read their own events; made distinct (a join of the
    event's assessors), PostgreSQL counted the participants of every event of the reader's history before the
    page was cut. Counted for the 50 rows shown, the page does not grow with the history."""
    from django.db import connection

    from assessments.events.selectors import events_assessed_by, events_visible_to
    from assessments.events.views.events import _list_events

    _events(60, scheme, site, assessor)
    user = request.getfixturevalue(who)
    shown = _list_events(events_assessed_by(user) if who == "asa" else events_visible_to(user))[:50]
    sql, params = shown.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    counted = [n["Actual Loops"] for n in _plan_nodes(plan[0]["Plan"])
               if n.get("Relation Name") == "assessments_participant"]
    assert len(list(shown)) == 50
    assert counted and max(counted) <= 50, counted


@pytest.mark.parametrize("url_name,who", [("assessments:assessor-home", "asa"), ("assessments:reviews", "tono")])
def test_the_assessor_s_and_the_reviewers_homes_are_kept_until_an_event_changes(
        on_23_november, request, login, scheme, site, assessor, url_name, who, settings):
    """Issue 47: their lists are kept per reader (``certportal.workqueue.kept``): a second view reads no event,
    and an event saved (a new one, a status moved) or deleted shows at once."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.events.models import EventStatus

    settings.REPORT_FIGURES_CACHE_SECONDS = 60  # kept, as in production
    cache.clear()
    client = login(request.getfixturevalue(who))
    first = Event.objects.create(scheme=scheme, test_site=site, starts_at=timezone.now(),
                                 status=EventStatus.REPORT_SIGNED)
    EventAssessor.objects.create(event=first, assessor=assessor)
    assert client.get(reverse(url_name)).content.decode().count(f"/asesmen/acara/{first.pk}/") == 1
    with CaptureQueriesContext(connection) as queries:
        kept = client.get(reverse(url_name)).content.decode()
    assert not [q["sql"] for q in queries.captured_queries if "assessments_event" in q["sql"]]
    assert kept.count(f'<a href="/asesmen/acara/{first.pk}/">') == 1  # the kept table, drawn as HTML
    second = Event.objects.create(scheme=scheme, test_site=site, starts_at=timezone.now(),
                                  status=EventStatus.REPORT_SIGNED)
    EventAssessor.objects.create(event=second, assessor=assessor)
    assert f"/asesmen/acara/{second.pk}/" in client.get(reverse(url_name)).content.decode()
    first.status = EventStatus.REVIEWED
    first.save(update_fields=["status"])
    html = client.get(reverse(url_name)).content.decode()
    reviewed = html[html.rindex("<h2"):]  # the last list: the events reviewed
    assert f"/asesmen/acara/{first.pk}/" in reviewed
    second.delete()
    assert f"/asesmen/acara/{second.pk}/" not in client.get(reverse(url_name)).content.decode()
