"""Reads: who may see which complaint, earlier records on the same matter, reports, survey figures."""

import datetime
import difflib

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from certportal import exports, figures
from certportal.accounts.models import Role
from certportal.sla import services as sla

from . import skm
from .models import FIGURES, OPEN_STATES, Complaint, SurveyResponse

STAFF_ROLES = (Role.COMPLAINT_OFFICER, Role.SUPERVISOR)
TABLE_FIELDS = ("id", "tracking_number", "status", "kind", "channel", "received_at", "object_text")


def complaints_visible_to(user) -> QuerySet[Complaint]:
    """The one helper deciding which complaints a user may see: officers and supervisors all, others none."""
    if user.is_authenticated and user.has_role(*STAFF_ROLES):
        return Complaint.objects.all()
    return Complaint.objects.none()


def with_deadlines(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return sla.annotate_deadline(qs, "complaint-answer")


def for_table(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """What the complaint table shows: its columns and the answer's limit (``sla_limit_due``), not the long texts
    of a complaint nor the other deadline fields (each a subquery to build and run)."""
    return sla.annotate_deadline(qs, "complaint-answer", fields=("limit_due",)).only(*TABLE_FIELDS)


def overdue(qs: QuerySet[Complaint], today: datetime.date | None = None) -> QuerySet[Complaint]:
    """Open complaints past either promise: the 3-working-day follow-up or the 14-day answer (issue 15: one 17
    days past its follow-up was missing here while its answer was not yet due)."""
    open_ = qs.filter(status__in=OPEN_STATES)
    answer = sla.filter_deadline_state(open_, "complaint-answer", "overdue", today=today)
    followup = sla.filter_deadline_state(open_, "complaint-followup", "overdue", today=today)
    return open_.filter(Q(pk__in=answer.values("pk")) | Q(pk__in=followup.values("pk")))


def earlier_records(complaint: Complaint, limit: int = 10) -> list[tuple[Complaint, str]]:
    """Other records on the same matter: same e-mail, phone or reference, or a similar object text."""
    reasons: dict[int, tuple[Complaint, str]] = {}
    cond = Q()
    if complaint.email:
        cond |= Q(email__iexact=complaint.email)
    if complaint.reference:
        cond |= Q(reference__iexact=complaint.reference)
    phone = complaint.phone_key
    base = Complaint.objects.exclude(pk=complaint.pk).order_by("-received_at")
    if cond:
        for other in base.filter(cond)[:limit]:
            why = "email" if complaint.email and other.email.lower() == complaint.email.lower() else "reference"
            reasons[other.pk] = (other, why)
    if len(phone) >= 6:
        for other in base.filter(phone_key=phone)[:limit]:
            reasons.setdefault(other.pk, (other, "phone"))
    text = complaint.object_text.strip().lower()
    if text:
        for other in base.exclude(object_text="")[:300]:
            if difflib.SequenceMatcher(None, text, other.object_text.lower()).ratio() >= 0.6:
                reasons.setdefault(other.pk, (other, "object"))
    return sorted(reasons.values(), key=lambda pair: pair[0].received_at, reverse=True)[:limit]


# --- complaint reports ---------------------------------------------------------------------------


OPEN_SHOWN = 100


def received_between(date_from: datetime.date, date_to: datetime.date) -> dict:
    """The period as a range of times from local midnight to midnight: ``received_at__date`` converted every
    row's time before comparing (no index could serve it)."""
    start = timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min))
    return {"received_at__gte": start, "received_at__lt": end}


