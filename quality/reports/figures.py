"""The figures of a periodic report, computed in SQL (a few grouped queries), and the records they count.

Each figure counts one of the querysets below, and the report's spreadsheet lists the same queryset row by row
(:func:`quality.reports.sheets.list_sheets`), so that a figure is the number of rows of its list, or of the rows
with a given value (``tests/quality/test_report_figures.py`` checks every one against the spreadsheet).

The standing figures ("in force") are read as the records allow: schemes in force are the current, published
scheme versions inside the LSP's licensed scope when the figures are computed (the portal keeps no history of
publication; those published outside the scope are counted apart); assessors in force are
the active ones whose licence runs at least to the end of the period; test sites (TUK) in force are the active ones
whose verification runs to the end of the period or has no end date. Everything else belongs to the period:

- events held: events whose test began in the period and reached "test held" or a later step;
- assessees: the participants of those events, with those present and those decided K or BK, per scheme; and the
  per-unit results (K/BK) recorded for them, per scheme and unit;
- certificates issued (of which renewals: a certificate that renews an earlier one) by their date of issue;
- certificates suspended, withdrawn and reduced: counted from the workflow core's audit trail, as the certificates
  that moved INTO that status during the period (one certificate once per status); a withdrawal that replaces a
  certificate by a correcting one is a correction, not a withdrawal, and is not counted;
- appeals filed in the period, by outcome (dismissed, upheld for reassessment) and still open, with the mean days
  from filing to the decision;
- complaints (and suggestions) received in the period, as the complaint report counts them, answered, closed and
  still open, with the mean days to the answer.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone

from assessments.certificates.models import Certificate
from assessments.events.models import Appeal, Assessor, Event, EventStatus, Participant, Result, UnitResult
from certportal.audit.models import AuditEntry
from certportal.lsp.licence import licensed_scope
from complaints.models import Complaint
from complaints.models import Status as ComplaintStatus
from complaints.queries import received_between
from schemes.models import Scheme, TestSite
from schemes.selectors import current_schemes, open_schemes

HELD = (EventStatus.HELD, EventStatus.REPORT_SIGNED, EventStatus.REVIEWED, EventStatus.ARCHIVED)
# Statuses a certificate moves INTO that the report counts (``reduced``: a scope reduction, ISO/IEC 17024 9.6).
CERTIFICATE_EVENTS = ("suspended", "withdrawn", "reduced")
NOT_A_WITHDRAWAL = "assessments.certificate.replaced"  # a correction: the certificate is replaced, not withdrawn


def _range(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return first, after


def _days(value: datetime.timedelta | None) -> float | None:
    return round(value.total_seconds() / 86400, 1) if value is not None else None


# --- the querysets: each figure counts one of them --------------------------------------------------------

def events_held(start, end) -> QuerySet[Event]:
    first, after = _range(start, end)
    return Event.objects.filter(starts_at__gte=first, starts_at__lt=after, status__in=HELD)


def assessees(start, end) -> QuerySet[Participant]:
    return Participant.objects.filter(event__in=events_held(start, end))


def unit_results(start, end) -> QuerySet[UnitResult]:
    return UnitResult.objects.filter(participant__event__in=events_held(start, end))


def certificates_issued(start, end) -> QuerySet[Certificate]:
    return Certificate.objects.filter(issued_on__gte=start, issued_on__lte=end)


def certificate_moves(start, end) -> QuerySet[AuditEntry]:
    """The audit rows of certificates moving into a counted status in the period (the workflow core's trail)."""
    first, after = _range(start, end)
    return (AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Certificate),
                                      created_at__gte=first, created_at__lt=after, to_state__in=CERTIFICATE_EVENTS)
            .exclude(from_state=F("to_state")).exclude(action=NOT_A_WITHDRAWAL))


def appeals_filed(start, end) -> QuerySet[Appeal]:
    first, after = _range(start, end)
    return Appeal.objects.filter(filed_at__gte=first, filed_at__lt=after)


def complaints_received(start, end) -> QuerySet[Complaint]:
    return Complaint.objects.filter(**received_between(start, end))


