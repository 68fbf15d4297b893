"""The test processes share the slow head of the order (tests/scheduling.py): pytest-xdist's first hand-out, dealt in
turn, instead of a chunk of consecutive tests that gave the first process every slow test."""

from types import SimpleNamespace

from xdist.scheduler import LoadScheduling

from tests.scheduling import WHOLE_MODULES, DealtLoadScheduling, units


class Node:
    def __init__(self, name):
        self.gateway, self.sent, self.shutting_down, self.down = SimpleNamespace(id=name), [], False, False

    def send_runtest_some(self, indices):
        self.sent += indices

    def shutdown(self):
        self.down = True


def _scheduled(kind, tests: int, names=None):
    scheduler = kind.__new__(kind)  # the scheduler's state, without a pytest-xdist session around it
    scheduler.numnodes, scheduler.node2collection, scheduler.node2pending = 2, {}, {}
    scheduler.pending, scheduler.collection, scheduler.maxschedchunk = [], None, None
    scheduler.log = lambda *args: None
    first, second = Node("gw0"), Node("gw1")
    for node in (first, second):
        scheduler.add_node(node)
        scheduler.add_node_collection(node, names or [f"test_{i}" for i in range(tests)])
    scheduler.schedule()
    return scheduler, first, second


def test_the_first_hand_out_is_dealt_in_turn_not_in_consecutive_chunks():
    _, first, second = _scheduled(LoadScheduling, 80)
    assert first.sent == list(range(10)) and second.sent == list(range(10, 20))  # the head all to the first
    scheduler, first, second = _scheduled(DealtLoadScheduling, 80)
    assert first.sent == list(range(0, 20, 2)) and second.sent == list(range(1, 20, 2))
    assert scheduler.pending == list(range(20, 80))  # the rest handed out as each process runs low, as before


def test_a_run_smaller_than_a_hand_out_is_sent_whole_and_the_processes_told_to_stop():
    scheduler, first, second = _scheduled(DealtLoadScheduling, 3)
    assert sorted(first.sent + second.sent) == [0, 1, 2] and first.sent == [0, 2]
    assert scheduler.pending == [] and first.down and second.down


def test_the_tests_of_a_module_with_a_costly_fixture_go_to_one_process_together():
    whole = WHOLE_MODULES[0]
    names = ["a.py::slow_0", f"{whole}::one", f"{whole}::two", f"{whole}::three", "a.py::slow_1", "a.py::slow_2",
             *[f"b.py::test_{i}" for i in range(74)]]
    assert units(names)[:4] == [1, 3, 1, 1]
    _, first, second = _scheduled(DealtLoadScheduling, 80, names)
    assert first.sent[:3] == [0, 4, 6] and second.sent[:4] == [1, 2, 3, 5]  # the module's three to the second
    assert len(first.sent) + len(second.sent) == 20  # the same first hand-out in all
    _, first, second = _scheduled(LoadScheduling, 80, names)
    assert first.sent == list(range(10))  # (pytest-xdist's own chunks keep them together only by luck)
