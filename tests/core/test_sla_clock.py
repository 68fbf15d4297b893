"""The clock API every app calls: start, pause/resume, stop, cancel, states, list annotations."""

from datetime import UTC, date

import pytest
import time_machine

from certportal.accounts.models import Role, User
from certportal.audit.models import AuditEntry
from certportal.sla import services as sla
from certportal.sla.models import Clock, SlaPolicy
from tests.factories import UserFactory

from .sla_helpers import at, sla_reference_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sla_reference")]


@pytest.fixture
def item(db):
    return UserFactory(full_name="Dossier Dewi", roles=[Role.APPLICANT])


def test_start_copies_the_policy_and_counts_working_days_from_complete(item):
    # complete and correct on Wednesday 16 Dec 2026: 14 working days skip Christmas joint leave and New Year
    clock = sla.start_clock(item, "certification", at=at(date(2026, 12, 16)))
    assert (clock.target_days, clock.limit_days) == (14, 30)
    assert clock.target_due == date(2027, 1, 11)  # 5 Jan 2027 is Isra' Mi'raj
    assert clock.limit_due == date(2027, 2, 2)
    assert AuditEntry.objects.filter(action="sla.start").count() == 1


def test_start_is_idempotent(item):
    first = sla.start_clock(item, "complaint-followup", at=at(date(2026, 11, 2)))
    again = sla.start_clock(item, "complaint-followup", at=at(date(2026, 11, 10)))
    assert again.pk == first.pk and again.start_date == date(2026, 11, 2)
    assert Clock.objects.count() == 1


def test_a_change_of_policy_applies_to_new_items_only(item, lina):
    old = sla.start_clock(item, "appeal", at=at(date(2026, 11, 2)))
    sla.policy_update(policy=SlaPolicy.objects.get(code="appeal"), actor=lina, target_days=5, limit_days=7)
    new = sla.start_clock(UserFactory(), "appeal", at=at(date(2026, 11, 2)))
    old.refresh_from_db()
    assert (old.target_days, old.target_due) == (10, date(2026, 11, 16))
    assert (new.target_days, new.target_due) == (5, date(2026, 11, 9))
    entry = AuditEntry.objects.get(action="sla.policy.update")
    assert entry.actor == lina and "target_days: 10 → 5" in entry.note


def test_policy_limit_shorter_than_target_is_refused(lina):
    with pytest.raises(sla.SlaError):
        sla.policy_update(policy=SlaPolicy.objects.get(code="appeal"), actor=lina, target_days=9, limit_days=3)


def test_paused_clock_moves_its_due_dates_by_the_working_days_spent_paused(item):
    sla.start_clock(item, "complaint-answer", at=at(date(2026, 11, 2)))  # Monday
    clock = sla.clock_for(item, "complaint-answer")
    assert clock.target_due == date(2026, 11, 20)
    sla.pause_clock(item, "complaint-answer", at=at(date(2026, 11, 4)))
    assert sla.clock_state(sla.clock_for(item, "complaint-answer"), today=date(2026, 11, 25)) == sla.PAUSED
    sla.resume_clock(item, "complaint-answer", at=at(date(2026, 11, 11)))  # 5 working days later
    clock = sla.clock_for(item, "complaint-answer")
    assert clock.paused_working_days == 5
    assert clock.target_due == date(2026, 11, 27)
    assert clock.limit_due == date(2026, 11, 27)


def test_pause_states_of_the_policy_pause_and_resume(item):
    SlaPolicy.objects.filter(code="appeal").update(pause_states=["waiting_applicant"])
    sla.start_clock(item, "appeal", at=at(date(2026, 11, 2)))
    sla.apply_state(item, "appeal", "waiting_applicant", at=at(date(2026, 11, 3)))
    assert sla.clock_for(item, "appeal").paused_since == date(2026, 11, 3)
    sla.apply_state(item, "appeal", "in_review", at=at(date(2026, 11, 5)))
    assert sla.clock_for(item, "appeal").paused_since is None
    assert sla.clock_for(item, "appeal").target_due == date(2026, 11, 18)


