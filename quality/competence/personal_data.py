"""The competence room's part of "download my data": the person's competence records and the evidence attached
to them. The other links name staff acting in their role (who recorded, authorised, witnessed, kept a criterion)."""

from django.utils.translation import gettext_lazy as _

from certportal.personal_data import PersonalFile, Section

from .models import CompetenceEvidence, CompetenceRecord

EXPORTS = ["quality.CompetenceRecord.person", "quality.CompetenceEvidence.record"]
NAMES = ["quality.CompetenceRecord.by_user", "quality.CompetenceRecord.recorded_by",
         "quality.CompetenceEvidence.uploaded_by", "quality.CompetenceCriterion.created_by",
         "quality.CompetenceCriterion.changed_by"]


def collect(user) -> list[Section]:
    records = CompetenceRecord.objects.filter(person=user).select_related("by_user", "criterion")
    evidence = list(CompetenceEvidence.objects.filter(record__person=user).select_related("record"))
    files = [PersonalFile(f"{e.record_id}-{e.pk}-{e.original_name}", _reader(e)) for e in evidence]
    return [
        Section("quality.competence", _("Your competence records"), [
            {"kind": r.kind, "title": r.title, "date": r.done_on, "role": r.role, "by": r.by, "outcome": r.outcome,
             "hours": r.hours, "valid_until": r.valid_until, "note": r.note,
             "criterion": r.criterion.requirement if r.criterion_id else ""} for r in records]),
        Section("quality.competence_evidence", _("Evidence of your competence"), [
            {"record": str(e.record), "file": e.original_name, "uploaded_at": e.uploaded_at} for e in evidence],
            files),
    ]


def _reader(evidence: CompetenceEvidence):
    def read() -> bytes:
        with evidence.file.open("rb") as handle:
            return handle.read()
    return read
