"""The participant's complete assessment file (APL.01 to AK.05) as one PDF, and the event's archive of every
participant's file (a ZIP), for the archive step of the SOP: each is written by a background job; the button
starts it (or finds the one already running for this reader) and shows the job's page at once."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from assessments.events.selectors import events_visible_to, get_or_403
from assessments.instruments.selectors import assessment_files_visible_to
from assessments.instruments.services import assessment_files
from certportal.accounts.models import Role
from certportal.permissions import role_required

READERS = (Role.LSP_ADMIN, Role.QUALITY, Role.ASSESSOR)


@require_POST
@role_required(*READERS)
def start(request, pk):
    participant = get_or_403(assessment_files_visible_to(request.user), pk=pk)
    return redirect(assessment_files.file_start(participant, user=request.user))


@require_POST
@role_required(*READERS)
def event_start(request, pk):
    event = get_or_403(events_visible_to(request.user), pk=pk)
    if not assessment_files.event_participants(request.user, event.pk).exists():
        raise PermissionDenied  # no participant's file to give
    return redirect(assessment_files.event_files_start(event, user=request.user))


def event_context(user, event) -> dict:
    """The event page's button, for a reader of at least one participant's file."""
    if not user.has_role(*READERS):
        return {}
    return {"may_download_event_files": assessment_files.event_participants(user, event.pk).exists()}
