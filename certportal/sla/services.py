"""Clock API used by every app (CONTRACT — the SLA issue implements it; other apps call exactly this).

    from certportal.sla import services as sla
    sla.start_clock(obj, "certification", at=None)   # idempotent; at defaults to now; copies the policy's numbers
    sla.pause_clock(obj, "certification", at=None)   # e.g. while waiting on the applicant
    sla.resume_clock(obj, "certification", at=None)  # due dates move by the working days spent paused
    sla.stop_clock(obj, "certification", at=None)    # records outcome met / breached
    sla.cancel_clock(obj, "certification")           # withdrawn / rejected: the clock no longer counts
    sla.clock_for(obj, "certification")              # Clock or None
    sla.clock_state(clock, today=None)               # 'on_track' | 'due_soon' | 'overdue' | 'met' | 'breached' | 'paused'
    sla.annotate_deadline(queryset, "certification") # adds sla_target_due, sla_limit_due, sla_outcome (one query)
    sla.filter_deadline_state(queryset, "certification", "due_soon", today=None)  # on_track / due_soon / overdue

    from certportal.sla.registry import register_tracked
    register_tracked(Model, responsible=lambda obj: [users], label=lambda obj: "text", url=lambda obj: "/path")

Policy codes shipped: "certification" (14/30 working days), "complaint-followup" (3), "complaint-answer" (14),
"appeal" (configurable). Working days come from the calendar in the database.

Conventions: dates are local dates in Asia/Jakarta. A clock started on day S is due on the N-th working day
after S (S itself not counted), so an item completed on a Friday with a 3-day policy is due on Wednesday.
"Overdue" means past the target; the outcome at stop is "met" when stopped on or before the limit date and
"breached" after it. A cancelled clock reports the state "cancelled".
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certportal.audit.services import audit_record
from certportal.errors import PortalError

from . import calendar as cal
from .models import CalendarDay, Clock, SlaPolicy, WorkWeek

ON_TRACK, DUE_SOON, OVERDUE, MET, BREACHED, PAUSED, CANCELLED = (
    "on_track", "due_soon", "overdue", "met", "breached", "paused", "cancelled")
OPEN_STATES = (ON_TRACK, DUE_SOON, OVERDUE)
STATES = (ON_TRACK, DUE_SOON, OVERDUE, MET, BREACHED, PAUSED, CANCELLED)
STATE_LABELS = {
    ON_TRACK: gettext_lazy("On track"),
    DUE_SOON: gettext_lazy("Due soon"),
    OVERDUE: gettext_lazy("Overdue"),
    MET: gettext_lazy("Met"),
    BREACHED: gettext_lazy("Breached"),
    PAUSED: gettext_lazy("Paused"),
    CANCELLED: gettext_lazy("Cancelled"),
}
# Bootstrap colours for badges (templates: {% include "sla/_badge.html" with state=... %}).
STATE_COLOURS = {ON_TRACK: "success", DUE_SOON: "warning", OVERDUE: "danger", MET: "success",
                 BREACHED: "danger", PAUSED: "secondary", CANCELLED: "light"}


class SlaError(PortalError):
    """A request about a clock, policy or calendar day that cannot be granted (translated message)."""


# --- helpers -----------------------------------------------------------------------------------


def local_date(at: datetime | date | None = None) -> date:
    if at is None:
        return timezone.localdate()
    if isinstance(at, datetime):
        return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()
    return at


def _aware(at: datetime | date | None) -> datetime:
    if at is None:
        return timezone.now()
    if isinstance(at, datetime):
        return at if timezone.is_aware(at) else timezone.make_aware(at)
    return timezone.make_aware(datetime(at.year, at.month, at.day, 8, 0))


def get_policy(code: str) -> SlaPolicy:
    try:
        return SlaPolicy.objects.get(code=code)
    except SlaPolicy.DoesNotExist:
        from .reference import POLICIES, seed_policies

        if any(row[0] == code for row in POLICIES):  # shipped policy missing (e.g. a flushed test database)
            seed_policies(SlaPolicy)
            return SlaPolicy.objects.get(code=code)
        raise SlaError(_("There is no service-time policy with the code %(code)s.") % {"code": code}) from None


def _clock_qs(obj, code: str):
    ct = ContentType.objects.get_for_model(obj)
    return Clock.objects.filter(content_type=ct, object_id=obj.pk, policy__code=code)


def _locked(obj, code: str) -> Clock | None:
    return _clock_qs(obj, code).select_for_update().select_related("policy").first()


# --- the clock API -----------------------------------------------------------------------------


def clock_for(obj, code: str) -> Clock | None:
    return _clock_qs(obj, code).select_related("policy").first()


@transaction.atomic
def start_clock(obj, code: str, at: datetime | date | None = None) -> Clock:
    """Start the clock for ``obj`` (idempotent: a running or finished clock is returned unchanged;
    a cancelled one starts again from ``at``)."""
    policy = get_policy(code)
    started_at = _aware(at)
    start = local_date(started_at)
    clock = _locked(obj, code)
    if clock is not None and clock.outcome != Clock.Outcome.CANCELLED:
        return clock
    values = {
        "target_days": policy.target_days, "limit_days": policy.limit_days, "started_at": started_at,
        "start_date": start, "target_due": cal.add_working_days(start, policy.target_days),
        "limit_due": cal.add_working_days(start, policy.limit_days), "paused_since": None,
        "paused_working_days": 0, "stopped_at": None, "stop_date": None, "elapsed_working_days": None,
        "outcome": Clock.Outcome.OPEN,
    }
    if clock is None:
        clock = Clock.objects.create(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk,
                                     policy=policy, **values)
    else:  # restarted after a cancel: earlier notices belong to the earlier run
        clock.notices.all().delete()
        for name, value in values.items():
            setattr(clock, name, value)
        clock.save()
    audit_record(actor=None, obj=obj, action="sla.start", to_state=code,
                 note=f"{start.isoformat()} → {clock.target_due.isoformat()} / {clock.limit_due.isoformat()}")
    return clock


@transaction.atomic
def pause_clock(obj, code: str, at: datetime | date | None = None) -> Clock | None:
    """Pause a running clock (no-op when there is none, or it is already paused or stopped)."""
    clock = _locked(obj, code)
    if clock is None or clock.outcome != Clock.Outcome.OPEN or clock.paused_since:
        return clock
    clock.paused_since = local_date(at)
    clock.save(update_fields=["paused_since"])
    audit_record(actor=None, obj=obj, action="sla.pause", to_state=code, note=clock.paused_since.isoformat())
    return clock


def _unpause(clock: Clock, day: date) -> int:
    shift = cal.working_days_between(clock.paused_since, day)
    if shift:
        clock.target_due = cal.add_working_days(clock.target_due, shift)
        clock.limit_due = cal.add_working_days(clock.limit_due, shift)
    clock.paused_working_days += shift
    clock.paused_since = None
    return shift


@transaction.atomic
def resume_clock(obj, code: str, at: datetime | date | None = None) -> Clock | None:
    """Resume a paused clock; both due dates move by the working days spent paused."""
    clock = _locked(obj, code)
    if clock is None or clock.outcome != Clock.Outcome.OPEN or not clock.paused_since:
        return clock
    shift = _unpause(clock, max(local_date(at), clock.paused_since))
    clock.save(update_fields=["target_due", "limit_due", "paused_working_days", "paused_since"])
    audit_record(actor=None, obj=obj, action="sla.resume", to_state=code,
                 note=f"+{shift} → {clock.target_due.isoformat()} / {clock.limit_due.isoformat()}")
    return clock


@transaction.atomic
def stop_clock(obj, code: str, at: datetime | date | None = None) -> Clock | None:
    """Stop a running clock: "met" when stopped on or before the limit date, "breached" after it."""
    clock = _locked(obj, code)
    if clock is None or clock.outcome != Clock.Outcome.OPEN:
        return clock
    clock.stopped_at = _aware(at)
    clock.stop_date = max(local_date(clock.stopped_at), clock.start_date)
    if clock.paused_since:
        _unpause(clock, max(clock.stop_date, clock.paused_since))
    clock.elapsed_working_days = max(
        cal.working_days_between(clock.start_date, clock.stop_date) - clock.paused_working_days, 0)
    clock.outcome = Clock.Outcome.MET if clock.stop_date <= clock.limit_due else Clock.Outcome.BREACHED
    clock.save()
    audit_record(actor=None, obj=obj, action="sla.stop", from_state=Clock.Outcome.OPEN, to_state=clock.outcome,
                 note=f"{code}: {clock.elapsed_working_days}")
    return clock


@transaction.atomic
def cancel_clock(obj, code: str) -> Clock | None:
    """The item was withdrawn or rejected: its clock no longer counts (no reminders, not in compliance)."""
    clock = _locked(obj, code)
    if clock is None or clock.outcome != Clock.Outcome.OPEN:
        return clock
    clock.outcome = Clock.Outcome.CANCELLED
    clock.stopped_at = timezone.now()
    clock.paused_since = None
    clock.save(update_fields=["outcome", "stopped_at", "paused_since"])
    audit_record(actor=None, obj=obj, action="sla.cancel", from_state=Clock.Outcome.OPEN,
                 to_state=Clock.Outcome.CANCELLED, note=code)
    return clock


def apply_state(obj, code: str, state: str, at: datetime | date | None = None) -> Clock | None:
    """Pause or resume according to the policy's ``pause_states`` (call it after each status change)."""
    policy = get_policy(code)
    if state in (policy.pause_states or []):
        return pause_clock(obj, code, at)
    return resume_clock(obj, code, at)


