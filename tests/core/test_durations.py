"""The quick loop leaves out its longest tests by their measured cost (tests/durations.py); the whole suite does not."""

import json
from types import SimpleNamespace

from tests import durations


def _config(quick: bool, deselected: list):
    return SimpleNamespace(getoption=lambda name: quick,
                           hook=SimpleNamespace(pytest_deselected=lambda items: deselected.extend(items)))


def test_the_quick_loop_leaves_out_the_tests_measured_at_or_over_the_limit_and_make_test_keeps_them(monkeypatch,
                                                                                                   tmp_path):
    file = tmp_path / "durations.json"
    file.write_text(json.dumps({"tests/a.py::test_long": durations.QUICK_LIMIT, "tests/a.py::test_short": 0.2}))
    monkeypatch.setattr(durations, "FILE", file)
    names = ["tests/a.py::test_long", "tests/a.py::test_short", "tests/a.py::test_new"]
    items, deselected = [SimpleNamespace(nodeid=n) for n in names], []
    durations.deselect_long(_config(True, deselected), items)
    assert [i.nodeid for i in items] == names[1:] and [i.nodeid for i in deselected] == names[:1]
    items, deselected = [SimpleNamespace(nodeid=n) for n in names], []
    durations.deselect_long(_config(False, deselected), items)
    assert [i.nodeid for i in items] == names and deselected == []


def test_a_run_adds_up_each_tests_phases_and_merges_them_into_the_file(monkeypatch, tmp_path):
    file = tmp_path / "durations.json"
    here = "tests/core/test_durations.py::test_earlier"  # a file that exists: kept though this run did not reach it
    file.write_text(json.dumps({here: 0.7, "tests/gone.py::test_old": 3.0, "tests/core/test_durations.py::test_x": 9}))
    monkeypatch.setattr(durations, "FILE", file)
    recorder = durations.Recorder()
    for phase_cost in (0.05, 0.3, 0.02):  # set-up, call, tear-down
        recorder.pytest_runtest_logreport(SimpleNamespace(nodeid="tests/core/test_durations.py::test_x",
                                                          user_properties=[("cpu", phase_cost)]))
    recorder.pytest_runtest_logreport(SimpleNamespace(nodeid="tests/core/test_durations.py::test_cheap",
                                                      user_properties=[("cpu", 0.01)]))
    recorder.pytest_sessionfinish(None, 0)
    assert json.loads(file.read_text()) == {here: 0.7, "tests/core/test_durations.py::test_x": 0.37}
