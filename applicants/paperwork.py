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


class Slot:
    """One of a requirement's files as a person counts them ("photo 2 of 3"): the file in it now (or None) and the
    files it held before (newest first)."""

    def __init__(self, number: int, of: int | None, current, earlier: list):
        self.number, self.of, self.current, self.earlier = number, of, current, earlier


def slots(document) -> list[Slot]:
    """The slots of ``document`` (its files prefetched, as :func:`documents` gives them): 1..n where n is what the
    requirement asks for (three photos: three slots, filled or not), or as many as are filled when it takes
    "one or more"."""
    req = document.requirement
    files = list(document.files.all())  # newest first
    current = {f.slot: f for f in reversed(files) if f.superseded_at is None}
    wanted = req.min_files if req.max_files > 1 else 1
    count = max([wanted, 1, *current])
    of = req.max_files if req.max_files > 1 and req.min_files == req.max_files else None
    return [Slot(n, of if req.max_files > 1 else None, current.get(n),
                 [f for f in files if f.slot == n and f.superseded_at is not None]) for n in range(1, count + 1)]


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