def warn_date(policy: SlaPolicy, today: date | None = None, calendar=None) -> date:
    """Items whose target falls on or before this date are "due soon"."""
    return cal.add_working_days(today or local_date(), policy.warn_days, calendar)


def clock_state(clock: Clock | None, today: date | None = None) -> str | None:
    if clock is None:
        return None
    if clock.outcome != Clock.Outcome.OPEN:
        return {Clock.Outcome.MET: MET, Clock.Outcome.BREACHED: BREACHED}.get(clock.outcome, CANCELLED)
    if clock.paused_since:
        return PAUSED
    today = today or local_date()
    if clock.target_due < today:
        return OVERDUE
    if clock.target_due <= warn_date(clock.policy, today):
        return DUE_SOON
    return ON_TRACK


def state_label(state: str | None) -> str:
    return str(STATE_LABELS.get(state, "")) if state else ""


def working_days_left(clock: Clock, today: date | None = None) -> int:
    """Working days from today to the target (negative: working days overdue)."""
    today = today or local_date()
    if clock.target_due >= today:
        return cal.working_days_between(today, clock.target_due)
    return -cal.working_days_between(clock.target_due, today)


def _clocks_of(queryset: QuerySet, code: str):
    ct = ContentType.objects.get_for_model(queryset.model)
    return Clock.objects.filter(content_type=ct, object_id=OuterRef("pk"), policy__code=code)


