"""A transactional test's flush on PostgreSQL deletes the rows instead of truncating the tables.

After each transactional or live-server test pytest-django empties every table with ``flush``, which on PostgreSQL is
one ``TRUNCATE`` of the portal's ~150 tables. A ``TRUNCATE`` gives each table, index and TOAST table a new file and
drops the old one at commit: 2.6 to 4.5 s on the development machine for tables that hold a few dozen rows, after
every such test (several hundred browser, worker and fault tests). ``DELETE FROM`` each table in the same transaction
does the same to tables this small in about 0.15 s: the foreign keys Django creates are ``DEFERRABLE INITIALLY
DEFERRED`` (``SET CONSTRAINTS ALL DEFERRED`` makes sure), so the order of the deletes does not matter and they are
checked once, at commit, when every table is empty. Row triggers run as they would for any delete (the kept status
counts of ``applicants/migrations/0015_status_counts.py`` are emptied with the rest).

A flush that resets the sequences or cascades to tables it was not given (``available_apps``) keeps Django's
``TRUNCATE``. Installed from ``tests/conftest.py``: the portal itself never flushes.
"""

from __future__ import annotations

from django.db.backends.postgresql.operations import DatabaseOperations


def install() -> None:
    original = DatabaseOperations.sql_flush
    if getattr(original, "deletes", False):
        return

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED;"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    sql_flush.deletes = True
    DatabaseOperations.sql_flush = sql_flush
