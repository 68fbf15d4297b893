"""Shared fixtures: role personas, a logged-in client per persona, a real Celery worker.

Personas are named like people so tests read as sentences: ``alice`` applies, ``victor`` verifies,
``asa`` assesses, ``lina`` runs the LSP, ``tono`` heads a test site, ``quinn`` reviews quality,
``karin`` handles complaints, ``sofia`` supervises; ``bob`` is another applicant.
"""

import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.test import Client

from certportal.signing.democa import DEMO_PASSWORD, ensure_demo_signer

from . import durations, fast_flush, migrated_db, module_world
from .factories import person

ROOT = Path(__file__).resolve().parent.parent
migrated_db.install()  # each test database a copy of one migrated once (tests/migrated_db.py)
fast_flush.install()  # a transactional test's flush on PostgreSQL: deletes, the migrations' rows back (tests/fast_flush.py)


def pytest_addoption(parser):
    durations.addoption(parser)  # --quick: make check without its longest tests (tests/durations.py)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from .scheduling import make_scheduler  # the first hand-out dealt in turn (tests/scheduling.py)

    return make_scheduler(config, log)


def pytest_configure(config):
    import uuid

    durations.configure(config)

    migrated_db.FRESH["value"] = bool(config.getvalue("create_db"))
    # make test's two passes are one run (TEST_RUN_ID from the Makefile): --create-db migrates once for both
    migrated_db.FRESH["run"] = (os.environ.get("TEST_RUN_ID") or getattr(config, "workerinput", {}).get("testrunuid")
                                or uuid.uuid4().hex)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: the calendar and the queue counts are cached for the day, and a
    rolled-back test sends no signal to forget them."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language (Indonesian): a test that activated another one (a service
    called in English, a page read in both languages) does not leak it into the next test of its process."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT
    from django.utils.functional import empty

    from certportal.files import private_storage

    private_storage._wrapped = empty  # re-created under the new folder on first use


S3_SETTINGS = ("PRIVATE_STORAGE_S3_BUCKET", "PRIVATE_STORAGE_S3_ENDPOINT_URL", "PRIVATE_STORAGE_S3_ACCESS_KEY_ID",
               "PRIVATE_STORAGE_S3_SECRET_ACCESS_KEY", "PRIVATE_STORAGE_S3_REGION", "PRIVATE_STORAGE_S3_PREFIX")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (moto's standalone server) in its own process on a free local port."""
    import urllib.request

    moto_bin = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    if not moto_bin:
        require_service("moto_server", "pip install 'moto[server]' (in the dev extra)")
    port = free_port()
    proc = subprocess.Popen([moto_bin, "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/moto-api/", timeout=1)  # noqa: S310 (our own local server)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("moto_server did not start")
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def use_s3_bucket(settings, endpoint: str, bucket: str) -> None:
    """Point the private storage at a fresh private bucket on ``endpoint``."""
    import boto3
    from django.utils.functional import empty

    from certportal.files import private_storage

    keys = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}  # noqa: S106 (local stand-in)
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys).create_bucket(Bucket=bucket)
    settings.PRIVATE_STORAGE_S3_BUCKET = bucket
    settings.PRIVATE_STORAGE_S3_ENDPOINT_URL = endpoint
    settings.PRIVATE_STORAGE_S3_ACCESS_KEY_ID = keys["aws_access_key_id"]
    settings.PRIVATE_STORAGE_S3_SECRET_ACCESS_KEY = keys["aws_secret_access_key"]
    settings.PRIVATE_STORAGE_S3_REGION = "us-east-1"
    private_storage._wrapped = empty


@pytest.fixture(params=["local", "s3"])
def storage_backend(request, settings):
    """Run a test once with the private files in the local folder and once in a real S3-compatible bucket."""
    if request.param == "s3":
        import uuid

        use_s3_bucket(settings, request.getfixturevalue("s3_server"), f"private-{uuid.uuid4().hex[:12]}")
    return request.param


