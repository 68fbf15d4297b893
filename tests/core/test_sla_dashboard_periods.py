"""The SLA dashboard keeps the figures of closed months (and of this month's days before today) and reads only
today's stopped clocks and the open ones on a recompute: its figures must stay exactly those of the whole history
counted afresh, across months in WIB, pauses over a month end, restarts, breaches, and after any change to a clock
(a stop dated in a closed month, an edit, a deletion, a bulk write)."""

import math
from collections import Counter, defaultdict
from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certportal import versions
from certportal.accounts.models import Role
from certportal.sla import selectors
from certportal.sla import services as sla
from certportal.sla.models import Clock, SlaPolicy
from certportal.sla.registry import describe, register_tracked, responsible_many, unregister_tracked
from tests.factories import UserFactory

from .sla_helpers import JAKARTA, at, sla_reference_fixture, tracked_users_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sla_reference")]
TODAY = date(2026, 11, 20)  # a Friday


def straight(today: date, months: int) -> dict:
    """The dashboard's figures counted afresh from every clock, in Python, the plain way."""
    since = selectors.month_start(today, months)
    policies = list(SlaPolicy.objects.order_by("code"))
    clocks = list(Clock.objects.select_related("policy").order_by("pk"))
    finished = [c for c in clocks if c.outcome in ("met", "breached") and c.stop_date >= since]
    cells = defaultdict(lambda: [0, 0, 0])
    for c in finished:
        cell = cells[(c.stop_date.replace(day=1), c.policy.code, c.policy.name)]
        cell[0] += 1
        cell[1] += c.outcome == "met"
        cell[2] += c.target_due is not None and c.stop_date <= c.target_due
    by_service = []
    for policy in policies:
        days = sorted(c.elapsed_working_days or 0 for c in finished if c.policy_id == policy.pk)
        met = sum(c.outcome == "met" for c in finished if c.policy_id == policy.pk)
        by_service.append((policy.code, len(days), met, round(sum(days) / len(days), 1) if days else None,
                           days[max(math.ceil(0.9 * len(days)) - 1, 0)] if days else None))
    late = [c for c in clocks if (c.outcome == "breached" and c.stop_date >= since)
            or (c.outcome == "open" and c.limit_due < today)]
    breaches = Counter()
    for c in late:
        item = c.item
        people = responsible_many(type(item), [item]).get(item.pk) if item is not None else None
        for person in people or [None]:
            breaches[(person.full_name or person.email) if person else ""] += 1
    soon = {p.pk: sla.warn_date(p, today) for p in policies}
    risky = sorted((c for c in clocks if c.outcome == "open" and not c.paused_since
                    and c.target_due <= soon[c.policy_id]), key=lambda c: (c.target_due, c.pk))
    return {
        "by_month": sorted((m, code, name, *cell) for (m, code, name), cell in cells.items()),
        "by_service": by_service,
        "breaches": sorted(breaches.items(), key=lambda kv: (-kv[1], kv[0])),
        "at_risk": [(describe(c.item)[0], c.target_due) for c in risky[:100]], "at_risk_total": len(risky),
    }


def shown(data: dict) -> dict:
    return {
        "by_month": [(r.month, r.policy_code, r.policy_name, r.total, r.met, r.within_target)
                     for r in data["by_month"]],
        "by_service": [(r.policy.code, r.total, r.met, r.average, r.p90) for r in data["by_service"]],
        "breaches": data["breaches"],
        "at_risk": [(r.label, r.clock.target_due) for r in data["at_risk"]], "at_risk_total": data["at_risk_total"],
    }


def assert_same(today: date = TODAY) -> None:
    """Every period: computed with the kept months, read back from them, and without any cache."""
    for months in (1, 3, 12):
        expected = straight(today, months)
        assert shown(selectors.cached_dashboard(today, months)) == expected, months
        versions.move_now(selectors.DASHBOARD_VERSION_KEY)  # a clock changed elsewhere: months read back
        assert shown(selectors.cached_dashboard(today, months)) == expected, months
        with override_settings(SLA_DASHBOARD_CACHE_SECONDS=0):
            assert shown(selectors.cached_dashboard(today, months)) == expected, months


@pytest.fixture
def groups():
    """A second kind of item, whose staff is a role (every active verifier answers for each)."""
    register_tracked(Group, role=Role.VERIFIER, label=lambda g: f"Kelompok {g.name}")
    yield
    unregister_tracked(Group)