def report(date_from: datetime.date, date_to: datetime.date, today: datetime.date | None = None) -> dict:
    """Counts per channel, component, route and kind for complaints received in the period."""
    qs = Complaint.objects.filter(**received_between(date_from, date_to))
    by = {}
    for field, choices in (("channel", Complaint._meta.get_field("channel").choices),
                           ("component", Complaint._meta.get_field("component").choices),
                           ("route", Complaint._meta.get_field("route").choices),
                           ("kind", Complaint._meta.get_field("kind").choices),
                           ("status", Complaint._meta.get_field("status").choices)):
        counts = dict(qs.values_list(field).annotate(n=Count("id")).order_by())
        labels = dict(choices)
        by[field] = [(labels.get(k, "—") if k else "—", n) for k, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    answered = list(qs.filter(answered_at__isnull=False).values_list("received_at", "answered_at"))
    days = [(a - r).total_seconds() / 86400 for r, a in answered]
    outcomes = dict(with_deadlines(qs).values_list("sla_outcome").annotate(n=Count("id")).order_by())
    open_qs = with_deadlines(qs.filter(status__in=OPEN_STATES)).order_by("received_at", "id")
    shown = list(open_qs[:OPEN_SHOWN])  # the oldest first: a page, not every open complaint of the period
    overdue_qs = overdue(qs, today=today)
    return {
        "total": qs.count(), "by": by, "answered": len(days),
        "mean_days": round(sum(days) / len(days), 1) if days else None,
        "max_days": round(max(days), 1) if days else None,
        "met": outcomes.get("met", 0), "breached": outcomes.get("breached", 0),
        "open": shown, "open_total": open_qs.count(),
        "overdue_ids": set(overdue_qs.filter(pk__in=[c.pk for c in shown]).values_list("id", flat=True)),
        "overdue_total": overdue_qs.count(),
    }


def report_count(date_from: datetime.date, date_to: datetime.date) -> int:
    """How many complaints the report's rows hold (whether its export runs in the background)."""
    return Complaint.objects.filter(**received_between(date_from, date_to)).count()


# The complaint report's columns that show a choice (CSV and XLSX): each one's choices walked by the export test.
_SHOWN = {name: exports.choices_column("complaints.report", name, Complaint, name)
          for name in ("kind", "channel", "service", "component", "route", "status")}


def report_rows(date_from: datetime.date, date_to: datetime.date):
    """One row per complaint for CSV/XLSX, with its SLA dates (``certportal.exports`` writes them in WIB)."""
    qs = with_deadlines(Complaint.objects.filter(**received_between(date_from, date_to)))
    for c in qs.order_by("received_at", "id"):
        yield [
            c.tracking_number, c.received_at, *(_SHOWN[name](getattr(c, name)) for name in _SHOWN),
            c.answered_at, (c.answered_at - c.received_at).days if c.answered_at else None,
            getattr(c, "sla_limit_due", None),
        ]


# --- satisfaction survey -------------------------------------------------------------------------


def responses(date_from: datetime.date, date_to: datetime.date, scheme: str | None = None):
    qs = SurveyResponse.objects.filter(answered_on__gte=date_from, answered_on__lte=date_to)
    if scheme is not None:
        qs = qs.filter(scheme_code=scheme)
    return qs


def skm_index(date_from: datetime.date, date_to: datetime.date, scheme: str | None = None) -> skm.IndexResult:
    """The index over online and paper answers alike, from one aggregate query."""
    agg = responses(date_from, date_to, scheme).aggregate(
        n=Count("id"), **{code: Sum(code) for code in skm.CODES})
    return skm.compute_from_sums(agg["n"], [agg[code] or 0 for code in skm.CODES])


def skm_by_scheme(date_from: datetime.date, date_to: datetime.date) -> list[tuple[str, skm.IndexResult]]:
    rows = (responses(date_from, date_to).values("scheme_code")
            .annotate(n=Count("id"), **{code: Sum(code) for code in skm.CODES}).order_by("scheme_code"))
    return [(r["scheme_code"], skm.compute_from_sums(r["n"], [r[c] for c in skm.CODES])) for r in rows]


def skm_quarters(year: int, scheme: str | None = None) -> list[tuple[str, skm.IndexResult]]:
    out = []
    for q in (1, 2, 3, 4):
        start, end = skm.quarter_bounds(year, q)
        out.append((f"Q{q}", skm_index(start, end, scheme)))
    start, end = skm.period_bounds(year, None)
    out.append((str(year), skm_index(start, end, scheme)))
    return out


def skm_comments(date_from: datetime.date, date_to: datetime.date, scheme: str | None = None, limit: int = 50):
    """Comments only, with date and scheme: never the respondent."""
    return list(responses(date_from, date_to, scheme).exclude(comment="")
                .values_list("answered_on", "scheme_code", "comment")[:limit])


def status_counts() -> dict[str, int]:
    """Complaints per status: counted once a minute, forgotten by any change of a complaint (a scan of them all)."""
    return figures.kept(FIGURES, "status-counts", lambda: dict(
        Complaint.objects.values_list("status").annotate(n=Count("id")).order_by()))

