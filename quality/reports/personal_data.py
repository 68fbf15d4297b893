"""The reports room's part of "download my data": a periodic report names only the staff member who made it
(``created_by``, a work record of the LSP), so it exports nothing of a person's own."""

NAMES = ["quality.PeriodicReport.created_by"]


def collect(user) -> list:
    return []
