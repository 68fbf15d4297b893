"""The periodic sweep: warnings, breach notices and escalations, each exactly once, in the recipient's language."""

import threading
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections
from django.urls import reverse

from certportal.notifications.models import Notification
from certportal.sla import services as sla
from certportal.sla.models import Notice
from certportal.sla.sweep import run_sweep
from tests.conftest import wait_for
from tests.factories import UserFactory

from .sla_helpers import at, sla_reference_fixture, tracked_users_fixture  # noqa: F401

pytestmark = [pytest.mark.usefixtures("sla_reference")]


def sweep_on(day: date, capture):
    with time_machine.travel(at(day, 7), tick=False), capture(execute=True):
        return run_sweep()


@pytest.fixture
def dossier(tracked_users, victor):
    """A certification dossier complete on Mon 2 Nov 2026 (target Fri 20 Nov, limit Mon 14 Dec), owned by Victor."""
    item = UserFactory(full_name="Dewi Lestari")
    tracked_users[item.pk] = [victor]
    sla.start_clock(item, "certification", at=at(date(2026, 11, 2)))
    return item


@pytest.mark.django_db
def test_nothing_is_sent_while_an_item_is_on_track(dossier, django_capture_on_commit_callbacks):
    assert sweep_on(date(2026, 11, 16), django_capture_on_commit_callbacks).total == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_warning_breach_and_escalation_are_each_sent_once(dossier, victor, sofia, django_capture_on_commit_callbacks):
    sweep_on(date(2026, 11, 18), django_capture_on_commit_callbacks)  # two working days before the target
    assert [m.to for m in mail.outbox] == [[victor.email]]
    assert mail.outbox[0].subject == "Segera jatuh tempo: Berkas Dewi Lestari"
    assert "20 November 2026" in mail.outbox[0].body and "/berkas/" in mail.outbox[0].body
    sweep_on(date(2026, 11, 19), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1  # the warning is not repeated
    sweep_on(date(2026, 11, 23), django_capture_on_commit_callbacks)
    assert mail.outbox[-1].subject == "Melewati target: Berkas Dewi Lestari" and mail.outbox[-1].to == [victor.email]
    sweep_on(date(2026, 12, 15), django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == [sofia.email]
    assert mail.outbox[-1].subject == "Batas waktu terlampaui: Berkas Dewi Lestari"
    sweep_on(date(2026, 12, 16), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3
    assert sorted(Notice.objects.values_list("threshold", flat=True)) == ["due_soon", "escalated", "overdue"]


@pytest.mark.django_db
def test_e_mail_is_in_the_recipients_language(tracked_users, django_capture_on_commit_callbacks):
    english = UserFactory(preferred_language="en", email="eng@example.go.id")
    item = UserFactory(full_name="Budi")
    tracked_users[item.pk] = [english]
    sla.start_clock(item, "complaint-followup", at=at(date(2026, 11, 2)))
    sweep_on(date(2026, 11, 4), django_capture_on_commit_callbacks)
    assert mail.outbox[0].subject == "Due soon: Berkas Budi"
    assert "is due on 5 November 2026" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_sweep_after_days_without_one_catches_up(dossier, victor, sofia, django_capture_on_commit_callbacks):
    """The broker was down for weeks: the next sweep sends what is still true now (no stale warning)."""
    result = sweep_on(date(2026, 12, 21), django_capture_on_commit_callbacks)
    assert dict(result.sent) == {"escalated": 1, "overdue": 1}
    assert {tuple(m.to) for m in mail.outbox} == {(victor.email,), (sofia.email,)}


@pytest.mark.django_db
def test_paused_stopped_and_cancelled_items_get_no_notice(tracked_users, victor, django_capture_on_commit_callbacks):
    paused, stopped, cancelled = UserFactory(), UserFactory(), UserFactory()
    for item in (paused, stopped, cancelled):
        tracked_users[item.pk] = [victor]
        sla.start_clock(item, "complaint-followup", at=at(date(2026, 11, 2)))
    sla.pause_clock(paused, "complaint-followup", at=at(date(2026, 11, 3)))
    sla.stop_clock(stopped, "complaint-followup", at=at(date(2026, 11, 4)))
    sla.cancel_clock(cancelled, "complaint-followup")
    assert sweep_on(date(2026, 11, 20), django_capture_on_commit_callbacks).total == 0


@pytest.mark.django_db
def test_in_portal_notifications_with_unread_count(dossier, victor, login, django_capture_on_commit_callbacks):
    sweep_on(date(2026, 11, 23), django_capture_on_commit_callbacks)
    assert Notification.objects.filter(user=victor).count() == 1
    page = login(victor).get(reverse("notifications:inbox"))
    html = page.content.decode()
    assert "Melewati target: Berkas Dewi Lestari" in html
    assert 'data-testid="unread-count">1<' in html


@pytest.mark.django_db
def test_nobody_responsible_means_the_supervisors_are_told(tracked_users, sofia, django_capture_on_commit_callbacks):
    item = UserFactory(full_name="Tanpa Petugas")
    sla.start_clock(item, "complaint-followup", at=at(date(2026, 11, 2)))
    sweep_on(date(2026, 11, 4), django_capture_on_commit_callbacks)
    assert mail.outbox[0].to == [sofia.email]


@pytest.mark.django_db
def test_the_portal_keeps_serving_pages_and_mail_when_the_broker_is_down(
        dossier, victor, sofia, login, settings, django_capture_on_commit_callbacks):
    from tests.conftest import temporary_celery_app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    with temporary_celery_app("redis://127.0.0.1:1/0"):  # nothing listens there
        assert login(sofia).get(reverse("sla:dashboard")).status_code == 200
        sweep_on(date(2026, 11, 23), django_capture_on_commit_callbacks)  # the e-mail waits in the outbox
    from certportal.outbox.models import OutboxMessage
    from certportal.outbox.services import relay_pending

    waiting = OutboxMessage.objects.filter(status="pending", kwargs__to=[victor.email])
    assert waiting.exists() and not [m for m in mail.outbox if m.to == [victor.email]]
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the broker is back (in-process here)
    assert relay_pending() >= 1
    assert mail.outbox[-1].to == [victor.email] and not waiting.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql("two connections take row locks on the unique index")
def test_two_concurrent_sweeps_send_each_notice_exactly_once(tracked_users, victor, sofia):
    from certportal.sla import reference

    reference.load()
    items = [UserFactory(full_name=f"Item {i}") for i in range(30)]
    for item in items:
        tracked_users[item.pk] = [victor]
        sla.start_clock(item, "complaint-followup", at=at(date(2026, 11, 2)))  # limit 5 Nov
    barrier, results, errors = threading.Barrier(2), [], []

    def worker():
        try:
            barrier.wait()
            with time_machine.travel(at(date(2026, 11, 9), 7), tick=False):
                results.append(run_sweep(batch=7))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    # each item: one overdue notice to Victor and one escalation to Sofia, whoever claimed it
    assert Notice.objects.count() == 60
    assert sum(r.total for r in results) == 60
    assert Notification.objects.filter(user=victor).count() == 30
    assert Notification.objects.filter(user=sofia).count() == 30
    assert len(mail.outbox) == 60


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql("two connections take row locks on the unique index")
def test_a_sweep_waits_for_a_claim_in_flight_and_then_skips_it(tracked_users, victor):
    """Sweep A has INSERTed the notice row but not committed; sweep B blocks on the unique index, then skips."""
    from django.db import transaction

    from certportal.sla import reference
    from certportal.sla.sweep import send_notice

    reference.load()
    item = UserFactory(full_name="Satu")
    tracked_users[item.pk] = [victor]
    clock = sla.start_clock(item, "complaint-answer", at=at(date(2026, 11, 2)))  # due 20 Nov, limit 20 Nov
    claimed, results = threading.Event(), []

    def b_waits_on_the_claim() -> bool:
        with connection.cursor() as cursor:  # sweep A's own connection, inside its transaction: a fresh look
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # (a transaction keeps its first view of the table)
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                           " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'")
            return cursor.fetchone()[0] > 0

    def sweep_a():
        try:
            with transaction.atomic():
                send_notice(clock, "overdue", item, date(2026, 11, 23), [])
                claimed.set()
                wait_for(lambda: results or b_waits_on_the_claim(), timeout=30)  # the claim kept until B waits on it
        finally:
            connections.close_all()

    def sweep_b():
        try:
            claimed.wait(10)
            with time_machine.travel(at(date(2026, 11, 23), 7), tick=False):
                results.append(run_sweep())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep_a), threading.Thread(target=sweep_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results[0].skipped == 1 and results[0].sent.get("overdue", 0) == 0
    assert Notice.objects.filter(clock=clock, threshold="overdue").count() == 1
    assert Notification.objects.filter(user=victor).count() == 1
