"""The applicants app's part of "download my data": the profile, every application with its documents, files,
self-assessment, correction notes, verification checks, history and who opened the files."""

from django.utils.translation import gettext_lazy as _

from certportal.audit.services import history_for
from certportal.personal_data import PersonalFile, Section, rows

from .models import ApplicantProfile, Application, DocumentFile

EXPORTS = [
    "applicants.ApplicantProfile.user", "applicants.ApplicantProfile.email", "applicants.Application.applicant",
    "applicants.ApplicationDocument.application", "applicants.DocumentFile.document", "applicants.DocumentAccess.file",
    "applicants.SelfAssessment.application", "applicants.ReturnNote.application", "applicants.ReturnNote.document",
    "applicants.VerificationCheck.application",
]
NAMES = [
    "applicants.ApplicationDocument.reviewed_by", "applicants.DocumentAccess.user", "applicants.DocumentFile.uploaded_by",
    "applicants.ReturnNote.author", "applicants.VerificationCheck.checked_by",
]


def collect(user) -> list[Section]:
    profile = ApplicantProfile.objects.filter(user=user).first()
    apps = Application.objects.filter(applicant=user).select_related("scheme").order_by("created_at", "pk")
    files = DocumentFile.objects.filter(document__application__applicant=user).order_by("pk")
    return [
        Section("profile", _("Applicant profile"), [profile.snapshot()] if profile else []),
        Section("applications", _("Applications"), [_application(app) for app in apps],
                [PersonalFile(f"{f.document.application_id}-v{f.version}-{f.pk}-{f.original_name}", _reader(f))
                 for f in files]),
    ]


def _reader(f: DocumentFile):
    def read() -> bytes:
        with f.file.open("rb") as fh:
            return fh.read()
    return read


def _application(app: Application) -> dict:
    files = DocumentFile.objects.filter(document__application=app).select_related("document__requirement")
    return {
        "id": app.pk, "scheme": app.scheme.code, "status": app.status, "purpose": app.purpose,
        "purpose_other": app.purpose_other, "experienced": app.experienced, "created_at": app.created_at,
        "submitted_at": app.submitted_at, "declaration_at": app.declaration_at, "name": app.applicant_name,
        "nip": app.nip, "org_unit": app.org_unit, "data": app.profile_data, "status_reason": app.status_reason,
        "naming_reference": app.naming_reference, "closed_at": app.closed_at,
        "documents": [{"requirement": f.document.requirement.name, "file": f.original_name, "file_number": f.slot,
                       "version": f.version,
                       "uploaded_at": f.uploaded_at, "replaced_at": f.superseded_at, "review": f.document.review,
                       "review_note": f.document.review_note} for f in files],
        "self_assessment": rows(app.self_assessments.all(), "unit__code", "element__title", "answer", "evidence"),
        "correction_notes": rows(app.return_notes.all(), "field", "document__requirement__name", "text",
                                 "created_at", "resolved_at"),
        "verification_checks": rows(app.checks.all(), "kind", "result", "note", "checked_at"),
        "history": [{"at": e.created_at, "from": e.from_state, "to": e.to_state, "action": e.action, "note": e.note}
                    for e in history_for(app)],
        "document_openings": rows(DocumentFile.objects.filter(document__application=app, accesses__isnull=False),
                                  "original_name", "accesses__user__full_name", "accesses__at"),
    }
