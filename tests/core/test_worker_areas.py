"""The tests with real Celery workers run in make test's parallel pass (tests/conftest.py): each test process's workers
take their tasks from a Redis database of that process's own, and only the production's processes and the timed
broker outage are left to the serial pass."""

import pytest

from tests.conftest import ROOT, SERIAL_FILES, WORKER_FILES, process_redis_db, suite_marks, worker_broker_url

TESTS = ROOT / "tests"


@pytest.mark.parametrize(("process", "database"), [(None, 14), ("gw0", 14), ("gw1", 13), ("gw3", 11)])
def test_each_test_process_has_a_redis_database_of_its_own(monkeypatch, process, database):
    monkeypatch.delenv("TEST_REDIS_DB", raising=False)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    if process is None:
        monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    else:
        monkeypatch.setenv("PYTEST_XDIST_WORKER", process)
    assert process_redis_db() == str(database)
    assert worker_broker_url() == f"redis://127.0.0.1:6379/{database}"  # never the portal's own database, 0
    monkeypatch.setenv("TEST_REDIS_DB", "7")  # TEST_REDIS_DB moves the first; the next processes follow it down
    assert process_redis_db() == str(7 - (14 - database))


def test_a_fifth_test_process_is_refused_rather_than_sharing_a_queue(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw4")
    with pytest.raises(pytest.fail.Exception, match="at most 4 test processes"):
        process_redis_db()


@pytest.mark.parametrize(("path", "fixtures"), [
    ("faults/test_worker_killed.py", {"fault_workers", "transactional_db"}),
    ("faults/test_every_kind_killed.py", {"shared_fault_worker"}),
    ("core/test_celery_worker.py", {"celery_worker_process"}),
    ("assessments/test_print_jobs.py", {"transactional_db"}),  # starts its worker without naming the fixture
])
def test_a_worker_test_runs_in_the_parallel_pass_handed_out_first(path, fixtures):
    marks = suite_marks(TESTS / path, fixtures, set())
    assert {"worker", "slow"} <= marks and "serial" not in marks


@pytest.mark.parametrize("path", ["deploy/test_production_smoke.py", "deploy/test_start_scripts.py",
                                  "core/test_broker_down.py"])
def test_the_production_processes_and_the_timed_outage_stay_in_the_serial_pass(path):
    assert "serial" in suite_marks(TESTS / path, set(), set())


def test_a_plain_test_gets_no_mark_and_a_named_one_is_kept():
    assert suite_marks(TESTS / "applicants/test_queue.py", {"db", "client"}, set()) == set()
    assert suite_marks(TESTS / "applicants/test_queue.py", set(), {"worker"}) == {"slow"}  # named worker: slow too


def test_every_file_the_lists_name_is_there():
    for name in WORKER_FILES | SERIAL_FILES:
        assert list(TESTS.rglob(name)), name
