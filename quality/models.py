"""Models of the LSP's own records. Each room (a package beside this module: ``competence``, ``impartiality``, ``system``,
``reports``, ``retention``) keeps its models in its own ``models.py``; they are imported here so that Django finds
them under the app label ``quality``, one line per room."""

from .competence.models import CompetenceCriterion, CompetenceEvidence, CompetenceRecord  # noqa: F401
from .impartiality.models import CommitteeMeeting, CommitteeMember, Declaration, Threat, ThreatAnalysis  # noqa: F401
from .reports.models import PeriodicReport  # noqa: F401
from .retention.models import DisposalItem, DisposalList  # noqa: F401
from .system.models import *  # noqa: F401,F403  (the management system's records)
