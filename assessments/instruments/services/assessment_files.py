"""The participant's assessment file and the event's archive of every participant's file (a ZIP), written by a
background job (:mod:`certportal.exportjobs.documents`), never in the request: a 7-unit file takes seconds warm
and far more on a loaded host.

- :func:`file_start` / :func:`event_files_start` — the job for this reader (the one already queued or running for
  them, on a second click); the view shows the job's page.
- The writers run in the worker with the requester's rights (:mod:`assessments.instruments.selectors`), checked
  again when the job starts, on its page and on the download; each download is on the record of every participant
  whose file it holds (``assessments.participant.file_downloaded``).
"""

from __future__ import annotations

import zipfile

from django.utils.text import slugify
from django.utils.translation import gettext as _

from assessments.events.models import Event, Participant
from assessments.instruments.paperwork.assessment_file import render_assessment_file
from assessments.instruments.selectors import assessment_files_visible_to
from certportal import exportjobs
from certportal.audit.services import audit_record
from certportal.dates import day
from certportal.exportjobs import documents
from certportal.exportjobs.models import ExportJob

FILE = "assessments.assessment_file"
EVENT_FILES = "assessments.event_assessment_files"


def file_start(participant: Participant, *, user) -> ExportJob:
    return documents.document_start(
        user=user, source=FILE, params={"participant": participant.pk},
        filename=f"berkas-asesmen-{participant.pk}.pdf",
        title=_("Complete assessment file of %(name)s") % {"name": participant.name})


def event_files_start(event: Event, *, user) -> ExportJob:
    return documents.document_start(
        user=user, source=EVENT_FILES, params={"event": event.pk}, filename=f"berkas-asesmen-acara-{event.pk}.zip",
        title=_("The assessment files of every participant of the event %(code)s, %(date)s") % {
            "code": event.scheme.code, "date": day(event.starts_at)})


def event_participants(user, event_id: int):
    """The participants of the event whose file this reader may read (an assessor: their own participants)."""
    return assessment_files_visible_to(user).filter(event_id=event_id).order_by("pk")


def _file_allowed(user, params: dict) -> bool:
    return assessment_files_visible_to(user).filter(pk=params.get("participant")).exists()


def _file_write(user, params: dict, out, progress) -> None:
    participant = assessment_files_visible_to(user).get(pk=params["participant"])
    out.write(render_assessment_file(participant, progress=progress))


def _audit(user, participants) -> None:
    for participant in participants:  # the file holds confidential test material and personal data
        audit_record(actor=user, obj=participant, action="assessments.participant.file_downloaded")


def _file_downloaded(user, params: dict) -> None:
    _audit(user, Participant.objects.filter(pk=params["participant"]))


def _event_allowed(user, params: dict) -> bool:
    return event_participants(user, params.get("event")).exists()


def _event_write(user, params: dict, out, progress) -> None:
    participants = list(event_participants(user, params["event"]))
    progress(0, len(participants))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        for n, participant in enumerate(participants, start=1):
            name = slugify(participant.name)[:60] or "peserta"
            archive.writestr(f"berkas-asesmen-{participant.pk}-{name}.pdf", render_assessment_file(participant))
            progress(n, len(participants))


def _event_downloaded(user, params: dict) -> None:
    _audit(user, event_participants(user, params["event"]))


def register() -> None:
    """From the room's wiring: the two documents the job writes."""
    exportjobs.register_document(FILE, write=_file_write, allowed=_file_allowed, downloaded=_file_downloaded)
    exportjobs.register_document(EVENT_FILES, write=_event_write, allowed=_event_allowed,
                                 downloaded=_event_downloaded, fmt="zip")