def wib(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=JAKARTA)


@pytest.fixture
def history(tracked_users, groups, victor, asa):
    """Clocks from August to today. Two stopped either side of midnight WIB on 30 September (the second is
    still 30 September in UTC), one paused over the end of September, one stopped and the item's appeal started
    after it, one restarted after a cancel, breaches stopped and open, a follow-up due soon, and stops earlier
    this month and today."""
    owners = tracked_users
    items = {}

    def item(name, owner=None):
        items[name] = UserFactory(full_name=name)
        owners[items[name].pk] = [owner] if owner else []
        return items[name]

    sla.start_clock(item("Ani", victor), "certification", at=at(date(2026, 8, 3)))
    sla.stop_clock(items["Ani"], "certification", at=at(date(2026, 10, 5)))  # breached
    sla.start_clock(item("Bayu", victor), "complaint-answer", at=at(date(2026, 9, 14)))
    sla.stop_clock(items["Bayu"], "complaint-answer", at=wib(date(2026, 9, 30), 23, 30))  # September
    sla.start_clock(item("Citra", asa), "complaint-answer", at=at(date(2026, 9, 14)))
    sla.stop_clock(items["Citra"], "complaint-answer", at=wib(date(2026, 10, 1), 0, 30))  # October in WIB
    sla.start_clock(item("Dodi", asa), "certification", at=at(date(2026, 9, 21)))
    sla.pause_clock(items["Dodi"], "certification", at=at(date(2026, 9, 28)))
    sla.resume_clock(items["Dodi"], "certification", at=at(date(2026, 10, 5)))
    sla.stop_clock(items["Dodi"], "certification", at=at(date(2026, 10, 20)))
    sla.start_clock(item("Eka", victor), "certification", at=at(date(2026, 9, 1)))
    sla.stop_clock(items["Eka"], "certification", at=at(date(2026, 10, 9)))
    sla.start_clock(items["Eka"], "appeal", at=at(date(2026, 10, 12)))  # stopped, then another started
    sla.stop_clock(items["Eka"], "appeal", at=at(date(2026, 11, 3)))
    sla.start_clock(item("Fajar"), "appeal", at=at(date(2026, 9, 7)))  # open past its limit, nobody answers
    sla.start_clock(item("Gita", asa), "certification", at=at(date(2026, 8, 10)))
    sla.cancel_clock(items["Gita"], "certification")
    sla.start_clock(items["Gita"], "certification", at=at(date(2026, 10, 26)))  # restarted, open
    sla.start_clock(item("Hadi", victor), "complaint-followup", at=at(date(2026, 11, 17)))  # due soon
    sla.start_clock(item("Indah", asa), "complaint-followup", at=at(date(2026, 11, 2)))
    sla.stop_clock(items["Indah"], "complaint-followup", at=at(date(2026, 11, 12)))  # earlier this month
    sla.start_clock(item("Joko", victor), "complaint-followup", at=at(date(2026, 11, 16)))
    sla.stop_clock(items["Joko"], "complaint-followup", at=at(TODAY, 8))  # today
    for name, start, stop in [("Kartika", date(2026, 7, 1), date(2026, 9, 30)), ("Lestari", date(2026, 10, 1), None)]:
        group = items[name] = Group.objects.create(name=f"<b>{name}</b>")
        sla.start_clock(group, "complaint-answer", at=at(start))
        if stop:
            sla.stop_clock(group, "complaint-answer", at=at(stop))
    return items


@time_machine.travel(at(TODAY, 10), tick=False)
def test_the_dashboard_counts_what_every_clock_counted_afresh_gives(history):
    months = {(m, code): total for m, code, _n, total, _met, _w in straight(TODAY, 3)["by_month"]}
    assert months[(date(2026, 9, 1), "complaint-answer")] == 2  # Bayu at 23:30 WIB and Kartika
    assert months[(date(2026, 10, 1), "complaint-answer")] == 1  # Citra at 00:30 WIB on 1 October
    assert months[(date(2026, 11, 1), "complaint-followup")] == 2  # Indah earlier this month, Joko today
    assert_same()


