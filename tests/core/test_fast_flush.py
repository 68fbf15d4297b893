"""A transactional test's flush on PostgreSQL deletes the rows, in one transaction, instead of a ``TRUNCATE`` of every
table (``tests/fast_flush.py``): the next test finds every table as a fresh test database has it (what the tests wrote
gone, rows that refer to each other included, the kept status counts with the applications; what the migrations wrote
back, on SQLite too), and the emptied tables vacuumed, as small as a ``TRUNCATE`` leaves them."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applicants.models import Application, StatusCount
from assessments.events.models import Participant, Procedure
from certportal.accounts.models import User
from certportal.audit.models import AuditEntry
from certportal.sla.models import CalendarDay, WorkWeek
from schemes.models import Scheme

from ..assessments.factories import make_application, planned_event, scheme_with_units
from ..factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
TRUNCATE = pytest.mark.postgresql("the flush replaced is PostgreSQL's TRUNCATE; SQLite's flush already deletes")


@TRUNCATE
def test_flush_empties_every_table_with_deletes():
    scheme = scheme_with_units(2)
    admin = UserFactory()
    application = make_application(scheme)
    planned_event(actor=admin, scheme=scheme, applications=[application])
    assert Participant.objects.exists() and StatusCount.objects.filter(n__gt=0).exists()

    with CaptureQueriesContext(connection) as queries:
        _flush()

    sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
    assert "TRUNCATE" not in sql and "DELETE FROM" in sql
    for model in (Application, StatusCount, Participant, Scheme, User):
        assert not model.objects.exists(), model.__name__


@TRUNCATE
def test_a_flush_that_resets_sequences_still_truncates():
    UserFactory()
    with CaptureQueriesContext(connection) as queries:
        call_command("flush", interactive=False, verbosity=0, reset_sequences=True)
    assert "TRUNCATE" in " ".join(q["sql"] for q in queries.captured_queries).upper()
    assert not User.objects.exists() and WorkWeek.objects.filter(pk=1).exists()
    assert Procedure.objects.create(number="PSM/TEST-2", version=1, name="Uji", made_on="2026-01-05",
                                    effective_on="2026-01-05", approved_by="Kepala").pk > 1  # past the kept rows


def _flush():
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)  # as a test's flush


def test_the_rows_the_migrations_wrote_are_back_after_a_flush_and_the_tests_rows_are_not():
    """On PostgreSQL and on SQLite (make test with no service) alike."""
    days, sops = CalendarDay.objects.count(), list(Procedure.objects.values_list("number", "version"))
    assert days and ("PSM/DISNAKER-10", 1) in sops and WorkWeek.objects.filter(pk=1).exists()
    Procedure.objects.create(number="PSM/TEST-1", version=1, name="Uji", made_on="2026-01-05",
                             effective_on="2026-01-05", approved_by="Kepala")
    _flush()
    assert CalendarDay.objects.count() == days and WorkWeek.objects.filter(pk=1).exists()
    assert list(Procedure.objects.values_list("number", "version")) == sops


@pytest.mark.postgresql("the size of a table's file after a flush: PostgreSQL's")
def test_the_tables_a_flush_emptied_are_vacuumed_to_nothing():
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(User)
    AuditEntry.objects.bulk_create(AuditEntry(actor_name="Petugas", content_type=ct, object_id=str(i),
                                              object_repr=f"Berkas {i}", action="test.thing.done") for i in range(3000))

    def size():
        with connection.cursor() as c:
            c.execute("SELECT pg_relation_size('audit_auditentry')")
            return c.fetchone()[0]

    assert size() > 100_000
    _flush()
    assert size() == 0 and not AuditEntry.objects.exists()