def test_stop_records_met_within_the_limit_and_breached_after_it(item):
    other = UserFactory()
    sla.start_clock(item, "certification", at=at(date(2026, 11, 2)))
    sla.start_clock(other, "certification", at=at(date(2026, 11, 2)))
    met = sla.stop_clock(item, "certification", at=at(date(2026, 11, 30)))  # past target, within limit
    breached = sla.stop_clock(other, "certification", at=at(date(2026, 12, 31)))
    assert (met.outcome, met.elapsed_working_days) == ("met", 20)
    assert breached.outcome == "breached"
    assert sla.clock_state(met) == sla.MET and sla.clock_state(breached) == sla.BREACHED
    assert sla.stop_clock(item, "certification").stopped_at == met.stopped_at  # idempotent


def test_cancelled_clock_no_longer_counts_and_can_start_again(item):
    sla.start_clock(item, "certification", at=at(date(2026, 11, 2)))
    sla.cancel_clock(item, "certification")
    assert sla.clock_state(sla.clock_for(item, "certification")) == sla.CANCELLED
    restarted = sla.start_clock(item, "certification", at=at(date(2026, 11, 9)))
    assert restarted.outcome == "open" and restarted.start_date == date(2026, 11, 9)


def test_states_follow_the_calendar_with_frozen_time(item):
    sla.start_clock(item, "complaint-followup", at=at(date(2026, 12, 21)))  # Monday: due Mon 28 Dec
    clock = sla.clock_for(item, "complaint-followup")
    assert clock.target_due == date(2026, 12, 28)  # 24 and 25 Dec are joint leave and Christmas
    # the policy warns one working day ahead: on Wednesday 23 Dec the next working day is the 28th
    for today, state in [(date(2026, 12, 22), "on_track"), (date(2026, 12, 23), "due_soon"),
                         (date(2026, 12, 28), "due_soon"), (date(2026, 12, 29), "overdue")]:
        with time_machine.travel(at(today), tick=False):
            assert sla.clock_state(clock) == state, today


def test_unknown_policy_is_a_clear_error(item):
    with pytest.raises(sla.SlaError, match="nosuch"):
        sla.start_clock(item, "nosuch")


def test_annotate_and_filter_deadline_for_a_list_in_one_query(item, django_assert_num_queries):
    late, soon, fine = UserFactory(), UserFactory(), UserFactory()
    sla.start_clock(late, "complaint-followup", at=at(date(2026, 11, 2)))   # due 5 Nov
    sla.start_clock(soon, "complaint-followup", at=at(date(2026, 11, 17)))  # due 20 Nov
    sla.start_clock(fine, "complaint-followup", at=at(date(2026, 11, 30)))  # due 3 Dec
    users = User.objects.filter(pk__in=[late.pk, soon.pk, fine.pk, item.pk]).order_by("pk")
    with django_assert_num_queries(1):
        rows = {u.pk: u for u in sla.annotate_deadline(users, "complaint-followup")}
    assert rows[late.pk].sla_target_due == date(2026, 11, 5) and rows[item.pk].sla_target_due is None
    assert rows[soon.pk].sla_outcome == "open"
    today = date(2026, 11, 19)
    pick = {s: set(sla.filter_deadline_state(users, "complaint-followup", s, today=today).values_list("pk", flat=True))
            for s in ("overdue", "due_soon", "on_track")}
    assert pick == {"overdue": {late.pk}, "due_soon": {soon.pk}, "on_track": {fine.pk}}


def test_days_are_counted_in_jakarta_time(item):
    from datetime import datetime

    # 23:30 UTC on Monday 2 Nov is already Tuesday 3 Nov in Jakarta
    clock = sla.start_clock(item, "complaint-followup", at=datetime(2026, 11, 2, 23, 30, tzinfo=UTC))
    assert clock.start_date == date(2026, 11, 3)
    assert clock.target_due == date(2026, 11, 6)
