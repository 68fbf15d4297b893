"""Models of the LSP's own records. Each room (a package beside this module: ``impartiality``, ``system``,
``reports``, ``retention``) keeps its models in its own ``models.py``; they are imported here so that Django finds
them under the app label ``quality``, one line per room."""

from quality.reports.models import PeriodicReport  # noqa: F401
from quality.retention.models import DisposalItem, DisposalList  # noqa: F401
