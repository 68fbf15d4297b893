"""Catching a task in the middle of its work, every time: the test holds a PostgreSQL lock on a row or table the
task reaches only after it began (its first reminders sent, its first people anonymised), waits until the worker's
connection waits on that lock, and then kills the pool process behind that connection, or ends the connection.
No sleep and no race: the task is stopped exactly there."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import worker_db_url


@dataclass
class Waiting:
    """A worker's database connection waiting on the test's lock."""

    backend: int  # the PostgreSQL process serving it
    client_port: int  # its local TCP port in the worker


@contextmanager
def holding(sql: str, params: tuple = ()):
    """Run ``sql`` (``SELECT … FOR UPDATE``, ``LOCK TABLE …``) in a transaction of a connection of its own and
    keep its locks until the block ends (then rolled back). Yields the connection."""
    import psycopg2

    conn = psycopg2.connect(worker_db_url())
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
        yield conn
    finally:
        conn.rollback()
        conn.close()


def waiting_on(conn, timeout: float = 60) -> Waiting:
    """The worker's connection once it waits on a lock ``conn`` holds (asked on a connection of its own: within a
    transaction, PostgreSQL shows the same snapshot of its activity every time)."""
    deadline = time.monotonic() + timeout
    with _autocommit() as watcher, watcher.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pid, client_port FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                           (conn.get_backend_pid(),))
            row = cursor.fetchone()
            if row:
                return Waiting(*row)
            time.sleep(0.05)
    pytest.fail("no worker reached the locked row")


@contextmanager
def _autocommit():
    import psycopg2

    conn = psycopg2.connect(worker_db_url())
    conn.autocommit = True
    try:
        yield conn
    finally:
        conn.close()


def end_backend(backend: int) -> None:
    """``pg_terminate_backend``: the worker's connection is ended by the server, as a failover or a restart does."""
    with _autocommit() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", (backend,))


def pool_process(master: int, client_port: int) -> int:
    """The pool process of the worker ``master`` whose socket has the local port ``client_port`` (/proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == client_port:
                inodes.add(f"socket:[{fields[9]}]")
    for child in _children(master):
        for fd in Path(f"/proc/{child}/fd").iterdir():
            try:
                if os.readlink(fd) in inodes:
                    return child
            except OSError:
                continue
    pytest.fail(f"no pool process of {master} holds the connection from port {client_port}")


def _children(master: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            found.append(int(stat.parent.name))
    return found
