"""The complaints app's part of "download my data": complaints filed with the person's e-mail address (what they
wrote, their attachments, the progress lines and the answer they were given) and their satisfaction-survey
invitations and answers.

Both are matched by e-mail address only, so they are given only when the account's address is confirmed. The
office's internal analysis of a complaint (core problem, findings, report to the superior) is its working paper
about the service, not data about the filer, and is not included."""

from django.utils.translation import gettext_lazy as _

from certportal.personal_data import PersonalFile, Section

from .models import Attachment, Complaint, SurveyInvitation

EXPORTS = [
    "complaints.Complaint.email", "complaints.Attachment.complaint", "complaints.Update.complaint",
    "complaints.SurveyInvitation.email", "complaints.SurveyResponse.invitation",
]
NAMES = ["complaints.Complaint.recorded_by", "complaints.Complaint.apip_approved_by",
         "complaints.PaperSurveyImport.imported_by"]


def collect(user) -> list[Section]:
    if not user.email_verified_at:
        return []
    complaints = Complaint.objects.filter(email__iexact=user.email).order_by("received_at", "pk")
    attachments = Attachment.objects.filter(complaint__in=complaints).select_related("complaint").order_by("pk")
    invitations = SurveyInvitation.objects.filter(email__iexact=user.email).select_related("response")
    return [
        Section("complaints", _("Complaints and suggestions you filed"), [_complaint(c) for c in complaints],
                [PersonalFile(f"{a.complaint.tracking_number}-{a.pk}-{a.original_name}", _reader(a))
                 for a in attachments]),
        Section("surveys", _("Satisfaction survey invitations and answers"), [_survey(i) for i in invitations]),
    ]


def _reader(attachment: Attachment):
    def read() -> bytes:
        with attachment.file.open("rb") as fh:
            return fh.read()
    return read


def _complaint(c: Complaint) -> dict:
    return {
        "tracking_number": c.tracking_number, "kind": c.kind, "status": c.status, "channel": c.channel,
        "received_at": c.received_at, "name": c.name, "email": c.email, "phone": c.phone,
        "postal_address": c.postal_address,
        "object": c.object_text, "reference": c.reference, "scheme_code": c.scheme_code,
        "service_date": c.service_date, "message": c.message, "answer": c.answer, "answered_at": c.answered_at,
        "closed_at": c.closed_at, "attachments": [a.original_name for a in c.attachments.all()],
        "updates": [{"kind": u.kind, "text": u.message, "created_at": u.created_at} for u in c.updates.all()],
    }


def _survey(invitation: SurveyInvitation) -> dict:
    response = getattr(invitation, "response", None)
    answer = None
    if response is not None:
        answer = {"answered_on": response.answered_on, "scores": response.scores(), "comment": response.comment}
    return {"reference": invitation.reference, "name": invitation.name, "email": invitation.email,
            "scheme_code": invitation.scheme_code, "invited_at": invitation.created_at, "answer": answer}
