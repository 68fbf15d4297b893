"""What the click-to-done benchmarks share: a signer made for the run, a real Celery worker on the run's Redis
database, a person logged in with a role, and a click timed twice: until the page answers, and until the job it
started is done (polling the job's row, as the job's page does).

The click goes through the portal's view with Django's test client, outside any transaction: the view's
transaction commits, ``on_commit`` hands the job's message to Redis (``certportal.outbox``), and the worker does
the work, as in production. The set-up before it runs its tasks in process (:func:`eager`), so that a data
builder that sends e-mails or runs tasks needs no worker.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLICK_LIMIT = 1.0  # seconds: a click that starts a job answers within this, whatever the size
JOB_LIMIT = 1800  # seconds a job may take before the bench gives up on it


def signer_env(folder: Path | None = None) -> tuple[dict, Path]:
    """The settings of a PKCS#12 signer made for this run (a demo CA and the LSP head's key in a temporary
    folder, its CA the only trust root), and the folder to remove at the end."""
    from certportal.signing.democa import DEMO_PASSWORD, ensure_demo_signer

    folder = folder or Path(tempfile.mkdtemp(prefix="bench-esign-"))
    signer = ensure_demo_signer(folder)
    return {"ESIGN_BACKEND": "pkcs12", "ESIGN_PKCS12_PATH": str(signer.p12), "ESIGN_PKCS12_PASSWORD": DEMO_PASSWORD,
            "ESIGN_SIGNER_NAME": "Kepala LSP (bench)", "ESIGN_SIGNER_DIR": str(folder / "signers"),
            "ESIGN_TRUST_ROOTS": str(signer.ca_pem)}, folder


def broker_env() -> dict:
    """``REDIS_URL`` of a Redis database no client uses (``BENCH_REDIS_DB`` names one)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from _db import free_redis_url

    return {"REDIS_URL": free_redis_url(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")}


def run_with_worker_env(prefix: str, run, args) -> None:
    """:func:`_db.run_in_process` with a broker and a signer of the run's own (removed at the end)."""
    from _db import run_in_process

    env, folder = signer_env()
    try:
        run_in_process(prefix, run, args, {**broker_env(), **env})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def eager():
    """Tasks run in this process while the data is built (as without a broker): no worker needed for set-up."""
    from django.test import override_settings

    from certportal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
            yield
    finally:
        app.conf.task_always_eager = before


@contextlib.contextmanager
def worker(processes: int = 1, env: dict | None = None):
    """A prefork Celery worker of ``processes`` processes on this run's Redis database (emptied first: what the
    set-up queued is not the bench's), stopped at the end."""
    import redis

    from certportal.celery import app

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    proc = subprocess.Popen([celery, "--quiet", "-A", "certportal", "worker", "--pool=prefork", f"--concurrency={processes}",
                             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
                            cwd=ROOT, env={**os.environ, "CONN_MAX_AGE": "0", **(env or {})})
    try:
        while not app.control.ping(timeout=1):
            if proc.poll() is not None:
                raise SystemExit(f"FAILED the Celery worker stopped (exit {proc.returncode})")
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def logged_in(email: str, *roles: str, user=None):
    """A test client logged in as a new person with ``roles`` (or as ``user``)."""
    from django.test import Client
    from django.utils import timezone

    from certportal.accounts.models import User, UserRole

    if user is None:
        user = User.objects.create(email=email, full_name=email.split("@")[0].title(), password="!",
                                   email_verified_at=timezone.now(), data_consent_at=timezone.now())
        for role in roles:
            UserRole.objects.create(user=user, role=role)
    client = Client()
    client.force_login(user)
    return client


@dataclass
class Clicked:
    label: str
    answer: float  # seconds until the click's page answered
    done: float  # seconds from the click until the job was done (or failed)
    status: str
    error: str
    data: bytes  # what was made

    def line(self) -> str:
        size = f"{len(self.data) / 1e6:.2f} MB" if len(self.data) >= 100_000 else f"{len(self.data) / 1e3:.1f} kB"
        return f"{self.label:<42} {self.answer:>8.3f} {self.done:>9.2f} {size:>10}  {self.status}"


HEADER = f"{'click':<42} {'answer s':>8} {'to done s':>9} {'made':>10}  job"


def click(label: str, client, url: str, model, data: dict | None = None, method: str = "post") -> Clicked:
    """``client`` clicks ``url`` (the job is started by the view, committed), then polls the newest row of
    ``model`` made by that click until it is done or failed."""
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    began = time.perf_counter()
    response = getattr(client, method)(url, data or {})
    answer = time.perf_counter() - began
    if response.status_code not in (200, 302):
        return Clicked(label, answer, answer, f"HTTP {response.status_code}", url, b"")
    job = model.objects.filter(pk__gt=last).order_by("pk").first()
    if job is None:
        return Clicked(label, answer, answer, "no job", f"{url} started no job (HTTP {response.status_code})", b"")
    while job.status not in ("done", "failed"):
        if time.perf_counter() - began > JOB_LIMIT:
            break
        time.sleep(0.05)
        job.refresh_from_db()
    done = time.perf_counter() - began
    made = b""
    if job.status == "done" and job.file:
        with job.file.open("rb") as f:
            made = f.read()
    return Clicked(label, answer, done, job.status, job.error, made)


def verdict(clicked: Clicked, *, signed: bool = False) -> list[str]:
    """What fails the run: the job not done, an empty file, a click answering in a second or more, a paper
    that should carry the LSP's signature and does not (validated against the run's CA)."""
    found = []
    if clicked.status != "done":
        found.append(f"{clicked.label}: the job ended {clicked.status} {clicked.error}".strip())
    elif not clicked.data:
        found.append(f"{clicked.label}: the job made nothing")
    if clicked.answer >= CLICK_LIMIT:
        found.append(f"{clicked.label}: the click answered in {clicked.answer:.3f} s (goal < {CLICK_LIMIT:.0f} s)")
    if signed and clicked.data:
        from certportal.signing.validation import validate_pdf

        validation = validate_pdf(clicked.data)
        if not validation.authentic:
            found.append(f"{clicked.label}: the paper is {validation.verdict}, not signed by the LSP")
    return found


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} (1 / 5 min), {os.cpu_count()} CPUs"
