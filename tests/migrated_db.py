"""The test database migrated once and kept: each later test database is a copy of it.

Migrating an empty database runs 170-odd migrations and renders their model states: about a minute of one core on
SQLite, per test process and per run (``make check`` and ``make test`` run two processes, the serial pass a third).
``create_test_db`` calls ``migrate``; while it does (:func:`install`), that call is replaced by a copy:

- SQLite (the tests' database in memory): the first process migrates and writes the result with SQLite's backup
  API to ``var/test-db/sqlite-<key>.sqlite3``; every later one, in this run or the next, copies that file into its
  in-memory database (a fraction of a second).
- PostgreSQL: the first process migrates its test database and makes it the template ``tpl_<name>_<key>``; every
  later one drops its empty test database and creates it again from that template (``CREATE DATABASE ... TEMPLATE``).
  With ``--reuse-db`` a kept test database is migrated as before.

The key is a hash of every migration file, the project modules the migrations import (a data migration runs their
code), Django's version and the portal's day in Jakarta (the calendar's seeded years follow it), so a changed
migration, or one added, migrates afresh. ``--create-db`` migrates afresh and writes the copy again. The copy is
taken right after ``migrate``, before any test ran: it holds the reference rows the migrations wrote (a test's flush
at the end of a run empties them in that run's database, never in the copy). A database made with ``--nomigrations``
(the tables from the models, none of the migrations' rows: ``tests/browser/isolation_cases.py``) is never kept: it
once replaced the SQLite copy, and the next SQLite run's tests found no calendar, no working week and no SOP. A file
lock (SQLite) or an advisory lock (PostgreSQL) makes the run's processes wait for the one that migrates instead of
migrating each.
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import hashlib
import os
import re
import sqlite3
from pathlib import Path

import django
import django.core.management as management
from django.db.backends.base.creation import BaseDatabaseCreation
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
SQLITE_FOLDER = ROOT / "var" / "test-db"
# --create-db (set by tests/conftest.py): migrate afresh once in this run (its processes share ``run``)
FRESH = {"value": False, "run": ""}


def _migration_files(root: Path) -> list[Path]:
    skip = {".venv", "node_modules", "var", ".git"}
    return sorted(path for path in root.rglob("migrations/*.py") if not skip & set(path.relative_to(root).parts))


def _project_modules(root: Path, source: str) -> set[Path]:
    """The project's modules a migration imports (``import certportal.files``, ``from x.y import z``)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                 else [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
        for name in names:
            base = root.joinpath(*name.split("."))
            for candidate in (base.with_suffix(".py"), base / "__init__.py"):
                if candidate.is_file():
                    found.add(candidate)
    return found


def key(root: Path = ROOT) -> str:
    digest = hashlib.sha256(f"{django.__version__} {timezone.localdate().isoformat()}".encode())
    modules: set[Path] = set()
    for path in _migration_files(root):
        source = path.read_bytes()
        digest.update(str(path.relative_to(root)).encode() + b"\0" + source)
        modules |= _project_modules(root, source.decode())
    for path in sorted(modules):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _file_lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _usable(made_by_run: str) -> bool:
    """A kept copy serves unless ``--create-db`` asked for a new one and this run has not made it yet."""
    return not FRESH["value"] or made_by_run == FRESH["run"]


def _sqlite(connection, migrate) -> None:
    copy = SQLITE_FOLDER / f"sqlite-{key()}.sqlite3"
    with _file_lock(SQLITE_FOLDER / "sqlite.lock"):
        connection.ensure_connection()
        made_by = copy.with_suffix(".run")
        if copy.exists() and _usable(made_by.read_text() if made_by.exists() else ""):
            with contextlib.closing(sqlite3.connect(copy)) as source:
                source.backup(connection.connection)
            return
        migrate()
        partial = copy.with_suffix(".partial")
        with contextlib.closing(sqlite3.connect(partial)) as target:
            connection.connection.backup(target)
        os.replace(partial, copy)
        made_by.write_text(FRESH["run"])
        for stale in SQLITE_FOLDER.glob("sqlite-*"):
            if stale not in (copy, made_by):
                stale.unlink(missing_ok=True)


def _template(test_name: str) -> tuple[str, str]:
    prefix = "tpl_" + re.sub(r"_gw\d+$", "", test_name).removeprefix("test_")[:36]
    return prefix, f"{prefix}_{key()}"


def kept_template(connection) -> str | None:
    """The migrated PostgreSQL template this run's test databases were copied from, if there is one (a benchmark's
    database can be copied from it too, instead of migrating)."""
    if connection.vendor != "postgresql":
        return None
    _prefix, template = _template(connection.settings_dict["NAME"])
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        return template if cursor.fetchone() else None


def _postgresql(connection, migrate) -> None:
    test_name = connection.settings_dict["NAME"]
    prefix, template = _template(test_name)
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as admin:  # one session on the "postgres" database: the lock is the session's
        admin.execute("SELECT pg_advisory_lock(hashtext(%s))", [prefix])
        try:
            admin.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                          [template])
            made = admin.fetchone()
            if made and not _usable(made[0] or ""):
                admin.execute(f"DROP DATABASE {quote(template)}")
            elif made:
                connection.close()
                admin.execute(f"DROP DATABASE {quote(test_name)}")
                admin.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")
                return
            migrate()
            connection.close()
            admin.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(test_name)}")
            admin.execute(f"COMMENT ON DATABASE {quote(template)} IS %s", [FRESH["run"]])
            _drop_stale(admin, quote, prefix, template)
        finally:
            admin.execute("SELECT pg_advisory_unlock(hashtext(%s))", [prefix])


def _drop_stale(admin, quote, prefix: str, template: str) -> None:
    """The templates of this database's earlier keys (another worktree's run may be copying one: it goes next time)."""
    kept = re.compile(re.escape(prefix) + "_[0-9a-f]{16}")
    admin.execute("SELECT datname FROM pg_database")
    for (name,) in admin.fetchall():
        if kept.fullmatch(name) and name != template:
            with contextlib.suppress(Exception):
                admin.execute(f"DROP DATABASE {quote(name)}")


def _migrations_disabled() -> bool:
    """pytest-django's ``--nomigrations``: the tables made from the models, without a row the migrations write."""
    from django.contrib.auth import get_user_model
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader.migrations_module(get_user_model()._meta.app_label)[0] is None


def _copy_or_migrate(connection, keepdb: bool, migrate) -> None:
    if _migrations_disabled():  # never kept: a later run would take it for the migrated database (no calendar, no SOP)
        migrate()
    elif connection.vendor == "sqlite" and connection.is_in_memory_db():
        _sqlite(connection, migrate)
    elif connection.vendor == "postgresql" and not keepdb:
        _postgresql(connection, migrate)
    else:
        migrate()


def install() -> None:
    """Make ``create_test_db`` copy the kept migrated database instead of migrating (see the module's text)."""
    original = BaseDatabaseCreation.create_test_db
    if getattr(original, "kept_copy", False):
        return

    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        call_command = management.call_command

        def replaced(name, *args, **options):
            if name != "migrate":
                return call_command(name, *args, **options)
            _copy_or_migrate(self.connection, keepdb, lambda: call_command(name, *args, **options))
            return None

        management.call_command = replaced
        try:
            return original(self, verbosity, autoclobber, serialize, keepdb)
        finally:
            management.call_command = call_command

    create_test_db.kept_copy = True
    BaseDatabaseCreation.create_test_db = create_test_db
