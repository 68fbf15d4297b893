"""The SLA dashboard runs a constant number of queries, whatever the number of breached items (issue 17)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certportal.accounts.models import Role, User, UserRole
from certportal.sla.models import Clock, SlaPolicy
from certportal.sla.registry import register_tracked, unregister_tracked
from certportal.sla.selectors import dashboard_changed

from .sla_helpers import at, sla_reference_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sla_reference")]
TODAY = date(2026, 11, 20)


def add_breached(n: int, start: int) -> None:
    """``n`` items whose follow-up clock ran past its limit a week ago (and is due, so also at risk)."""
    users = User.objects.bulk_create(
        User(email=f"item{i}@bkpsdm.go.id", full_name=f"Berkas {i:05}", password="!") for i in range(start, start + n))
    policy = SlaPolicy.objects.get(code="complaint-followup")
    ct = ContentType.objects.get_for_model(User)
    Clock.objects.bulk_create(
        Clock(content_type=ct, object_id=u.pk, policy=policy, target_days=5, limit_days=10,
              started_at=at(TODAY - timedelta(days=30)), start_date=TODAY - timedelta(days=30),
              target_due=TODAY - timedelta(days=10), limit_due=TODAY - timedelta(days=7)) for u in users)
    dashboard_changed()  # a bulk write sends no signal: it tells the dashboard itself


def dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("sla:dashboard") + "?format=csv")
        body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200
    return len(ctx.captured_queries), body


@pytest.fixture(params=["role", "bulk"])
def registration(request, victor):
    """Items tracked with a role (everyone with it answers for each) or with a bulk function of the items."""
    if request.param == "role":
        register_tracked(User, role=Role.VERIFIER, label=lambda u: u.full_name)
    else:
        def owners(objs):
            list(User.objects.filter(pk=victor.pk))  # a real query, run once for the whole list
            return {obj.pk: [victor] for obj in objs}
        register_tracked(User, responsible_many=owners, label=lambda u: u.full_name)
    yield request.param
    unregister_tracked(User)


@time_machine.travel(at(TODAY, 10), tick=False)
def test_dashboard_queries_do_not_grow_from_10_to_1000_breaches(registration, login, sofia, victor):
    client = login(sofia)
    UserRole.objects.get_or_create(user=victor, role=Role.VERIFIER)
    add_breached(10, 0)
    client.get(reverse("sla:dashboard"))  # warm the caches every request shares (content types, calendar)
    dashboard_changed()  # count the figures computed, not read from the dashboard's own cache
    small, body = dashboard_queries(client)
    assert "Victor Verifier,10" in body
    add_breached(990, 10)
    large, body = dashboard_queries(client)
    assert "Victor Verifier,1000" in body
    assert body.count("Berkas ") == 100  # the at-risk list shows the 100 most urgent
    assert large == small
    assert small <= 20


@time_machine.travel(at(TODAY, 10), tick=False)
def test_the_dashboard_keeps_its_figures_and_a_saved_clock_refreshes_them(registration, login, sofia, victor):
    """Its figures are the same for every reader: a second view (another supervisor's) reads them from the
    cache; a clock saved anywhere shows at once."""
    UserRole.objects.get_or_create(user=victor, role=Role.VERIFIER)
    add_breached(10, 0)
    client = login(sofia)
    client.get(reverse("sla:dashboard"))  # warm the caches every request shares (content types, calendar)
    dashboard_changed()
    computed, body = dashboard_queries(client)
    sari = User.objects.create(email="sari@lsp.go.id", full_name="Sari Supervisor", password="!")
    UserRole.objects.create(user=sari, role=Role.SUPERVISOR)
    kept, again = dashboard_queries(login(sari))
    assert again == body and "Victor Verifier,10" in body
    assert kept <= computed - 4
    item = User.objects.create(email="item-late@bkpsdm.go.id", full_name="Berkas Terlambat", password="!")
    Clock.objects.create(content_type=ContentType.objects.get_for_model(User), object_id=item.pk,
                         policy=SlaPolicy.objects.get(code="complaint-followup"), target_days=5, limit_days=10,
                         started_at=at(TODAY - timedelta(days=30)), start_date=TODAY - timedelta(days=30),
                         target_due=TODAY - timedelta(days=10), limit_due=TODAY - timedelta(days=7))
    _n, body = dashboard_queries(client)
    assert "Victor Verifier,11" in body and "Berkas Terlambat" in body
