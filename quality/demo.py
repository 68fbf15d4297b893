"""Demo data of the LSP's own records: each room's ``demo.load``, one line per room."""


def load(stdout) -> None:
    from .system import demo as system

    system.load(stdout)
