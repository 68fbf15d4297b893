"""The applicant's forms as PDFs, FR.APL.01 (the application) and FR.APL.02 (the self-assessment): rendered for
the download views and for the participant's assessment file (``assessments.instruments.paperwork.assessment_file``)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from certportal.pdf import render_pdf

from .models import Application, DocumentFile

TEMPLATES = {"apl01": "applicants/pdf/apl01.html", "apl02": "applicants/pdf/apl02.html"}


def documents(app: Application):
    return (app.documents.select_related("requirement").order_by("requirement__position", "requirement_id")
            .annotate(n_current=Count("files", filter=Q(files__superseded_at__isnull=True)))
            .prefetch_related(Prefetch("files", queryset=DocumentFile.objects.order_by("-uploaded_at", "-id"))))


def render_apl(app: Application, form: str, *, language: str | None = "id") -> bytes:
    """FR.APL.01 (``form="apl01"``) or FR.APL.02 (``"apl02"``) of ``app``."""
    units = app.scheme.scheme_units.select_related("unit").prefetch_related("unit__elements")
    answers = {(a.unit_id, a.element_id): a for a in app.self_assessments.all()}
    rows = []
    for link in units:
        elements = list(link.unit.elements.all()) or [None]
        rows.append((link.unit, [(e, answers.get((link.unit_id, e.pk if e else None))) for e in elements]))
    return render_pdf(TEMPLATES[form], {
        "application": app, "profile": app.profile_data, "scheme": app.scheme, "units": rows,
        "documents": documents(app), "printed_at": timezone.now(),
    }, language=language)
