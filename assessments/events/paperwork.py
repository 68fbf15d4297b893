"""The event's own paper: the assessors' planning of the test (seed 002 step 2, its second part), as a PDF in
Indonesian. The event's papers (``certificates.services.event_papers``) and each participant's assessment file
(``instruments.paperwork.assessment_file``, their assessor's planning) print it from here."""

from __future__ import annotations

from assessments.events.models import Event, EventAssessor, EventPlanning
from certportal.lsp.services import letterhead
from certportal.pdf import render_pdf


def planning_rows(event: Event, links=None) -> list[tuple[EventAssessor, EventPlanning | None]]:
    """(event assessor, their planning or None) for ``links`` (default: every assessor of the event)."""
    if links is None:
        links = event.event_assessors.select_related("assessor__user").order_by("assessor__user__full_name", "pk")
    plannings = {p.link_id: p for p in EventPlanning.objects.filter(event=event).select_related("planned_by", "plan")}
    return [(link, plannings.get(link.pk)) for link in links]


def render_planning(event: Event, links=None) -> bytes:
    """The planning of the test by ``links`` (default: every assessor of the event), one section each."""
    return render_pdf("assessments/pdf/planning.html",
                      {"event": event, "rows": planning_rows(event, links), "lsp": letterhead()}, language="id")