# --- the demo, loaded once per test process ------------------------------------------------------


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool((marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
                or {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


_DEMO_OPEN: list = []  # the demo's transaction, while it is open


@pytest.fixture(scope="session")
def _demo_loaded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """``load_reference`` and ``load_demo`` once per test process (once per xdist worker; on PostgreSQL copied in
    from the run's one load when it was made, ``tests/demo_snapshot.py``), inside a transaction kept open until the
    process ends and then rolled back. Every test that asks for :func:`demo_data` runs in a savepoint
    of it (pytest-django's rollback), so each finds the demo as loaded and none sees what another changed. The tests
    that ask for it run last (``pytest_collection_modifyitems``): no other test runs inside that transaction."""
    from tests import demo_snapshot

    media = tmp_path_factory.mktemp("demo-private")
    with module_world.held_transaction(django_db_blocker, _DEMO_OPEN):
        demo_snapshot.install(_run_folder(tmp_path_factory) / "demo", media, in_transaction=True)
        yield media


@pytest.fixture
def demo_data(request, _demo_loaded_once, db, settings):
    """The reference and demo data (``make run``'s), loaded once per test process and rolled back after each test;
    their private files copied into this test's folder. Not for a transactional or live-server test: those ask for
    :func:`demo_committed` (a rollback cannot undo what they commit)."""
    shutil.copytree(_demo_loaded_once, settings.PRIVATE_MEDIA_ROOT, dirs_exist_ok=True)


def _run_folder(tmp_path_factory) -> Path:
    """A folder the test processes of this run share (pytest-xdist's workers each have a folder below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture
def demo_committed(transactional_db, settings, tmp_path_factory):
    """The reference and demo data, committed, for a transactional or live-server test: loaded by the first test of
    the run that asks, copied into each later one (``tests/demo_snapshot.py``)."""
    from tests import demo_snapshot

    demo_snapshot.install(_run_folder(tmp_path_factory) / "demo", settings.PRIVATE_MEDIA_ROOT, in_transaction=False)


@pytest.fixture
def alice(db):
    return person("alice")


@pytest.fixture
def bob(db):
    return person("bob")


@pytest.fixture
def victor(db):
    return person("victor")


@pytest.fixture
def asa(db):
    return person("asa")


@pytest.fixture
def lina(db):
    return person("lina")


@pytest.fixture
def tono(db):
    return person("tono")


@pytest.fixture
def quinn(db):
    return person("quinn")


@pytest.fixture
def karin(db):
    return person("karin")


@pytest.fixture
def sofia(db):
    return person("sofia")


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def login():
    """``login(user)`` gives a test client logged in as that user."""
    return client_for


@pytest.fixture
def kept_bodies(monkeypatch):
    """What each kept body (``{% kept %}``) rendered in the test asked the database: one list of SQL statements
    per body, empty when the body was read as kept (the header, the menus and the visibility check are drawn on
    every view: not counted). A body holding the request's script nonce fails (the next view's scripts would be
    refused by the browser)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from certportal.templatetags.kept import KeptNode

    asked: list[list[str]] = []
    render = KeptNode.render

    def watched(self, context):
        with CaptureQueriesContext(connection) as queries:
            html = render(self, context)
        asked.append([q["sql"] for q in queries.captured_queries])
        nonce = getattr(context["request"], "csp_nonce", "")
        assert not nonce or nonce not in html, "a kept body holds the request's script nonce"
        return html

    monkeypatch.setattr(KeptNode, "render", watched)
    return asked


# --- a real Celery worker --------------------------------------------------------------------


def _redis_url() -> str:
    return os.environ.get("REDIS_URL") or os.environ.get("CELERY_BROKER_URL") or ""


def require_service(what: str, hint: str):
    """Skip locally when a service is missing; in CI (CI=true) a missing service is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI: {hint}")
    pytest.skip(f"{what} not available: {hint}")


@pytest.fixture
def celery_worker_process(transactional_db, settings, tmp_path):
    """Start ``celery worker`` (solo pool) as a separate process against Redis and the test database.

    Yields the folder where the worker's e-mails land (file-based e-mail backend). Needs REDIS_URL and a
    PostgreSQL DATABASE_URL (the worker must see the rows the test commits).
    """
    with _celery_worker(settings, tmp_path, pool="solo", concurrency=1) as mail_dir:
        yield mail_dir


@pytest.fixture
def celery_prefork_worker(transactional_db, settings, tmp_path):
    """Like :func:`celery_worker_process`, but the portal's production shape: the prefork pool with two
    worker processes (``ASSESSMENT_PRINT_PROCESSES=2``)."""
    settings.ASSESSMENT_PRINT_PROCESSES = 2
    with _celery_worker(settings, tmp_path, pool="prefork", concurrency=2,
                        env={"ASSESSMENT_PRINT_PROCESSES": "2"}) as mail_dir:
        yield mail_dir


def worker_db_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# The Redis databases of the test processes' workers: TEST_REDIS_DB (14 unless set) for a run without pytest-xdist
# (the serial pass) and its first process, one less for each next process (13, 12, 11); the tiny benchmarks take 8
# to 10 (tests/core/test_bench.py).
MAX_PROCESSES = 4


def process_redis_db() -> str:
    """The Redis database of this test process: each pytest-xdist process has its own, so two workers started by
    tests running side by side never take each other's tasks."""
    process = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(process[2:]) if process[2:].isdigit() else 0
    if index >= MAX_PROCESSES:
        pytest.fail(f"test process {process}: at most {MAX_PROCESSES} test processes have a Redis database of "
                    "their own (TEST_PROCESSES)")
    return str(int(os.environ.get("TEST_REDIS_DB") or 14) - index)


def worker_broker_url() -> str:
    """The Redis database of this test process (:func:`process_redis_db`), so parallel runs never share a queue."""
    redis_url = _redis_url()
    if not redis_url:
        require_service("Redis", "set REDIS_URL=redis://127.0.0.1:6379/0")
    base = redis_url.rsplit("/", 1)[0] if redis_url.count("/") >= 3 else redis_url
    return f"{base}/{process_redis_db()}"




@contextmanager
def _celery_worker(settings, tmp_path, *, pool: str, concurrency: int, env: dict | None = None):
    from django.db import connection

    test_broker = worker_broker_url()
    if connection.vendor != "postgresql":
        require_service("PostgreSQL", "set DATABASE_URL=postgres://... to run worker tests")
    import redis

    redis.Redis.from_url(test_broker).flushdb()
    mail_dir = tmp_path / "worker-mail"
    mail_dir.mkdir()
    # the worker signs as the portal does (certportal.settings.dev: the PKCS#12 backend), with a throw-away key of
    # its own: not the demo key ``make run`` leaves under var/esign, which a fresh clone does not have
    signer = ensure_demo_signer(tmp_path / "worker-esign")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "certportal.settings.dev",
        "DATABASE_URL": worker_db_url(),
        "REDIS_URL": test_broker,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        **{name: str(getattr(settings, name) or "") for name in S3_SETTINGS},  # the same object store, if any
        "DEBUG": "false",
        "CONN_MAX_AGE": "0",
        "ESIGN_BACKEND": "pkcs12", "ESIGN_PKCS12_PATH": str(signer.p12), "ESIGN_PKCS12_PASSWORD": DEMO_PASSWORD,
        "ESIGN_TRUST_ROOTS": str(signer.ca_pem), "ESIGN_SIGNER_DIR": str(tmp_path / "worker-esign" / "signers"),
        "ESIGN_SIGNER_PASSWORD": DEMO_PASSWORD,
        **(env or {}),
    }
    celery_bin = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    log_path = tmp_path / f"worker-{pool}.log"
    log_file = log_path.open("w")
    proc = subprocess.Popen(
        [celery_bin, "-A", "certportal", "worker", f"--pool={pool}", f"--concurrency={concurrency}",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
        cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, text=True,
    )
    proc.log_path = log_path
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.EMAIL_FILE_PATH = str(mail_dir)
    with temporary_celery_app(test_broker) as test_app:
        try:
            _wait_for_worker(test_app, proc)
            yield mail_dir
        finally:
            print("--- worker log ---\n" + log_path.read_text())  # shown by pytest when the test fails
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def temporary_celery_app(broker_url: str):
    """Publish tasks through a fresh, non-eager Celery app on ``broker_url`` (current and default app in
    every thread), then restore the portal's own app. Shared tasks bind to the current app when called, so
    nothing that earlier tests did to the main app's connections can leak in, and nothing leaks out."""
    from celery import Celery

    from certportal.celery import app as main_app

    app = Celery("certportal-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(task_always_eager=False, broker_url=broker_url, result_backend=broker_url)
    app.set_current()
    app.set_default()
    try:
        yield app
    finally:
        main_app.set_current()
        main_app.set_default()
        app.close()


def _wait_for_worker(celery_app, proc, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("Celery worker exited:\n" + proc.log_path.read_text())
        try:
            if celery_app.control.ping(timeout=1):
                return
        except Exception:  # noqa: S110 - broker still starting
            pass
        time.sleep(0.5)
    raise RuntimeError("Celery worker did not answer a ping in time")


def worker_mail(mail_dir, containing: str, timeout: float = 40) -> str:
    """The text of the first e-mail the worker wrote that contains ``containing`` (waits for it)."""

    def found():
        for path in mail_dir.glob("*.log"):
            text = path.read_text()
            if containing in text:
                return text
        return None

    return wait_for(found, timeout=timeout)


def wait_for(predicate, timeout: float = 30, interval: float = 0.3):
    """Poll until ``predicate()`` is truthy; return its value or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail("condition not met in time")


@pytest.fixture
def on_23_november():
    """The clock stands still on 23 November 2026, 10:00 WIB, from before the test's records are made (list it
    first among a test's fixtures): records made "today" and an event on 8 December, whatever the real date."""
    import datetime
    import zoneinfo

    import time_machine

    at = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))
    with time_machine.travel(at, tick=False):
        yield


# Tests that start a real Celery worker (marked ``worker`` and ``slow``): each test process's workers use a Redis
# database of that process's own (:func:`process_redis_db`) or a redis-server of the test's own (the fault suite), so
# they run in the parallel pass, handed out first: their waits on a worker overlap the other process's work.
WORKER_FIXTURES = {"celery_worker_process", "celery_prefork_worker", "worker_broker_url", "worker_mail",
                   "fault_workers", "fault_redis", "shared_fault_worker"}
# (files whose tests start a worker without naming the fixture: getfixturevalue, or _celery_worker directly)
WORKER_FILES = {"test_operations.py", "test_outbox_failures.py", "test_print_jobs.py", "test_storage_contract.py",
                "test_worker_logs.py"}
# The production processes (``deploy``: gunicorn and the workers behind nginx on the serial pass's Redis database)
# and the broker outage (it times the public form against the same form refused, which a busy second process would
# skew) run in a second, serial pass (``make test``).
SERIAL_FILES = {"test_broker_down.py"}


def pytest_runtest_setup(item):
    """A test marked ``postgresql("why")`` needs PostgreSQL: on SQLite (the default of ``make test``) it is skipped
    with its reason, and in CI, where PostgreSQL runs, its absence is a failure (``require_service``). No test but
    one on the demo loaded once runs inside that demo's transaction (they run last; see ``_demo_loaded_once``), and
    no transactional test inside a module's world (tests/module_world.py)."""
    if "demo_data" in getattr(item, "fixturenames", ()) and _transactional(item):
        pytest.fail("demo_data is rolled back after each test: a transactional test loads the demo itself",
                    pytrace=False)
    if module_world.OPEN and _transactional(item):
        pytest.fail("this transactional test would run inside the transaction of its module's world "
                    "(tests/module_world.py): it belongs in a module without one", pytrace=False)
    if _DEMO_OPEN and not _uses_demo_data(item):
        pytest.fail("this test would run inside the transaction of the demo loaded once: the tests that use "
                    "demo_data must run last (pytest_collection_modifyitems)", pytrace=False)
    marker = item.get_closest_marker("postgresql")
    if marker is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        why = marker.args[0] if marker.args else "needs PostgreSQL"
        require_service("PostgreSQL", f"{why}; set DATABASE_URL=postgres://...")


# Browser tests: the folder, and any test that starts the live server or Chromium. Slow tests (minutes): the crawl with
# the accessibility walk inside it (every page of every role), the embedded portal (``make run`` in processes of its
# own), the benchmarks, the production smoke. ``make check`` leaves out browser, slow and serial tests; ``make test``
# runs all.
BROWSER_FIXTURES = {"browser", "live_server"}
SLOW_FILES = {"browser/test_crawl.py", "core/test_embedded_default.py",
              # the slowest of a make check run (its --durations): a minute or more each on a 2-core machine
              "assessments/test_paper_layout.py", "invariants/test_workflow_invariants.py", "core/test_input_guard.py",
              "core/test_i18n.py", "assessments/test_demo.py", "core/test_demo.py"}
# the tests on the demo (its load takes half a minute or more per test process), and single tests marked
# ``@pytest.mark.slow`` where they are (the slowest of a make check run's --durations, 8 s or more at load 6)
DEMO_FIXTURES = {"demo_data", "demo_committed"}
SLOW_TIMEOUT = 1800  # seconds; the default (pyproject's ``timeout``) is 600


def _uses_demo_data(item) -> bool:
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {}).get("demo_data") or ()
    return bool(definitions) and definitions[-1].func.__module__ == __name__ and not _transactional(item)


def _share(item) -> int:
    """When a test runs, longest first so that the test processes finish together (pytest-xdist hands the tests
    out in this order): the slow tests (the slowest files, the benchmarks), then the browser tests, then the rest;
    read off the markers :func:`pytest_collection_modifyitems` has just set."""
    if item.get_closest_marker("slow"):
        return 0
    return 1 if item.get_closest_marker("browser") else 2


def _under_tests(path: Path) -> str:
    return path.relative_to(ROOT / "tests").as_posix() if path.is_relative_to(ROOT / "tests") else ""


def suite_marks(path: Path, fixtures: set[str], marked: set[str]) -> set[str]:
    """The markers a test gets from where it is and what it uses, besides those it names itself (``marked``)."""
    under_tests, marks = _under_tests(path), set(marked)
    if under_tests.startswith("browser/") or BROWSER_FIXTURES & fixtures:
        marks.add("browser")
    if path.name in WORKER_FILES or WORKER_FIXTURES & fixtures:
        marks.add("worker")
    if under_tests in SLOW_FILES or DEMO_FIXTURES & fixtures or marks & {"bench", "deploy", "worker"}:
        marks.add("slow")
    if "deploy" in path.parts or path.name in SERIAL_FILES or "deploy" in marks:
        marks.add("serial")
    return marks - marked


def pytest_collection_modifyitems(config, items):
    for item in items:
        marked = {mark.name for mark in item.iter_markers()}
        for name in sorted(suite_marks(Path(str(item.fspath)), set(getattr(item, "fixturenames", ())), marked)):
            item.add_marker(getattr(pytest.mark, name))
        if item.get_closest_marker("slow") and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(SLOW_TIMEOUT))
    # the longest first; the tests on the demo loaded once (demo_data) last: its transaction stays open from the
    # first of them on (a stable sort: each group keeps its order)
    items[:] = sorted(items, key=lambda item: (_uses_demo_data(item), _share(item)))
    durations.deselect_long(config, items)