DEADLINE_FIELDS = ("target_due", "limit_due", "outcome", "paused_since")


def annotate_deadline(queryset: QuerySet, code: str, fields: tuple[str, ...] = DEADLINE_FIELDS) -> QuerySet:
    """Add ``sla_target_due``, ``sla_limit_due``, ``sla_outcome`` and ``sla_paused_since`` (subqueries:
    still one query for the list); ``fields`` names fewer when a page shows fewer (each costs a subquery)."""
    clocks = _clocks_of(queryset, code)
    return queryset.annotate(**{f"sla_{field}": Subquery(clocks.values(field)[:1]) for field in fields})


def filter_deadline_state(queryset: QuerySet, code: str, state: str, today: date | None = None) -> QuerySet:
    """Keep the items whose open, running clock is ``on_track``, ``due_soon`` or ``overdue`` today."""
    if state not in OPEN_STATES:
        raise SlaError(_("Unknown deadline state: %(state)s.") % {"state": state})
    today = today or local_date()
    clocks = _clocks_of(queryset, code).filter(outcome=Clock.Outcome.OPEN, paused_since__isnull=True)
    if state == OVERDUE:  # today alone decides: no policy to read
        return queryset.filter(Exists(clocks.filter(target_due__lt=today)))
    soon = warn_date(get_policy(code), today)
    if state == DUE_SOON:
        clocks = clocks.filter(target_due__gte=today, target_due__lte=soon)
    else:
        clocks = clocks.filter(target_due__gt=soon)
    return queryset.filter(Exists(clocks))


