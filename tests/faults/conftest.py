"""The fault suite's processes: a Redis of its own on its own port, and real prefork Celery workers against it and
the test database, which a test kills with real signals (``kill -9`` of the whole worker, or of one pool child).

Each worker runs in a process group of its own, so ``kill_all`` kills the master and its pool together, as a
power cut or the OOM killer would. The broker's visibility timeout is short here (``BROKER_VISIBILITY_TIMEOUT_SECONDS``,
``BROKER_RESTORE_SECONDS``), and a test that killed a whole worker dates its unacknowledged deliveries that much
earlier (:meth:`Worker.died_long_ago`, as the clock is fixed elsewhere), so a message left unacknowledged by a dead
worker is handed out again by the next worker within a second, by kombu's own restore.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import (
    ROOT,
    _wait_for_worker,
    free_port,
    require_service,
    temporary_celery_app,
    worker_db_url,
)

# Longer than any one task of these tests takes (else Redis hands a running task's message out again, the copy
# leaves the live job alone, and the message is gone when the worker is killed: only the sweep would resume it),
# short enough to wait for after a kill.
VISIBILITY_SECONDS = 30


class RedisServer:
    """A ``redis-server`` of the test's own, without persistence, which a test may stop and start again (same port)."""

    def __init__(self, folder: Path):
        server = shutil.which("redis-server")
        if not server:
            require_service("redis-server", "apt-get install redis-server")
        self.server, self.folder = server, folder
        self.port = int(os.environ.get("FAULT_REDIS_PORT") or free_port())
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self) -> "RedisServer":
        import redis

        self.proc = subprocess.Popen([self.server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", str(self.folder)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=1).ping()
                return self
            except redis.ConnectionError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"redis-server did not start on port {self.port}")
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture
def fault_redis(tmp_path):
    """A Redis server started for this test (``FAULT_REDIS_PORT``, or a free port), without persistence."""
    server = RedisServer(tmp_path).start()
    try:
        yield server.url
    finally:
        server.stop()


def _worker_env(redis_url: str, media_root, **more) -> dict:
    return {
        **os.environ, "DJANGO_SETTINGS_MODULE": "certportal.settings.dev", "DATABASE_URL": worker_db_url(),
        "REDIS_URL": redis_url, "CACHE_URL": "locmemcache://", "PRIVATE_MEDIA_ROOT": str(media_root),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "DEBUG": "false", "CONN_MAX_AGE": "0",
        "BROKER_VISIBILITY_TIMEOUT_SECONDS": str(VISIBILITY_SECONDS), "BROKER_RESTORE_SECONDS": "1",
        "ASSESSMENT_PRINT_PROCESSES": "2", "ASSESSMENT_PRINT_CHUNK": "1", "ESIGN_BACKEND": "none",  # (signing: its own tests)
        **more,
    }


class Worker:
    """One ``celery worker --pool=prefork`` (its master and pool in a process group of their own)."""

    def __init__(self, name: str, env: dict, log_path: Path, *options: str):
        self.name, self.env, self.log_path, self.options = name, env, log_path, options
        self.proc = None

    def start(self, app) -> "Worker":
        celery_bin = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
        self.proc = subprocess.Popen(
            [celery_bin, "-A", "certportal", "worker", "--pool=prefork", "--concurrency=2", "-n", f"{self.name}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO", *self.options],
            cwd=ROOT, env=self.env, stdout=self.log_path.open("w"), stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        self.proc.log_path = self.log_path
        _wait_for_worker(app, self.proc)
        return self

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    def kill_all(self) -> None:
        """``kill -9`` of the master and its pool at once."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=20)

    def died_long_ago(self) -> int:
        """What waiting out the broker's visibility timeout after :meth:`kill_all` does, without the wait: Redis
        keeps each unacknowledged delivery in kombu's ``unacked_index``, scored with the time it was handed out;
        those scores are moved ``VISIBILITY_SECONDS`` back, so the next worker's first look for them (every
        ``BROKER_RESTORE_SECONDS``) hands the dead worker's messages out again, by kombu's own restore. Only after
        the kill and before another worker starts (every delivery kept is then the dead worker's). How many."""
        import redis
        from kombu.transport.redis import Channel

        client, index = redis.Redis.from_url(self.env["REDIS_URL"]), Channel.unacked_index_key  # kombu's own name
        kept = client.zrange(index, 0, -1, withscores=True)
        if kept:
            client.zadd(index, {tag: score - VISIBILITY_SECONDS - 1 for tag, score in kept})
        return len(kept)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


@pytest.fixture
def fault_workers(transactional_db, settings, tmp_path, fault_redis):
    """Start real prefork workers on the test's own Redis: ``fault_workers("a")`` returns a running :class:`Worker`.
    Tasks the test publishes (through the outbox) go to that Redis too."""
    from django.db import connection

    if connection.vendor != "postgresql":
        require_service("PostgreSQL", "set DATABASE_URL=postgres://... to run the fault suite")
    env = _worker_env(fault_redis, settings.PRIVATE_MEDIA_ROOT)
    settings.ASSESSMENT_PRINT_PROCESSES, settings.ASSESSMENT_PRINT_CHUNK = 2, 1
    settings.CELERY_TASK_ALWAYS_EAGER = False
    started: list[Worker] = []
    with temporary_celery_app(fault_redis) as app:

        def start(name: str) -> Worker:
            worker = Worker(name, env, tmp_path / f"worker-{name}.log")
            started.append(worker)
            return worker.start(app)

        try:
            yield start
        finally:
            for worker in started:
                print(f"--- worker {worker.name} log ---\n" + worker.log)  # shown by pytest when the test fails
                worker.stop()


@dataclass
class SharedWorker:
    """The module's one Redis and one prefork worker (:func:`shared_fault_worker`)."""

    redis: RedisServer
    worker: Worker
    app: object
    media: Path
    mail: Path


@pytest.fixture(scope="module")
def _module_worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """One Redis and one real prefork worker for every test of a module (started once: seconds each), with
    e-mails written as files. A test kills its pool children (the master starts new ones), never the master."""
    from django.db import connection

    if connection.vendor != "postgresql":
        require_service("PostgreSQL", "set DATABASE_URL=postgres://... to run the fault suite")
    folder = tmp_path_factory.mktemp("faults")
    media, mail = folder / "private", folder / "mail"
    mail.mkdir()
    server = RedisServer(folder).start()
    env = _worker_env(server.url, media, EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                      EMAIL_FILE_PATH=str(mail))
    try:
        with temporary_celery_app(server.url) as app:
            worker = Worker("shared", env, folder / "worker.log", "--include=tests.faults.worker_hooks")
            try:
                yield SharedWorker(server, worker.start(app), app, media, mail)
            finally:
                worker.stop()
    finally:
        server.stop()


@pytest.fixture
def shared_fault_worker(transactional_db, settings, _module_worker, request):
    """The module's worker (:class:`SharedWorker`) for this test: the test's files are the worker's, its tasks go
    to that worker's Redis. The worker's log is printed when the test fails."""
    from django.utils.functional import empty

    from certportal.files import private_storage

    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT = _module_worker.media
    private_storage._wrapped = empty
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.ASSESSMENT_PRINT_PROCESSES, settings.ASSESSMENT_PRINT_CHUNK = 2, 1
    _module_worker.app.set_current()
    _module_worker.app.set_default()
    before = len(_module_worker.worker.log)
    yield _module_worker
    print(f"--- shared worker log (this test) ---\n{_module_worker.worker.log[before:]}")
