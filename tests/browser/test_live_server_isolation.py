"""One failing test never fails another: a request that breaks a transaction and leaves it open in the live server
(a 500) leaves the next test a clean database and connection, on SQLite (the live server shares the test's one
in-memory connection) and on PostgreSQL. The two tests (tests/browser/isolation_cases.py) run in order in their own
pytest process, so nothing else runs between them."""

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

CASES = "tests/browser/isolation_cases.py"


def run_cases(database_url: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "--create-db", "--nomigrations",
                           "-q", CASES], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def databases() -> list[pytest.param]:
    found = [pytest.param(None, id="sqlite")]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        found.append(pytest.param(url.rsplit("/", 1)[0] + "/" + url.rsplit("/", 1)[1].split("?")[0] + "_isolation",
                                  id="postgresql"))
    return found


@pytest.mark.parametrize("database_url", databases())
def test_a_broken_transaction_in_the_live_server_never_fails_the_next_test(database_url):
    run = run_cases(database_url)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "2 passed" in run.stdout
