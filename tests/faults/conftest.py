"""The fault suite's processes: a Redis of its own on its own port, and real prefork Celery workers against it and
the test database, which a test kills with real signals (``kill -9`` of the whole worker, or of one pool child).

Each worker runs in a process group of its own, so ``kill_all`` kills the master and its pool together, as a
power cut or the OOM killer would. The broker's visibility timeout is short here (``BROKER_VISIBILITY_TIMEOUT_SECONDS``,
``BROKER_RESTORE_SECONDS``), so a message left unacknowledged by a dead worker is handed out again within seconds.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
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


@pytest.fixture
def fault_redis(tmp_path):
    """A Redis server started for this test (``FAULT_REDIS_PORT``, or a free port), without persistence."""
    import redis

    server = shutil.which("redis-server")
    if not server:
        require_service("redis-server", "apt-get install redis-server")
    port = int(os.environ.get("FAULT_REDIS_PORT") or free_port())
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis.from_url(url, socket_connect_timeout=1).ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"redis-server did not start on port {port}")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Worker:
    """One ``celery worker --pool=prefork`` (its master and pool in a process group of their own)."""

    def __init__(self, name: str, env: dict, log_path: Path):
        self.name, self.env, self.log_path = name, env, log_path
        self.proc = None

    def start(self, app) -> "Worker":
        celery_bin = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
        self.proc = subprocess.Popen(
            [celery_bin, "-A", "certportal", "worker", "--pool=prefork", "--concurrency=2", "-n", f"{self.name}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
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
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "certportal.settings.dev", "DATABASE_URL": worker_db_url(),
        "REDIS_URL": fault_redis, "CACHE_URL": "locmemcache://", "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "DEBUG": "false", "CONN_MAX_AGE": "0",
        "BROKER_VISIBILITY_TIMEOUT_SECONDS": str(VISIBILITY_SECONDS), "BROKER_RESTORE_SECONDS": "1",
        "ASSESSMENT_PRINT_PROCESSES": "2", "ASSESSMENT_PRINT_CHUNK": "1", "ESIGN_BACKEND": "none",  # (signing: its own tests)
    }
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
