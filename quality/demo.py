"""The quality app's demo: each room's own ``demo.load``, one line per room."""

from __future__ import annotations


def load(stdout) -> None:
    from .reports import demo as reports
    from .retention import demo as retention
    from .system import demo as system

    reports.load(stdout)
    retention.load(stdout)
    system.load(stdout)
