"""The quality app's demo: each room's own (``<room>/demo.py``), one line per room."""

from __future__ import annotations


def prepare(stdout) -> None:
    """Before any app's demo loads (``load_demo``): what the others' demos need from these records."""
    from .impartiality import demo as impartiality

    impartiality.prepare(stdout)


def load(stdout) -> None:
    from .competence import demo as competence
    from .impartiality import demo as impartiality
    from .reports import demo as reports
    from .retention import demo as retention
    from .system import demo as system

    impartiality.load(stdout)
    reports.load(stdout)
    retention.load(stdout)
    system.load(stdout)
    competence.load(stdout)
