"""The quality app's demo: each room's own (``<room>/demo.py``), in turn."""

from quality.impartiality import demo as impartiality


def prepare(stdout) -> None:
    """Before any app's demo loads (``load_demo``): what the others' demos need from these records."""
    impartiality.prepare(stdout)


def load(stdout) -> None:
    impartiality.load(stdout)
