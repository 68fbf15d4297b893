"""Models of the LSP's own records. Each room (a package beside this module: ``impartiality``, ``system``,
``reports``, ``retention``) keeps its models in its own ``models.py``; they are imported here so that Django finds
them under the app label ``quality``, one line per room."""

from quality.impartiality.models import CommitteeMember, Declaration, Threat, ThreatAnalysis  # noqa: E402, F401
