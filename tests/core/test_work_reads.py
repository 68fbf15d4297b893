"""Issue 47: a home page's work queue is kept until what it counts changes (``certportal.workqueue``).

Every work source declares the models it reads; its items are kept per person, role set, day and language and
forgotten when one of those models is saved or deleted. A source that read a table it does not declare would show
a stale count for up to a minute after a change there, so the declarations are checked here against what each
source really asks the database: every source, for every demo person who holds one of its roles. The tests of a
kept queue fix the clock: the queue is kept per day, and one crossing midnight in Jakarta would count again where it
expects a kept queue."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certportal.accounts.models import Role, User
from certportal.outbox.models import OutboxMessage
from certportal.workqueue import LISTS, WORK, WorkItem, reads, register_work, work_for

pytestmark = pytest.mark.django_db

TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')


def _name(fn) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def _declared(labels) -> set[str]:
    """The tables of the declared models, with their own many-to-many links."""
    tables = set()
    for label in labels:
        model = apps.get_model(label)
        tables.add(model._meta.db_table)
        tables |= {f.remote_field.through._meta.db_table for f in model._meta.get_fields()
                   if f.many_to_many and not f.auto_created}
    return tables


def _undeclared(fn, user) -> set[str]:
    """The tables ``fn`` read for ``user`` that its ``@reads`` leaves out (nothing kept: every query runs)."""
    cache.clear()
    user = User.objects.get(pk=user.pk)
    assert user.roles  # read before the sources are asked, as the kept queue's key holds them
    with CaptureQueriesContext(connection) as queries:
        fn(user)
    read = {table for query in queries.captured_queries for table in TABLE.findall(query["sql"])}
    return read - _declared(fn.reads)


@pytest.mark.parametrize("point", [WORK, LISTS], ids=["work sources", "homes' lists"])
def test_every_kept_source_reads_only_the_models_it_declares(demo_data, point):
    undeclared, asked = {}, set()
    for provision in point.provisions():
        for user in User.objects.with_role(provision.key):
            asked.add(_name(provision.value))
            extra = _undeclared(provision.value, user)
            if extra:
                undeclared.setdefault(_name(provision.value), set()).update(extra)
    assert not undeclared, f"kept sources reading tables their @reads leaves out: {undeclared}"
    assert asked == {_name(p.value) for p in point.provisions()}, "a kept source no demo person's role asks"


def test_the_check_sees_a_table_left_out(demo_data):
    @reads("outbox.OutboxMessage")
    def counts_complaints_too(user):
        from complaints.models import Complaint

        return [WorkItem("x", Complaint.objects.count() + OutboxMessage.objects.count(), "/")]

    admin = User.objects.with_role(Role.LSP_ADMIN).first()
    assert _undeclared(counts_complaints_too, admin) == {"complaints_complaint"}


def test_a_source_without_its_reads_is_refused():
    with pytest.raises(ImproperlyConfigured, match="without @reads"):
        register_work(Role.LSP_ADMIN, lambda user: [])


def test_a_list_kept_without_its_registration_is_refused(lina):
    """A kept list must be registered (``register_list``): only what is registered has its reads checked above."""
    from certportal.workqueue import kept

    @reads("outbox.OutboxMessage")
    def unchecked(user):
        return OutboxMessage.objects.count()

    with pytest.raises(ImproperlyConfigured, match="without register_list"):
        kept(unchecked, lina)


def _failed_emails(user) -> int:
    return next(i.count for i in work_for(Role.LSP_ADMIN, user) if i.key == "failed-outbox")


def _failed(n: int) -> None:
    for i in range(n):
        OutboxMessage.objects.create(task=f"send_{i}",
                                     status=OutboxMessage.Status.FAILED)


def test_a_kept_queue_asks_nothing_and_follows_a_change_at_once(on_23_november, lina, settings):
    settings.REPORT_FIGURES_CACHE_SECONDS = 60  # kept, as in production
    cache.clear()
    _failed(2)
    assert _failed_emails(lina) == 2
    with CaptureQueriesContext(connection) as queries:
        items = work_for(Role.LSP_ADMIN, lina)
    assert not queries.captured_queries, [q["sql"] for q in queries.captured_queries]
    assert next(i.count for i in items if i.key == "failed-outbox") == 2
    _failed(1)  # a save of a model the source reads forgets what was kept
    assert _failed_emails(lina) == 3
    OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).first().delete()
    assert _failed_emails(lina) == 2
    # the model's version evicted from the cache (the items kept): a row added where no signal sees it is counted,
    # since the version starts again at a new number, not at one the kept items were stored under
    cache.delete("work:model:outbox.OutboxMessage")
    OutboxMessage.objects.bulk_create([OutboxMessage(task="send_y",
                                                     status=OutboxMessage.Status.FAILED)])
    assert _failed_emails(lina) == 3


def test_a_write_no_signal_reports_is_counted_once_the_service_says_so(on_23_november, lina, settings):
    """``QuerySet.update()`` sends no signal: the kept queue shows the old count until the writer calls
    ``workqueue.forget`` (as the agencies' restamp and the roster import do), or for a minute at most."""
    from certportal import workqueue

    settings.REPORT_FIGURES_CACHE_SECONDS = 60
    cache.clear()
    _failed(1)
    OutboxMessage.objects.create(task="send_x")
    assert _failed_emails(lina) == 1
    OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).update(status=OutboxMessage.Status.FAILED)
    assert _failed_emails(lina) == 1  # kept: nothing reported the write
    workqueue.forget("outbox.OutboxMessage")
    assert _failed_emails(lina) == 2


def test_a_login_does_not_forget_the_queues_that_read_the_accounts(on_23_november, lina, bob, settings):
    """Every login saves the account's ``last_login``: no source counts it, so no kept queue is forgotten by it
    (the LSP admin's reads the accounts: the active verifiers, the declarations of interest); a change of what a
    source does read (a name) still is."""
    from django.test import Client

    settings.REPORT_FIGURES_CACHE_SECONDS = 60
    cache.clear()
    work_for(Role.LSP_ADMIN, lina)
    Client().force_login(bob)  # a login: last_login saved
    with CaptureQueriesContext(connection) as queries:
        work_for(Role.LSP_ADMIN, lina)
    assert not queries.captured_queries, [q["sql"] for q in queries.captured_queries]
    bob.full_name = "Bob Baru"
    bob.save(update_fields=["full_name"])
    with CaptureQueriesContext(connection) as queries:
        work_for(Role.LSP_ADMIN, lina)
    assert queries.captured_queries  # counted again
