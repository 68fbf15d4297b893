"""The event's official papers (berita acara, attendance lists, minutes, the assessors' planning of SOP step 2, the
archive of SOP step 8), rendered from the event's records; the archive, which gathers the readiness checklist, the
assessors' planning, the documentation and every participant's results, is written by a background job (:mod:`certportal.exportjobs.documents`), never in the request."""

from __future__ import annotations

from django.utils.translation import gettext as _

from assessments.events.models import Event
from assessments.events.paperwork import planning_rows, render_planning
from assessments.events.selectors import events_visible_to
from certportal import exportjobs
from certportal.dates import day
from certportal.exportjobs import documents
from certportal.exportjobs.models import ExportJob
from certportal.lsp.services import letterhead
from certportal.pdf import render_pdf

EVENT_DOCS = {
    "berita-acara": ("assessments/pdf/report.html", "berita-acara"),
    "daftar-hadir": ("assessments/pdf/attendance.html", "daftar-hadir"),
    "notulen": ("assessments/pdf/minutes.html", "notulen"),
    "perencanaan": ("assessments/pdf/planning.html", "perencanaan"),  # step 2: each assessor's planning
    "arsip": ("assessments/pdf/archive.html", "arsip"),  # step 8: with step 2's records and the documentation
}
BACKGROUND = {"arsip"}  # written by a job: the page offers a button that starts it
PLANNING = "perencanaan"  # read by the planning's readers only (events.services.planning.may_read_planning)
ARCHIVE = "assessments.event_archive"


def render_event_document(event: Event, doc: str) -> bytes:
    """One of :data:`EVENT_DOCS` as a PDF. Each carries the date of the act it records, never one before the
    test: the berita acara the day the Kepala TUK signed it (step 6; a draft before that), the attendance list
    and the minutes the day of the test; the planning each assessor's own day of planning."""
    from assessments.certificates.services.signed import signed_report_pdf

    if doc == PLANNING:
        return render_planning(event)
    template, _name = EVENT_DOCS[doc]
    participants = event.participants.select_related("application", "assessor__user").prefetch_related(
        "results__unit")
    steps = list(event.steps.select_related("done_by"))
    done = {s.number: s.done_at for s in steps}
    data = render_pdf(template, {"event": event, "participants": participants,
                                 "links": event.event_assessors.select_related("assessor__user"),
                                 "steps": steps, "planning_rows": planning_rows(event) if doc == "arsip" else [],
                                 "signed_on": done.get(6), "test_day": event.starts_at,
                                 "lsp": letterhead()},
                      language="id")
    if doc == "berita-acara" and done.get(6):
        data = signed_report_pdf(data, event)
    return data


def archive_start(event: Event, *, user) -> ExportJob:
    return documents.document_start(
        user=user, source=ARCHIVE, params={"event": event.pk}, filename=f"arsip-{event.pk}.pdf",
        title=_("Archive of SOP step 8, event %(code)s, %(date)s") % {
            "code": event.scheme.code, "date": day(event.starts_at)})


def _allowed(user, params: dict) -> bool:
    return events_visible_to(user).filter(pk=params.get("event")).exists()


def _write(user, params: dict, out, progress) -> None:
    progress(0, 1)
    out.write(render_event_document(events_visible_to(user).get(pk=params["event"]), "arsip"))
    progress(1, 1)


def register() -> None:
    exportjobs.register_document(ARCHIVE, write=_write, allowed=_allowed)
