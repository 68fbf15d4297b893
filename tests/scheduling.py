"""How pytest-xdist hands the tests out: its ``load`` scheduling, with the first hand-out dealt in turn.

``make test`` orders the tests longest first (``pytest_collection_modifyitems`` in ``tests/conftest.py``). pytest-xdist's
``load`` scheduling sends each test process a first chunk of consecutive tests, an eighth of the run each with two
processes: the first process got every slow test (the crawl, the accessibility walk, the demo's papers, the
benchmarks, most browser tests) and the second, having run the rest, sat idle for the last half hour of the pass.
Here the same first hand-out (as many tests, the same low-water refills after it) is dealt one test at a time to each
process in turn, so each process starts with every other test of the head of the order: half the slow tests each.
"""

from __future__ import annotations

from xdist.scheduler import LoadScheduling


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
        for _ in range(first):
            for node in nodes:
                self._send_tests(node, 1)
        if not self.pending:
            for node in nodes:
                node.shutdown()


def make_scheduler(config, log):
    """The scheduler for ``-n N`` with the default distribution; None (pytest-xdist's own) for any other."""
    if config.getvalue("dist") != "load":
        return None
    return DealtLoadScheduling(config, log)
