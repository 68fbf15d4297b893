"""The participant's complete assessment file (APL.01 to AK.05) as one PDF, for the archive step of the SOP."""

from assessments.events.selectors import get_or_403
from assessments.instruments.paperwork.assessment_file import render_assessment_file
from assessments.instruments.selectors import assessment_files_visible_to
from certportal.accounts.models import Role
from certportal.audit.services import audit_record
from certportal.pdf import pdf_response
from certportal.permissions import role_required


@role_required(Role.LSP_ADMIN, Role.QUALITY, Role.ASSESSOR)
def download(request, pk):
    participant = get_or_403(assessment_files_visible_to(request.user), pk=pk)
    data = render_assessment_file(participant)
    # the file holds confidential test material and personal data: every download is on the record
    audit_record(actor=request.user, obj=participant, action="assessments.participant.file_downloaded")
    return pdf_response(data, f"berkas-asesmen-{participant.pk}.pdf", inline=False)
