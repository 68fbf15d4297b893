"""The threat analysis's machine: draft → approved. Threats are added while it is a draft (an act that keeps the
status); someone other than the person who drafted it approves it, once it names at least one threat.

Once approved, the evidence that each measure works is recorded against its threat (an act that keeps the status).
The committee, its meetings and the declarations have no statuses: each change is one audited act (codes in :data:`LABELS`)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certportal.accounts.models import Role
from certportal.errors import PortalError, TransitionRefused
from certportal.workflow import Machine, Transition

from .models import ThreatAnalysis

S = ThreatAnalysis.Status
APPROVERS = (Role.LSP_ADMIN, Role.QUALITY)

LABELS = {
    "quality.committeemember.added": gettext_lazy("impartiality committee member added"),
    "quality.committeemember.changed": gettext_lazy("impartiality committee member changed"),
    "quality.declaration.signed": gettext_lazy("declaration of interest and confidentiality signed"),
    "quality.committeemeeting.recorded": gettext_lazy("impartiality committee meeting recorded"),
}


class ImpartialityError(PortalError):
    """A refused act on the impartiality records, in the reader's language."""


class ImpartialityRefused(ImpartialityError, TransitionRefused):
    """A refused transition (the workflow core raises it: the machine's ``refused``)."""


def _approvable(analysis: ThreatAnalysis, user, at) -> str | None:
    if not analysis.threats.exists():
        return _("Record at least one threat before approving the analysis.")
    if analysis.created_by_id == getattr(user, "pk", None):
        return _("You drafted this analysis: someone else approves it.")
    return None


MACHINE = Machine(
    model=ThreatAnalysis,
    states=S,
    refused=ImpartialityRefused,
    labels={"created": gettext_lazy("threat analysis drafted")},
    transitions=[
        Transition("threat_added", {S.DRAFT}, None, gettext_lazy("threat recorded"), gettext_lazy("Add the threat"),
                   (Role.LSP_ADMIN,), url_name="quality:threat-add"),
        Transition("control_evidenced", {S.APPROVED}, None, gettext_lazy("evidence of a measure recorded"),
                   gettext_lazy("Record the evidence"), APPROVERS, url_name="quality:threat-evidence"),
        Transition("approved", {S.DRAFT}, S.APPROVED, gettext_lazy("threat analysis approved"),
                   gettext_lazy("Approve the analysis"), APPROVERS, guard=_approvable, stamp="approved_at",
                   url_name="quality:threat-analysis-approve"),
    ],
)
