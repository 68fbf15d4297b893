"""The test database is a copy of one migrated once (tests/migrated_db.py): the copy holds what the migrations wrote,
and a changed migration, or a module a data migration runs, migrates afresh."""

import os
import subprocess
import sys

import time_machine

from certportal.sla.models import CalendarDay, WorkWeek
from tests import migrated_db


def _project(tmp_path):
    app = tmp_path / "shop" / "migrations"
    app.mkdir(parents=True)
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "reference.py").write_text("ROWS = [1, 2]\n")
    (app / "__init__.py").write_text("")
    (app / "0001_initial.py").write_text("from shop.reference import ROWS\n")
    return tmp_path


@time_machine.travel("2026-11-23 03:00:00+00:00", tick=False)
def test_the_key_follows_every_migration_and_the_modules_a_data_migration_imports(tmp_path):
    root = _project(tmp_path)
    first = migrated_db.key(root)
    assert migrated_db.key(root) == first
    (root / "shop" / "reference.py").write_text("ROWS = [1, 2, 3]\n")
    second = migrated_db.key(root)
    assert second != first
    (root / "shop" / "migrations" / "0002_more.py").write_text("")
    assert migrated_db.key(root) != second


def test_the_key_follows_the_day_in_jakarta(tmp_path):
    root = _project(tmp_path)
    with time_machine.travel("2026-12-31 16:59:00+00:00", tick=False):  # 23:59 WIB
        last_day = migrated_db.key(root)
    with time_machine.travel("2026-12-31 17:01:00+00:00", tick=False):  # 00:01 WIB, a new year to seed
        assert migrated_db.key(root) != last_day


def test_a_kept_copy_serves_unless_this_run_asked_for_a_new_one(monkeypatch):
    monkeypatch.setitem(migrated_db.FRESH, "value", False)
    assert migrated_db._usable("an earlier run")
    monkeypatch.setitem(migrated_db.FRESH, "value", True)
    monkeypatch.setitem(migrated_db.FRESH, "run", "this run")
    assert not migrated_db._usable("an earlier run")
    assert migrated_db._usable("this run")


def test_the_test_database_holds_the_rows_the_migrations_wrote(db):
    assert WorkWeek.objects.filter(pk=1).exists()
    assert CalendarDay.objects.exists()


def test_a_database_made_without_migrations_is_never_kept_for_the_next_run():
    """The live server's isolation cases run with ``--nomigrations --create-db``: their SQLite database (tables
    only) replaced the kept copy, and the next SQLite run (``make check`` after ``make test``) failed on the
    missing calendar, working week and SOP."""
    copy = migrated_db.SQLITE_FOLDER / f"sqlite-{migrated_db.key()}.sqlite3"
    before = copy.stat().st_mtime_ns if copy.exists() else None
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_") and k != "DATABASE_URL"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "--create-db",
                          "--nomigrations", "-q", "tests/core/test_migrated_db.py", "-k", "holds_the_rows"],
                         cwd=migrated_db.ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert "1 failed" in run.stdout, run.stdout[-3000:] + run.stderr[-2000:]  # tables only: no working week there
    assert (copy.stat().st_mtime_ns if copy.exists() else None) == before  # and the kept copy is not that database
