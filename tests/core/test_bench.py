"""Benchmarks that cannot rot: every script in ``bench/`` runs at its tiny size (``--tiny``: seconds, a throwaway
PostgreSQL database) in every test run, and fails when a page answers an error, when a query count moves between
its two sizes, or when the script itself breaks (a model changed under its bulk SQL, say). The full runs stay
manual (``make bench``, ``make bench-scale``; docs/benchmarks.md)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import models

from certportal.accounts.models import User

from ..conftest import require_service

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "bench").glob("bench_*.py"))
sys.path.insert(0, str(ROOT / "bench"))

from _db import admin_sql  # noqa: E402
from scale.counts import Counted  # noqa: E402
from scale.pages import Page  # noqa: E402
from scale.report import failures  # noqa: E402
from scale.rows import NoValue, default_sql, insert  # noqa: E402


@pytest.fixture
def migrated_template():
    """A migrated database each tiny run copies (migrating takes longer than a tiny run), dropped at the end."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        require_service("PostgreSQL", "set DATABASE_URL=postgres://... to run the benchmarks")
    server = url.rsplit("/", 1)[0]
    name = f"cp_bench_template_{os.getpid()}"
    admin_sql(f"{server}/postgres", f'DROP DATABASE IF EXISTS "{name}"')
    admin_sql(f"{server}/postgres", f'CREATE DATABASE "{name}"')
    try:
        env = {**os.environ, "DATABASE_URL": f"{server}/{name}", "DJANGO_SETTINGS_MODULE": "certportal.settings.dev"}
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True,
                       timeout=600)
        yield name
    finally:
        admin_sql(f"{server}/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


AT_ONCE = 3  # they mostly wait on PostgreSQL, gunicorn and a Celery worker; more at once starves two cores


def _start(script: Path, env: dict, tmp_path: Path) -> tuple[subprocess.Popen, object]:
    out = (tmp_path / f"{script.stem}.log").open("w+")
    return subprocess.Popen([sys.executable, str(script), "--tiny"], cwd=ROOT, env=env, stdout=out,
                            stderr=subprocess.STDOUT, text=True), out


def _finish(proc: subprocess.Popen, out) -> str | None:
    """None when the run passed, else its exit and the end of its output."""
    try:
        code = proc.wait(timeout=600)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = "timeout"
    out.seek(0)
    text = out.read()
    return None if code == 0 and "FAILED" not in text else f"exit {code}\n{text[-5000:]}"


@pytest.mark.bench
def test_every_benchmark_runs_at_its_tiny_size(migrated_template, tmp_path):
    """Each script in bench/ at --tiny, a few at once."""
    env = {**os.environ, "BENCH_TEMPLATE_DATABASE": migrated_template,
           "BENCH_REDIS_DB": os.environ.get("BENCH_REDIS_DB", "13")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    assert {p.name for p in SCRIPTS} >= {"bench_scale.py", "bench_applicants_queue.py", "bench_sla_sweep.py",
                                         "bench_assessments_pdf.py", "bench_assessment_file.py",
                                         "bench_written_test.py"}
    waiting, running, broken = list(SCRIPTS), {}, {}
    while waiting or running:
        while waiting and len(running) < AT_ONCE:
            script = waiting.pop(0)
            running[script.name] = _start(script, env, tmp_path)
        name = next(iter(running))
        if (failure := _finish(*running.pop(name))) is not None:
            broken[name] = failure
    assert not broken, "\n\n".join(f"== {name}: {text}" for name, text in broken.items())


def _postgresql_only() -> None:
    """The scale harness writes with PostgreSQL's COPY and SQL composition: on the embedded default it cannot run."""
    from django.db import connection

    from tests.conftest import require_service

    if connection.vendor != "postgresql":
        require_service("PostgreSQL", "set DATABASE_URL=postgres://... to run the scale harness's row tests")


@pytest.mark.django_db
def test_the_scale_rows_take_a_new_column_from_its_model():
    """The bulk SQL names every column of the model's table, each new one with the model's default: the users'
    daily digest (added after the benchmark was written) is given its default, unasked."""
    _postgresql_only()
    sql = insert(User, {"email": "'x@bench.go.id'", "full_name": "'X'", "password": "'!'"}, "generate_series(1, 2)")
    columns = sql.split("(", 1)[1].split(")", 1)[0].split(", ")
    assert "daily_digest" in columns
    assert set(columns) >= {f.column for f in User._meta.concrete_fields if not f.null and not f.primary_key}
    assert default_sql(User._meta.get_field("daily_digest")).startswith(("false::", "true::"))


@pytest.mark.django_db
def test_a_column_without_any_default_is_named():
    _postgresql_only()
    field = models.IntegerField()
    field.set_attributes_from_name("shoe_size")
    field.model = User
    with pytest.raises(NoValue, match=r"accounts\.User\.shoe_size .* NOT NULL and has no default"):
        default_sql(field)
    with pytest.raises(NoValue, match="has no column shoe_size"):
        insert(User, {"shoe_size": "42"}, "generate_series(1, 2)")


def test_the_scale_run_fails_on_an_error_page_and_on_a_count_that_grows():
    plan = [Page("queue", "verifier", lambda r: "/q/", "/q/?page=2"), Page("audit", "lsp_admin", lambda r: "/a/", "")]
    small = {"queue": Counted(5, 5, 200), "audit": Counted(7, 7, 200)}
    assert failures(plan, small, {"queue": Counted(5, 5, 200), "audit": Counted(7, 7, 200)}, {}) == []
    found = failures(plan, small, {"queue": Counted(6, 5, 200), "audit": Counted(7, 7, 500)}, {"audit": (3.0, 2)})
    assert found == ["queue: 5 queries at the smaller size, 6 at the larger", "audit: HTTP 500",
                     "audit: 2 error answers under gunicorn"]