# --- policies and calendar, edited by an LSP administrator -------------------------------------

POLICY_FIELDS = ("name", "target_days", "limit_days", "warn_days", "pause_states")


@transaction.atomic
def policy_update(*, policy: SlaPolicy, actor, **changes) -> SlaPolicy:
    """Change a policy's numbers; running clocks keep the numbers they started with."""
    policy = SlaPolicy.objects.select_for_update().get(pk=policy.pk)
    target = changes.get("target_days", policy.target_days)
    limit = changes.get("limit_days", policy.limit_days)
    if target < 1 or limit < target:
        raise SlaError(_("The limit must be at least the target, and the target at least one working day."))
    before = {f: getattr(policy, f) for f in POLICY_FIELDS}
    for name, value in changes.items():
        if name in POLICY_FIELDS:
            setattr(policy, name, value)
    policy.save()
    diff = "; ".join(f"{f}: {before[f]} → {getattr(policy, f)}" for f in POLICY_FIELDS
                     if before[f] != getattr(policy, f))
    audit_record(actor=actor, obj=policy, action="sla.policy.update", note=diff)
    return policy


@transaction.atomic
def calendar_day_add(*, actor, day: date, kind: str, name: str) -> CalendarDay:
    """Add a day off (joint leave, closure) or an exceptional working day; replaces an entry on that date."""
    cal.ensure_years([day.year])  # seed first, so the seed never overwrites this entry
    existing = CalendarDay.objects.select_for_update().filter(date=day).first()
    before = f"{existing.kind} {existing.name}" if existing else ""
    entry, _created = CalendarDay.objects.update_or_create(
        date=day, defaults={"kind": kind, "name": name, "source": CalendarDay.Source.ADMIN})
    audit_record(actor=actor, obj=entry, action="sla.calendar.add", from_state=before,
                 to_state=f"{kind} {name}")
    return entry


@transaction.atomic
def calendar_day_remove(*, actor, entry: CalendarDay) -> None:
    """Remove an entry: the date follows the weekly rule again (a seeded day stays removed)."""
    entry = CalendarDay.objects.select_for_update().filter(pk=entry.pk).first()
    if entry is None:
        raise SlaError(_("This calendar entry no longer exists."))
    audit_record(actor=actor, obj=entry, action="sla.calendar.remove", from_state=f"{entry.kind} {entry.name}")
    entry.delete()


@transaction.atomic
def workweek_update(*, actor, weekdays: list[int]) -> WorkWeek:
    weekdays = sorted({int(d) for d in weekdays if 0 <= int(d) <= 6})
    if not weekdays:
        raise SlaError(_("Choose at least one working weekday."))
    week, _created = WorkWeek.objects.select_for_update().get_or_create(pk=1, defaults={"weekdays": weekdays})
    before = week.weekdays
    week.weekdays = weekdays
    week.save()
    audit_record(actor=actor, obj=week, action="sla.calendar.weekdays", from_state=str(before),
                 to_state=str(weekdays))
    return week
