"""How pytest-xdist hands the tests out: its ``load`` scheduling, with the first hand-out dealt in turn.

``make test`` orders the tests longest first (``pytest_collection_modifyitems`` in ``tests/conftest.py``). pytest-xdist's
``load`` scheduling sends each test process a first chunk of consecutive tests, an eighth of the run each with two
processes: the first process got every slow test (the crawl, the accessibility walk, the demo's papers, the
benchmarks, most browser tests) and the second, having run the rest, sat idle for the last half hour of the pass.
Here the same first hand-out (as many tests, the same low-water refills after it) is dealt one test at a time to each
process in turn, so each process starts with every other test of the head of the order: half the slow tests each.

The tests of a module in :data:`WHOLE_MODULES` are dealt together, to one process: their module-scoped fixture is
costly, and split over two processes it was set up twice (the embedded portal's ``migrate`` and demo on SQLite:
150 s of a core each time). Such a module's tests are slow, so they are in the head and its first hand-out.
"""

from __future__ import annotations

from xdist.scheduler import LoadScheduling

# modules whose tests share a costly module-scoped fixture (see above)
WHOLE_MODULES = ("tests/core/test_embedded_default.py",  # ``make run`` in processes of its own
                 "tests/faults/test_every_kind_killed.py")  # a Redis and a prefork worker for the module


def units(collection: list[str]) -> list[int]:
    """The sizes of the order's units, in order: one test, or the consecutive tests of one of :data:`WHOLE_MODULES`."""
    sizes: list[int] = []
    previous = None
    for nodeid in collection:
        module = nodeid.split("::", 1)[0]
        if module in WHOLE_MODULES and module == previous:
            sizes[-1] += 1
        else:
            sizes.append(1)
        previous = module
    return sizes


class DealtLoadScheduling(LoadScheduling):
    def schedule(self) -> None:
        if self.collection is not None or not self._check_nodes_have_same_collection():
            super().schedule()
            return
        self.collection = next(iter(self.node2collection.values()))
        self.pending[:] = range(len(self.collection))
        if not self.collection:
            return
        if self.maxschedchunk is None:
            self.maxschedchunk = len(self.collection)
        nodes = self.nodes
        first = max(min(len(self.collection) // len(nodes) // 4, self.maxschedchunk), 2)  # load's first chunk
        dealt = 0
        for turn, size in enumerate(units(self.collection)):
            if dealt >= first * len(nodes):
                break
            self._send_tests(nodes[turn % len(nodes)], size)
            dealt += size
        if not self.pending:
            for node in nodes:
                node.shutdown()


def make_scheduler(config, log):
    """The scheduler for ``-n N`` with the default distribution; None (pytest-xdist's own) for any other."""
    if config.getvalue("dist") != "load":
        return None
    return DealtLoadScheduling(config, log)