def schemes_in_force() -> QuerySet[Scheme]:
    """Current, published and, once the LSP's licence is recorded, inside its scope (what applications are taken
    for); a scheme published outside the scope is counted apart (:func:`schemes_outside_scope`)."""
    return open_schemes()


def schemes_outside_scope() -> QuerySet[Scheme]:
    return current_schemes().exclude(pk__in=open_schemes().values("pk"))


def assessors_in_force(end) -> QuerySet[Assessor]:
    return Assessor.objects.filter(is_active=True, licence_valid_until__gte=end)


def test_sites_in_force(end) -> QuerySet[TestSite]:
    return TestSite.objects.filter(is_active=True).filter(Q(licence_valid_until__isnull=True)
                                                         | Q(licence_valid_until__gte=end))


# --- the figures ------------------------------------------------------------------------------------------

def _per_scheme(start, end) -> list[dict]:
    rows = (assessees(start, end).values(code=F("event__scheme__code"), name=F("event__scheme__name"))
            .annotate(events=Count("event", distinct=True), assessees=Count("id"),
                      present=Count("id", filter=Q(attended=True)), k=Count("id", filter=Q(decision=Result.K)),
                      bk=Count("id", filter=Q(decision=Result.BK)))
            .order_by("code"))
    return list(rows)


def _per_unit(start, end) -> list[dict]:
    rows = (unit_results(start, end)
            .values(scheme=F("participant__event__scheme__code"), unit_code=F("unit__code"), title=F("unit__title"))
            .annotate(k=Count("id", filter=Q(result=Result.K)), bk=Count("id", filter=Q(result=Result.BK)))
            .order_by("scheme", "unit_code"))
    return list(rows)


def _schemes_in_force() -> dict:
    """The schemes in force and those published outside the licensed scope, by one query (and the licence's)."""
    scope = licensed_scope()
    inside = Q(pk__isnull=False) if scope is None else Q(code__in=scope)
    return current_schemes().aggregate(schemes=Count("id", filter=inside),
                                       schemes_outside_scope=Count("id", filter=~inside))


def _certificates(start, end) -> dict:
    issued = certificates_issued(start, end).aggregate(
        issued=Count("id"), renewed=Count("id", filter=Q(renews__isnull=False)))
    moved = dict(certificate_moves(start, end).values_list("to_state")
                 .annotate(n=Count("object_id", distinct=True)).order_by())
    return {**issued, **{state: moved.get(state, 0) for state in CERTIFICATE_EVENTS}}


def _appeals(start, end) -> dict:
    found = appeals_filed(start, end).aggregate(
        filed=Count("id"), dismissed=Count("id", filter=Q(outcome=Appeal.Outcome.DISMISSED)),
        upheld=Count("id", filter=Q(outcome=Appeal.Outcome.REASSESS)),
        open=Count("id", filter=Q(status=Appeal.Status.FILED)),
        mean=Avg(F("decided_at") - F("filed_at"), filter=Q(decided_at__isnull=False)))
    found["mean_days"] = _days(found.pop("mean"))
    return found


def _complaints(start, end) -> dict:
    found = complaints_received(start, end).aggregate(
        received=Count("id"), suggestions=Count("id", filter=Q(kind="suggestion")),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        closed=Count("id", filter=Q(status=ComplaintStatus.CLOSED)),
        mean=Avg(F("answered_at") - F("received_at"), filter=Q(answered_at__isnull=False)))
    found["open"] = found["received"] - found["closed"]
    found["mean_days"] = _days(found.pop("mean"))
    return found


def compute(start: datetime.date, end: datetime.date) -> dict:
    """Every figure of the period, as plain JSON (frozen on the report)."""
    schemes = _per_scheme(start, end)
    in_force = {**_schemes_in_force(), "assessors": assessors_in_force(end).count(),
                "test_sites": test_sites_in_force(end).count()}
    totals = {key: sum(row[key] for row in schemes) for key in ("assessees", "present", "k", "bk")}
    return {
        "start": start.isoformat(), "end": end.isoformat(), "in_force": in_force,
        "events_held": events_held(start, end).count(),
        "assessees": totals, "schemes": schemes, "units": _per_unit(start, end),
        "certificates": _certificates(start, end), "appeals": _appeals(start, end),
        "complaints": _complaints(start, end),
    }
