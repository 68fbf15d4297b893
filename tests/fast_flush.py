"""A transactional test's flush on PostgreSQL: rows deleted, the migrations' rows put back, the tables vacuumed.

After each transactional or live-server test pytest-django empties every table with ``flush``, which on PostgreSQL is
one ``TRUNCATE`` of the portal's ~150 tables. A ``TRUNCATE`` gives each table, index and TOAST table a new file and
drops the old one at commit: 2.6 to 4.5 s on the development machine for tables that hold a few dozen rows, after
every such test (several hundred browser, worker and fault tests). Here the flush instead:

- deletes the rows of each table (``DELETE FROM``) in one transaction: the foreign keys Django creates are
  ``DEFERRABLE INITIALLY DEFERRED`` (``SET CONSTRAINTS ALL DEFERRED`` makes sure), so the order does not matter and
  they are checked once, at commit. Row triggers run as for any delete (the kept status counts go with the rows);
- copies back, in the same transaction, the rows the test database held when it was made (what the migrations
  wrote: the working week, the calendar, the SOP, the content types...), so that the next test in this process finds
  the database as a test in a fresh process does. Django's ``TRUNCATE`` left those tables empty, and a test that
  read them passed or failed by the order the tests were handed out in;
- then, committed, vacuums the tables it emptied: a ``DELETE`` leaves dead rows behind, and a test of the planner's
  choices (``tests/core/test_bench.py``) must see tables as small as a ``TRUNCATE`` leaves them.

A flush that resets the sequences keeps Django's ``TRUNCATE ... RESTART IDENTITY`` and gets the migrations' rows back
too; one that cascades to tables it was not given (``available_apps``) keeps Django's ``TRUNCATE`` alone.

On SQLite (``make test`` with no service) Django's flush is already a ``DELETE`` of each table; the migrations' rows
of the tables it emptied are inserted back after it, in its transaction (a fresh clone's run failed two tests that
read the working week and the SOP after a transactional test in their process). Installed from
``tests/conftest.py``: the portal itself never flushes.
"""

from __future__ import annotations

import io

from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.backends.postgresql.operations import DatabaseOperations

# (SQLite's operations from its backend's base module, which imports them: imported alone, they import half of it)
from django.db.backends.sqlite3.base import DatabaseOperations as SQLiteOperations

DEFER = "SET CONSTRAINTS ALL DEFERRED;"
REFERENCE: dict[str, dict[str, bytes]] = {}  # per test database: each table's rows when it was made (COPY's text)
SQLITE_REFERENCE: dict[str, tuple[list[str], list[str]]] = {}  # the same on SQLite: columns, rows as literals


def tables(connection) -> list[str]:
    """Every table of the portal's models in ``connection``'s database."""
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def keep_reference_rows(connection) -> None:
    """Remember the rows every table of ``connection``'s new test database holds."""
    kept = {}
    with connection.cursor() as cursor:
        for table in tables(connection):
            out = io.BytesIO()
            cursor.copy_expert(f'COPY "{table}" TO STDOUT', out)
            if out.getvalue():
                kept[table] = out.getvalue()
    REFERENCE[connection.settings_dict["NAME"]] = kept


def keep_sqlite_rows(connection) -> None:
    """Remember the rows every table of ``connection``'s new SQLite test database holds, each as SQL's own literals
    (``quote()``: the values go back exactly as stored, with no conversion through Python's types)."""
    SQLITE_REFERENCE.clear()
    with connection.cursor() as cursor:
        for table in tables(connection):
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            literals = " || ',' || ".join(f'quote("{c}")' for c in columns)
            cursor.execute(f'SELECT {literals} FROM "{table}"')  # noqa: S608 (names from Django's introspection)
            rows = [f"({row[0]})" for row in cursor.fetchall()]
            if rows:
                SQLITE_REFERENCE[table] = (columns, rows)


def _put_back_sqlite(cursor, flushed: list[str]) -> None:
    """The migrations' rows of the ``flushed`` tables, inserted again (foreign keys are checked at commit)."""
    for table in flushed:
        columns, rows = SQLITE_REFERENCE.get(table, ((), ()))
        names = ", ".join(f'"{c}"' for c in columns)
        for start in range(0, len(rows), 200):
            values = ", ".join(rows[start:start + 200])
            cursor.execute(f'INSERT INTO "{table}" ({names}) VALUES {values}')  # noqa: S608 (SQLite's own literals)


def empty(cursor, tables: list[str]) -> list[str]:
    """Delete every row of ``tables`` (inside the caller's transaction); the tables that held rows."""
    cursor.execute(DEFER)
    emptied = []
    for table in tables:
        cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 (a table name from Django's introspection)
        if cursor.rowcount:
            emptied.append(table)
    return emptied


def vacuum(connection, tables: list[str]) -> None:
    """Vacuum ``tables`` once their deletes are committed (a ``VACUUM`` cannot run in a transaction)."""
    if tables and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM " + ", ".join(f'"{t}"' for t in tables))


def _put_back(connection, cursor) -> None:
    """The rows the database held when it was made, each table's sequence set past its highest key (a flush that
    resets the sequences starts them at 1 again)."""
    from django.apps import apps
    from django.core.management.color import no_style

    kept = REFERENCE.get(connection.settings_dict["NAME"], {})
    for table, rows in kept.items():
        cursor.copy_expert(f'COPY "{table}" FROM STDIN', io.BytesIO(rows))
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in kept]
    for statement in connection.ops.sequence_reset_sql(no_style(), models):
        cursor.execute(statement)


def install() -> None:
    if getattr(DatabaseOperations.sql_flush, "deletes", False):
        return
    original_sql, original_execute = DatabaseOperations.sql_flush, DatabaseOperations.execute_sql_flush
    original_create = BaseDatabaseCreation.create_test_db

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return original_sql(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [DEFER] + [f'DELETE FROM "{table}"' for table in tables]  # noqa: S608 (the models' tables)

    def execute_sql_flush(self, sql_list):
        from django.db import transaction

        deletes = bool(sql_list) and sql_list[0] == DEFER
        whole = deletes or (len(sql_list) == 1 and "CASCADE" not in sql_list[0].upper())  # not a cascade's part
        if not deletes:
            original_execute(self, sql_list)
        emptied = []
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            if deletes:
                emptied = empty(cursor, [sql.split('"')[1] for sql in sql_list[1:]])
            if whole:
                _put_back(self.connection, cursor)
        vacuum(self.connection, emptied)

    def create_test_db(self, *args, **kwargs):
        name = original_create(self, *args, **kwargs)
        if self.connection.vendor == "postgresql":
            keep_reference_rows(self.connection)
        elif self.connection.vendor == "sqlite":
            keep_sqlite_rows(self.connection)
        return name

    def sqlite_execute_sql_flush(self, sql_list):
        from django.db import transaction

        flushed = [sql.split('"')[1] for sql in sql_list if sql.upper().startswith("DELETE FROM")]
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            for sql in sql_list:
                cursor.execute(sql)
            _put_back_sqlite(cursor, flushed)

    sql_flush.deletes = True
    DatabaseOperations.sql_flush = sql_flush
    DatabaseOperations.execute_sql_flush = execute_sql_flush
    BaseDatabaseCreation.create_test_db = create_test_db
    SQLiteOperations.execute_sql_flush = sqlite_execute_sql_flush
