"""The inputs a management review takes (ISO/IEC 17024 10.2.5), and what the portal's own records say of each since
the previous review (a surveillance audit found reviews recording scope, participants and a conclusion only).

:data:`INPUTS` names each input; :func:`portal_figures` drafts the text of those the portal has figures for (audits,
feedback and the satisfaction index, impartiality, corrective actions, earlier reviews' actions, appeals and
complaints), which the LSP admin reads, completes and records; objectives and changes are written by hand."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Appeal
from certportal import dates
from complaints import queries as complaints
from quality.impartiality.models import ThreatAnalysis
from quality.impartiality.rules import due_people

from .models import ActionStatus, CorrectiveAction, SystemReview

INPUTS = [  # (code, label): ISO/IEC 17024 10.2.5 a) to h)
    ("audits", gettext_lazy("Results of internal and external audits")),
    ("feedback", gettext_lazy("Feedback from candidates, customers and interested parties")),
    ("impartiality", gettext_lazy("Safeguarding impartiality")),
    ("actions", gettext_lazy("Status of corrective and preventive actions")),
    ("earlier", gettext_lazy("Follow-up actions from earlier management reviews")),
    ("objectives", gettext_lazy("Fulfilment of objectives")),
    ("changes", gettext_lazy("Changes that could affect the management system")),
    ("appeals_complaints", gettext_lazy("Appeals and complaints")),
]
INPUT_CODES = [code for code, _label in INPUTS]


def since_last_review(until: datetime.date) -> datetime.date:
    """The day after the previous management review (a year back without one)."""
    last = (SystemReview.objects.filter(kind=SystemReview.Kind.MANAGEMENT_REVIEW, held_on__lt=until)
            .order_by("-held_on").values_list("held_on", flat=True).first())
    return last + datetime.timedelta(days=1) if last else until - datetime.timedelta(days=365)


def _audits(since, until) -> str:
    audits = SystemReview.objects.filter(kind=SystemReview.Kind.INTERNAL_AUDIT, held_on__range=(since, until))
    counts = audits.aggregate(n=Count("pk", distinct=True), major=Count("findings", filter=Q(findings__severity="major")),
                              minor=Count("findings", filter=Q(findings__severity="minor")),
                              obs=Count("findings", filter=Q(findings__severity="observation")))
    return _("%(n)d internal audits; findings: %(major)d major, %(minor)d minor, %(obs)d observations.") % counts


def _feedback(since, until) -> str:
    index = complaints.skm_index(since, until)
    if not index.respondents:
        return _("Satisfaction survey (SKM): no respondents.")
    return _("Satisfaction survey (SKM): %(n)d respondents, index %(index)s (%(grade)s, %(quality)s).") % {
        "n": index.respondents, "index": index.index, "grade": index.grade, "quality": index.quality}


def _impartiality(since, until) -> str:
    analysis = ThreatAnalysis.objects.order_by("-year").first()
    state = (_("threat analysis %(year)s: %(status)s") % {"year": analysis.year, "status": analysis.get_status_display()}
             if analysis else _("no threat analysis"))
    return _("%(state)s; declarations of interest missing or ending within 30 days: %(n)d.") % {
        "state": state, "n": due_people(until).count()}


def _actions(since, until) -> str:
    qs = CorrectiveAction.objects.all()
    return _("Corrective actions: %(open)d not closed, of which %(late)d overdue; %(closed)d closed since %(since)s.") % {
        "open": qs.exclude(status=ActionStatus.CLOSED).count(),
        "late": qs.exclude(status=ActionStatus.CLOSED).filter(due_on__lt=until).count(),
        "closed": qs.filter(status=ActionStatus.CLOSED, closed_at__date__gte=since).count(),
        "since": dates.day(since)}


def _earlier(since, until) -> str:
    qs = CorrectiveAction.objects.filter(finding__review__kind=SystemReview.Kind.MANAGEMENT_REVIEW,
                                         finding__review__held_on__lt=since)
    return _("Actions of earlier management reviews: %(closed)d closed, %(open)d not closed.") % {
        "closed": qs.filter(status=ActionStatus.CLOSED).count(),
        "open": qs.exclude(status=ActionStatus.CLOSED).count()}


def _appeals_complaints(since, until) -> str:
    appeals = Appeal.objects.filter(filed_at__date__range=(since, until))
    report = complaints.report(since, until, today=until)
    return _("Appeals filed: %(appeals)d (%(decided)d decided). Complaints received: %(n)d; answered within the 14 "
             "working days: %(met)d; late: %(late)d; still overdue: %(overdue)d.") % {
        "appeals": appeals.count(), "decided": appeals.filter(status=Appeal.Status.DECIDED).count(),
        "n": report["total"], "met": report["met"], "late": report["breached"], "overdue": report["overdue_total"]}


FIGURES = {"audits": _audits, "feedback": _feedback, "impartiality": _impartiality, "actions": _actions,
           "earlier": _earlier, "appeals_complaints": _appeals_complaints}


def portal_figures(until: datetime.date) -> dict[str, str]:
    """The draft text of each input the portal has figures for, since the previous management review."""
    since = since_last_review(until)
    return {code: FIGURES[code](since, until) for code in INPUT_CODES if code in FIGURES}


def missing_inputs(inputs: dict) -> list[str]:
    """The labels of the inputs left empty."""
    return [str(label) for code, label in INPUTS if not (inputs.get(code) or "").strip()]
