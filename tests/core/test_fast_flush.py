"""A transactional test's flush on PostgreSQL deletes the rows, in one transaction, instead of a ``TRUNCATE`` of every
table (``tests/fast_flush.py``): the next test still finds every table empty, rows that refer to each other included,
and the kept status counts go with the applications."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applicants.models import Application, StatusCount
from assessments.events.models import Participant
from certportal.accounts.models import User
from schemes.models import Scheme

from ..assessments.factories import make_application, planned_event, scheme_with_units
from ..factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.postgresql("the flush replaced is PostgreSQL's TRUNCATE; SQLite's flush already deletes")]


def test_flush_empties_every_table_with_deletes():
    scheme = scheme_with_units(2)
    admin = UserFactory()
    application = make_application(scheme)
    planned_event(actor=admin, scheme=scheme, applications=[application])
    assert Participant.objects.exists() and StatusCount.objects.filter(n__gt=0).exists()

    with CaptureQueriesContext(connection) as queries:
        call_command("flush", interactive=False, verbosity=0, reset_sequences=False)  # as a test's flush

    sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
    assert "TRUNCATE" not in sql and "DELETE FROM" in sql
    for model in (Application, StatusCount, Participant, Scheme, User):
        assert not model.objects.exists(), model.__name__


def test_a_flush_that_resets_sequences_still_truncates():
    UserFactory()
    with CaptureQueriesContext(connection) as queries:
        call_command("flush", interactive=False, verbosity=0, reset_sequences=True)
    assert "TRUNCATE" in " ".join(q["sql"] for q in queries.captured_queries).upper()
    assert not User.objects.exists()
