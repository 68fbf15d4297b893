"""The management system's part of "download my data": the corrective actions a person owns and the evidence they
attached. The other links name staff acting in their role (who recorded, closed, uploaded or approved)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certportal.personal_data import PersonalFile, Section

from .models import ActionEvidence, CorrectiveAction

EXPORTS = ["quality.CorrectiveAction.owner", "quality.ActionEvidence.uploaded_by", "quality.ActionEvidence.action"]
NAMES = ["quality.SystemReview.recorded_by", "quality.Finding.recorded_by", "quality.CorrectiveAction.closed_by",
         "quality.ControlledDocument.created_by", "quality.DocumentVersion.uploaded_by",
         "quality.DocumentVersion.approved_by"]


def collect(user) -> list[Section]:
    actions = CorrectiveAction.objects.filter(owner=user).select_related("finding__review")
    evidence = list(ActionEvidence.objects.filter(Q(uploaded_by=user) | Q(action__owner=user))
                    .select_related("action"))
    files = [PersonalFile(f"{e.action_id}-{e.pk}-{e.original_name}", _reader(e)) for e in evidence]
    return [
        Section("quality.corrective_actions", _("Corrective actions you own"), [
            {"review": str(a.finding.review), "finding": a.finding.description, "action": a.description,
             "due_on": a.due_on, "status": a.status, "completed_at": a.completed_at, "closed_at": a.closed_at}
            for a in actions]),
        Section("quality.evidence", _("Evidence of your corrective actions"), [
            {"action": str(e.action), "file": e.original_name, "note": e.note, "uploaded_at": e.uploaded_at}
            for e in evidence], files),
    ]


def _reader(evidence: ActionEvidence):
    def read() -> bytes:
        with evidence.file.open("rb") as handle:
            return handle.read()
    return read
