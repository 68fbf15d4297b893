"""The written test's autosave in one statement (PostgreSQL): the path of nearly every click.

200 participants answer at once, each click one request. When the answer is a change of the user's OWN running
test, before its deadline, to an option of a question of that test, one ``UPDATE ... RETURNING`` (the row lock the
update takes, by the test's unique participant index) sets the answer and, in the same statement, writes the row of
the answer history: no read of the test first, no transaction of several statements. Every check of
:func:`~assessments.instruments.services.written_test.written_answer_autosave` is in its ``WHERE``; when any of them
fails (not their test, submitted, time ran out, not an option, the same option again, an odd form value, another
database), nothing is written and the caller takes the full path, which locks the test, says why and closes a test
whose time ran out. PostgreSQL evaluates the ``WHERE`` again on the newest row when two clicks of one participant
meet, so neither answer is lost.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from assessments.events.models import Participant
from assessments.instruments.models.records import WrittenAnswer, WrittenTest
from certportal import kept_pages

_SQL = None


def _sql() -> str:
    global _SQL  # noqa: PLW0603 (built once: the table names are the models')
    if _SQL is None:
        from applicants.models import Application

        _SQL = (
            f"WITH saved AS (UPDATE {WrittenTest._meta.db_table} t "  # noqa: S608 (table names only; values are parameters)
            "SET answers = t.answers || jsonb_build_object(%(key)s::text, %(choice)s::integer) "
            "WHERE t.participant_id = %(participant)s AND t.status = %(running)s AND t.deadline > %(now)s "
            f"AND t.participant_id IN (SELECT p.id FROM {Participant._meta.db_table} p "
            f"JOIN {Application._meta.db_table} a ON a.id = p.application_id "
            "WHERE p.id = %(participant)s AND a.applicant_id = %(user)s) "
            "AND (t.answers -> %(key)s::text) IS DISTINCT FROM to_jsonb(%(choice)s::integer) "
            "AND EXISTS (SELECT 1 FROM jsonb_array_elements(t.questions) q WHERE q ->> 'item' = %(key)s::text "
            "AND jsonb_array_length(q -> 'order') > %(choice)s::integer) "
            "RETURNING t.id, (SELECT count(*) FROM jsonb_object_keys(t.answers))), "
            f"history AS (INSERT INTO {WrittenAnswer._meta.db_table} (test_id, item, choice, at) "
            "SELECT id, %(item)s, %(choice)s, %(now)s FROM saved) "
            "SELECT * FROM saved")
    return _SQL


def _number(value) -> int | None:
    """A form value written as the number itself ("12", not " 12", "012" or "+12"), else None."""
    text = value if isinstance(value, str) else ""
    return int(text) if text.isascii() and text.isdigit() and str(int(text)) == text else None


def saved_at_once(participant_id: int, *, user, item, choice) -> int | None:
    """The number of questions answered once this answer is saved, when it was saved here; None when the full
    path must decide (nothing was written)."""
    item_id, index = _number(item), _number(choice)
    if connection.vendor != "postgresql" or item_id is None or index is None or index > 32767:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_sql(), {"key": str(item_id), "item": item_id, "choice": index, "participant": participant_id,
                                "running": WrittenTest.Status.RUNNING, "now": timezone.now(), "user": user.pk})
        row = cursor.fetchone()
    if row is None:
        return None
    # no signal reports SQL: the staff's kept page of this participant shows how many questions are answered
    kept_pages.forget("assessments.Participant", participant_id)
    return row[1]