@time_machine.travel(at(TODAY, 10), tick=False)
def test_a_stop_dated_in_a_closed_month_an_edit_and_a_deletion_are_counted_at_once(history, victor):
    assert_same()  # the closed months are kept now
    sla.stop_clock(history["Gita"], "certification", at=at(date(2026, 10, 30)))  # a stop dated in October
    assert_same()
    moved = sla.clock_for(history["Ani"], "certification")
    moved.stop_date = date(2026, 9, 15)  # an edit (the admin): from October to September
    moved.save()
    assert_same()
    Clock.objects.filter(pk=moved.pk).update(stop_date=date(2026, 10, 5))  # back to October behind its back...
    selectors.dashboard_changed()
    moved.refresh_from_db()  # ... read again, then moved to August: October is forgotten
    assert_same()
    moved.stop_date = date(2026, 8, 31)
    moved.save()
    assert_same()
    sla.clock_for(history["Dodi"], "certification").delete()
    assert_same()
    Clock.objects.filter(pk=sla.clock_for(history["Eka"], "certification").pk).update(outcome="breached")
    selectors.dashboard_changed()  # a bulk write tells the dashboard itself
    assert_same()


@time_machine.travel(at(TODAY, 10), tick=False)
def test_a_clock_read_without_its_stop_date_forgets_every_month(history):
    assert_same()
    clock = Clock.objects.only("pk", "outcome").get(pk=sla.clock_for(history["Bayu"], "complaint-answer").pk)
    clock.stop_date = date(2026, 8, 20)  # it left September; which month it left was not read
    clock.save(update_fields=["stop_date"])
    assert_same()


@time_machine.travel(at(TODAY, 10), tick=False)
def test_a_clock_stopped_today_forgets_nothing_kept(history):
    """The common case: a recompute after a clock stopped now reads today's stops, not the month's."""
    selectors.cached_dashboard(TODAY, 12)
    sla.stop_clock(history["Hadi"], "complaint-followup", at=at(TODAY, 9))
    with CaptureQueriesContext(connection) as ctx:
        data = selectors.cached_dashboard(TODAY, 12)
    finished = [q["sql"] for q in ctx.captured_queries if "date_trunc" in q["sql"].lower()]  # (SQLite: django_date_trunc)
    assert len(finished) == 1 and "\"stop_date\" >= '2026-11-20'" in finished[0]
    assert "\"stop_date\" < '" not in finished[0]  # no kept period read again
    assert shown(data) == straight(TODAY, 12)


def test_the_month_that_closed_overnight_is_kept_from_what_was_committed(history):
    """October closes at midnight WIB and is kept at 00:05; a stop signed at 23:55 and saved at 00:10 still
    counts in October."""
    with time_machine.travel(wib(date(2026, 10, 31), 23, 50), tick=False):
        assert_same(date(2026, 10, 31))
        sla.start_clock(history["Fajar"], "certification", at=wib(date(2026, 10, 1), 9))
    with time_machine.travel(wib(date(2026, 11, 1), 0, 5), tick=False):
        assert_same(date(2026, 11, 1))
    with time_machine.travel(wib(date(2026, 11, 1), 0, 10), tick=False):
        sla.stop_clock(history["Fajar"], "certification", at=wib(date(2026, 10, 31), 23, 55))
        assert sla.clock_for(history["Fajar"], "certification").stop_date == date(2026, 10, 31)
        assert_same(date(2026, 11, 1))
    with time_machine.travel(at(TODAY, 10), tick=False):
        assert_same()


def tile(page: str, key: str) -> str:
    """The count on the work queue's tile ``key``."""
    return page.split(f'data-work="{key}"')[1].split("data-count>")[1].split("<")[0]


@time_machine.travel(at(TODAY, 10), tick=False)
def test_a_stop_today_shows_on_the_page_at_once(history, login, sofia):
    client = login(sofia)
    url = reverse("sla:dashboard") + "?months=3"
    before = client.get(url).content.decode()
    assert "Berkas Hadi" in before
    assert tile(before, "due-today") == "1" and tile(client.get(url).content.decode(), "due-today") == "1"  # kept
    sla.stop_clock(history["Hadi"], "complaint-followup", at=at(TODAY, 9))
    after = client.get(url).content.decode()
    assert "Berkas Hadi" not in after  # no longer at risk
    assert tile(after, "due-today") == "0"  # the supervisor's work queue too
    per_month = after.split('id="per-month"')[1]
    assert "<td>Tindak lanjut pengaduan</td><td class=\"text-end\">3</td>" in per_month.replace("\n", "")
