"""The quick loop leaves out its longest tests, read off a file of what each one cost.

``make check`` (the quick loop before a commit) passes ``--quick``: every test whose last measured cost (the CPU time
of the test's process over its set-up, call and tear-down, in ``tests/durations.json``) is ``QUICK_LIMIT`` seconds or
more is deselected. ``make test`` (the whole suite, what CI runs) never passes it, so nothing leaves the suite; a new
test, not in the file yet, runs in the quick loop until the file is written again.

``make durations`` writes the file again: it runs the quick loop's tests without ``--quick`` with
``TEST_DURATIONS_WRITE=1``; each test process measures its CPU time per phase and sends it with the phase's report,
and the run's controller (pytest-xdist's, or the one process) adds them up and merges them into the file (entries of
tests the run did not reach are kept; those whose file is gone are dropped; those under ``KEPT_FROM`` are not
written). CPU time, not the wall clock: it moves far less with what else the machine runs, and the quick loop's tests
wait for nothing outside their process (the browser, the workers and the servers are in the tests it leaves out by
marker).
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from pathlib import Path

import pytest

FILE = Path(__file__).with_name("durations.json")
QUICK_LIMIT = 0.5  # seconds; the tests at or over it are left out of the quick loop
KEPT_FROM = 0.1  # seconds; cheaper tests are not written to the file (a test not in it counts as cheap)
ROOT = FILE.parent.parent


def addoption(parser) -> None:
    parser.addoption("--quick", action="store_true", default=False,
                     help=f"leave out the tests that took {QUICK_LIMIT} s or more in tests/durations.json")


def load() -> dict[str, float]:
    try:
        return json.loads(FILE.read_text())
    except (OSError, ValueError):
        return {}


def deselect_long(config, items) -> None:
    if not config.getoption("quick"):
        return
    times = load()
    keep, left_out = [], []
    for item in items:
        (left_out if times.get(item.nodeid, 0.0) >= QUICK_LIMIT else keep).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = keep


class Meter:
    """In each test process: the CPU time of each phase, sent with the phase's report."""

    def __init__(self) -> None:
        self.started = 0.0

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item):
        self.started = time.process_time()
        return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        self.started = time.process_time()
        return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item):
        self.started = time.process_time()
        return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        report.user_properties.append(("cpu", time.process_time() - self.started))
        return report


class Recorder:
    """Adds up each test's phases as the reports reach the run's controller; merges them into ``FILE`` at the end."""

    def __init__(self) -> None:
        self.times: dict[str, float] = defaultdict(float)

    def pytest_runtest_logreport(self, report) -> None:
        self.times[report.nodeid] += sum(value for name, value in report.user_properties if name == "cpu")

    def pytest_sessionfinish(self, session, exitstatus) -> None:
        if not self.times:
            return
        merged = {nodeid: seconds for nodeid, seconds in load().items()
                  if (ROOT / nodeid.split("::")[0]).exists()}
        merged.update({nodeid: round(seconds, 2) for nodeid, seconds in self.times.items()})
        kept = {nodeid: seconds for nodeid, seconds in sorted(merged.items()) if seconds >= KEPT_FROM}
        FILE.write_text(json.dumps(kept, indent=0) + "\n")


def configure(config) -> None:
    if not os.environ.get("TEST_DURATIONS_WRITE"):
        return
    config.pluginmanager.register(Meter(), "test-durations-meter")
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(Recorder(), "test-durations-recorder")
