"""What every benchmark shares: a throwaway database and a median timer.

A benchmark runs against a database of its own, created on the PostgreSQL server of ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432``) and dropped at the end; with no server answering it falls back to SQLite
in a temporary folder, and says so. ``BENCH_TEMPLATE_DATABASE`` names a migrated database to copy instead of
starting empty (the tiny runs of ``tests/core/test_bench.py`` share one: migrating takes longer than they do).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def admin_sql(url: str, sql: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE)."""
    import psycopg2

    conn = psycopg2.connect(url, connect_timeout=3)
    conn.autocommit = True
    try:
        conn.cursor().execute(sql)
    finally:
        conn.close()


def create_database(prefix: str) -> tuple[str, str | None]:
    """A new database ``<prefix>_<pid>``: (its URL, the server's admin URL to drop it, or None for SQLite)."""
    base = os.environ.get("DATABASE_URL", DEFAULT_SERVER)
    if base.startswith("postgres"):
        server = base.rsplit("/", 1)[0]
        name = f"{prefix}_{os.getpid()}"
        try:
            template = os.environ.get("BENCH_TEMPLATE_DATABASE")  # a migrated copy to start from (the CI's runs)
            admin_sql(f"{server}/postgres", f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
            return f"{server}/{name}", f"{server}/postgres"
        except Exception as exc:  # noqa: BLE001 - no server: fall back to SQLite
            print(f"PostgreSQL not available ({exc}); using SQLite")
    return f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3", None


def drop_database(url: str, admin: str | None) -> None:
    """Drop the database made by :func:`create_database` (closing this process's connections first)."""
    if admin is None:
        return
    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: BLE001, S110 - Django not set up in this process: nothing to close
        pass
    admin_sql(admin, f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def timed(fn, repeat: int) -> float:
    """Median wall time of ``repeat`` calls of ``fn``, in seconds."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def migrate() -> None:
    """Bring the benchmark's database up to the models (nothing to do on a copy of a migrated template)."""
    if os.environ.get("BENCH_TEMPLATE_DATABASE"):
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def free_redis_url(url: str, first: int = 8, last: int = 15) -> str:
    """A Redis database (``first``..``last``) that no client is connected to, on the server of ``url``: a worker
    left running by an interrupted run (or another benchmark at the same time) would otherwise take this run's
    tasks and leave it waiting. ``BENCH_REDIS_DB`` names one instead."""
    import redis

    base = url.rsplit("/", 1)[0] if url.count("/") >= 3 else url
    if os.environ.get("BENCH_REDIS_DB"):
        return f"{base}/{os.environ['BENCH_REDIS_DB']}"
    busy = {client.get("db") for client in redis.Redis.from_url(f"{base}/0").client_list()}
    for db in range(last, first - 1, -1):
        if db not in busy and str(db) not in busy:
            return f"{base}/{db}"
    raise SystemExit(f"no free Redis database between {first} and {last} (every one has a client)")


def run_in_process(prefix: str, run, args, env: dict | None = None) -> None:
    """The frame of a benchmark that runs Django in its own process: a throwaway database (:func:`create_database`),
    the development settings without DEBUG, quiet PDF logs, private files in a temporary folder, e-mail kept in
    memory, no broker unless ``env`` names one (``REDIS_URL``: else the set-up's e-mails and tasks run in-process);
    then migrate, ``run(args)``, drop the database and exit with what ``run`` returned (a failure count, or None)."""
    import logging
    import sys

    url, admin = create_database(prefix)
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "certportal.settings.dev", "DEBUG": "false",
                       "LOG_LEVEL": "WARNING", "PRIVATE_MEDIA_ROOT": tempfile.mkdtemp(prefix="bench-private-"),
                       "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", **(env or {})})
    import django

    django.setup()
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        migrate()
        status = run(args)
    finally:
        drop_database(url, admin)
    sys.exit(int(status or 0))
