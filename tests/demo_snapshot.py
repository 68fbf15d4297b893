"""The demo, loaded once per test run and copied into each test that needs it.

``load_reference`` and ``load_demo`` cost about 35 s on PostgreSQL (the demo's papers are rendered and signed) for
some 4,000 rows. The first test process that needs the demo loads it, committed, into its own test database, then
writes every table's rows (PostgreSQL's ``COPY``, byte for byte) and the demo's private files into a folder shared
by the run's processes (pytest's base temporary folder, which pytest-xdist's workers share), under a file lock.
Every other test that needs the demo empties the tables and copies the rows back in (``DELETE`` and ``COPY``, then a
``VACUUM`` of what was emptied, well under a second; a ``TRUNCATE`` of every table costs seconds,
``tests/fast_flush.py``), the sequences set past the highest key, and the private files into its own folder.

The snapshot is kept for the portal's day it was made on (the demo's dates count from today): a run that crosses
midnight in Jakarta loads the demo again. On SQLite (``make test`` without ``DATABASE_URL``, the tests' database in
memory) the copy is the whole database, written and read back with SQLite's backup API; a test inside a transaction
(``demo_data``) loads the demo there instead (a backup cannot write into a database with a transaction open), once per
test process.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import shutil
import sqlite3
from pathlib import Path

from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.functional import empty

from . import fast_flush

TABLES_FILE = "tables.json"


SQLITE_FILE = "demo.sqlite3"


def supported(in_transaction: bool = False) -> bool:
    if connection.vendor == "sqlite":
        return connection.is_in_memory_db() and not in_transaction
    return connection.vendor == "postgresql"


def _folder(shared: Path) -> Path:
    return shared / f"demo-{timezone.localdate().isoformat()}"


@contextlib.contextmanager
def _locked(shared: Path):
    shared.mkdir(parents=True, exist_ok=True)
    with open(shared / "demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _tables() -> list[str]:
    return fast_flush.tables(connection)


def load(media: Path) -> None:
    """What ``make setup`` runs (committed unless the caller holds a transaction), the private files into ``media``;
    its after-commit work done either way."""
    from certportal.files import private_storage

    with override_settings(PRIVATE_MEDIA_ROOT=media, MEDIA_ROOT=media):
        private_storage._wrapped = empty
        try:
            with _after_commit_work_done():
                call_command("load_reference", verbosity=0)
                call_command("load_demo", verbosity=0, stdout=io.StringIO())
        finally:
            private_storage._wrapped = empty


def _after_commit_work_done():
    """Inside the caller's transaction (a ``demo_data`` test's demo, loaded where there is no copy to read: on SQLite
    always) what the demo's acts do after their commit is done at the end of the load, as a committed load does it:
    the satisfaction survey's invitations after each certificate handed over, the notices, the papers' jobs. Without
    it that demo had no invitation to answer, and the accessibility walk's public pages failed on SQLite only."""
    from django.test import TestCase

    if connection.in_atomic_block:
        return TestCase.captureOnCommitCallbacks(execute=True)
    return contextlib.nullcontext()


def _write(folder: Path) -> None:
    if connection.vendor == "sqlite":
        folder.mkdir(parents=True, exist_ok=True)
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(folder / SQLITE_FILE)) as target:
            connection.connection.backup(target)
        (folder / TABLES_FILE).write_text(json.dumps(_tables()))
        return
    tables = _tables()
    rows = folder / "rows"
    rows.mkdir(parents=True)
    with connection.cursor() as cursor:
        for table in tables:
            with open(rows / table, "wb") as out:
                cursor.copy_expert(f'COPY "{table}" TO STDOUT', out)
    (folder / TABLES_FILE).write_text(json.dumps(tables))


def _read(folder: Path) -> None:
    """Empty every table of the demo, copy its rows back, set each sequence past the highest key."""
    from django.apps import apps

    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(folder / SQLITE_FILE)) as source:
            source.backup(connection.connection)
        return
    tables = json.loads((folder / TABLES_FILE).read_text())
    with transaction.atomic(), connection.cursor() as cursor, _triggers_off(cursor, tables):
        emptied = fast_flush.empty(cursor, _tables())
        for table in tables:
            with open(folder / "rows" / table, "rb") as source:
                cursor.copy_expert(f'COPY "{table}" FROM STDIN', source)
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(statement)
    fast_flush.vacuum(connection, sorted(set(emptied) | set(tables)))


@contextlib.contextmanager
def _triggers_off(cursor, tables: list[str]):
    """The rows go back as they were: the database's own triggers (the counts per status kept by the applications'
    trigger) must not add to them. As a superuser, for this transaction only (no lock taken); otherwise as the
    tables' owner, which the test database's creator is."""
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cursor.fetchone()[0]:
        cursor.execute("SET LOCAL session_replication_role = replica")
        yield
        cursor.execute("SET LOCAL session_replication_role = origin")
        return
    for table in tables:
        cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
    yield
    for table in tables:
        cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')


def install(shared: Path, media: Path, *, in_transaction: bool) -> None:
    """The demo in this test's database, its private files under ``media``.

    ``in_transaction``: the caller holds a transaction it will roll back. The copy is read into it when one was
    made; a first load there would lose its after-commit work, so it is loaded as before and not kept.
    """
    if not supported(in_transaction):
        load(media)
        return
    folder = _folder(shared)
    with _locked(shared):
        made_here = False
        if not (folder / TABLES_FILE).exists() and not in_transaction:
            load(folder / "media")
            _write(folder)
            made_here = True
    if (folder / TABLES_FILE).exists():
        if not made_here:
            _read(folder)
        if (folder / "media").exists():
            shutil.copytree(folder / "media", media, dirs_exist_ok=True)
        return
    load(media)
