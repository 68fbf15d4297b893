"""The LSP's periodic duties, each with its due date and the role that owns it (a surveillance audit found the third
quarter's report to BNSP a draft eight weeks after the quarter, with nothing reminding anyone):

- the quarterly report to BNSP (PBNSP 05/2013 11), due :data:`REPORT_DUE_DAYS` days after the quarter, done once sent;
- the yearly internal audit and management review (ISO/IEC 17024 10.2.5, 10.2.6), due a year after the last one
  held (without one, by the end of this year);
- the review of the threat analysis (4.3.3), due on the review date of the latest approved analysis;
- the yearly meeting of the impartiality committee (5.2), due a year after the last one held (without one, by the
  end of this year);
- the review of each current scheme (8), due on the next review date of its last record (never validated: now);
- the verification of each active test site, its facilities and equipment (6.3), due when it runs out;
- each active assessor's witnessed assessment (every three years), monitoring (yearly) and continuing professional
  development (20 hours in the last year) (6.2.2; :mod:`quality.competence.rules`), due when each runs out (never
  recorded: now).

:func:`duties_due` lists those due within :data:`REMIND_DAYS_BEFORE` days or overdue; the owners see them on their
home queue (:mod:`quality.system.workqueue`) and on the duties page, and the daily beat task
(:func:`quality.system.tasks.remind_duties`) tells them once before the due date and once when it is overdue, per
period (the notification's key)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy

from certportal.accounts.models import Role
from quality.competence.rules import CPD_HOURS
from quality.competence.selectors import assessor_standings
from quality.impartiality.models import CommitteeMeeting, ThreatAnalysis
from quality.reports.models import PeriodicReport, ReportStatus, period_bounds
from schemes.models import TestSite

from .models import SystemReview

REMIND_DAYS_BEFORE = 14  # the owners are told (and the queue shows the duty) this many days before it is due
REPORT_DUE_DAYS = 30  # the quarterly report to BNSP is due this many days after its quarter ends


class Label:
    """A duty's name, translated when it is shown (a notice is rendered in each language of the portal)."""

    def __init__(self, words, **params):
        self.words, self.params = words, params

    def __str__(self) -> str:
        return str(self.words) % self.params


@dataclass
class Duty:
    code: str  # what kind of duty (stable: part of the notification key)
    period: str  # which occurrence of it (stable: part of the notification key)
    label: Label
    due_on: datetime.date
    roles: tuple  # who owns it by role
    url: str
    users: list = field(default_factory=list)  # who owns it by name (the head of a test site)
    readers: tuple = ()  # who may open ``url`` when not every reader of the duties page may (else everyone)

    def may_open(self, user) -> bool:
        return not self.readers or user.has_role(*self.readers)

    def overdue(self, today: datetime.date) -> bool:
        return today > self.due_on

    def stage(self, today: datetime.date) -> str:
        """overdue, due (within the reminder window) or later."""
        if self.overdue(today):
            return "overdue"
        return "due" if self.due_on <= today + datetime.timedelta(days=REMIND_DAYS_BEFORE) else "later"


def _a_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _last_quarter(today: datetime.date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


def report_duty(today: datetime.date) -> list[Duty]:
    year, part = _last_quarter(today)
    if PeriodicReport.objects.filter(kind="quarter", year=year, part=part, status=ReportStatus.SENT).exists():
        return []
    due = period_bounds("quarter", year, part)[1] + datetime.timedelta(days=REPORT_DUE_DAYS)
    return [Duty("bnsp-report", f"{year}-Q{part}", Label(gettext_lazy(
        "Report to BNSP, quarter %(part)s %(year)s"), part=part, year=year), due, (Role.LSP_ADMIN,),
        reverse("quality:report-list"), readers=(Role.LSP_ADMIN, Role.SUPERVISOR))]


def review_duties(today: datetime.date) -> list[Duty]:
    kinds = [(SystemReview.Kind.INTERNAL_AUDIT, "internal-audit", gettext_lazy("Yearly internal audit"),
              (Role.LSP_ADMIN, Role.QUALITY)),
             (SystemReview.Kind.MANAGEMENT_REVIEW, "management-review", gettext_lazy("Yearly management review"),
              (Role.LSP_ADMIN,))]
    duties = []
    for kind, code, words, roles in kinds:
        last = SystemReview.objects.filter(kind=kind).order_by("-held_on").values_list("held_on", flat=True).first()
        due = _a_year_after(last) if last else datetime.date(today.year, 12, 31)
        duties.append(Duty(code, due.isoformat(), Label(words), due, roles, reverse("quality:system-home")))
    return duties


def threat_duty(today: datetime.date) -> list[Duty]:
    latest = ThreatAnalysis.objects.filter(status=ThreatAnalysis.Status.APPROVED).order_by("-year").first()
    due = latest.review_on if latest else today
    return [Duty("threat-analysis", str(latest.year) if latest else "first", Label(gettext_lazy(
        "Review of the threat analysis of impartiality")), due, (Role.LSP_ADMIN, Role.QUALITY),
        reverse("quality:impartiality"))]


def committee_duty(today: datetime.date) -> list[Duty]:
    last = CommitteeMeeting.objects.order_by("-held_on").values_list("held_on", flat=True).first()
    due = _a_year_after(last) if last else datetime.date(today.year, 12, 31)
    return [Duty("committee-meeting", due.isoformat(), Label(gettext_lazy("Yearly meeting of the impartiality "
                                                                          "committee")), due, (Role.LSP_ADMIN,),
                 reverse("quality:impartiality") + "#meetings")]


def scheme_duties(today: datetime.date) -> list[Duty]:
    from schemes.reviews import reviews_due

    return [Duty("scheme-review", f"{s.pk}-{s.next_due.isoformat() if s.next_due else 'first'}", Label(gettext_lazy(
        "Validation or review of the scheme %(scheme)s"), scheme=s.code), s.next_due or today, (Role.LSP_ADMIN,),
        reverse("schemes:manage-scheme-reviews", args=[s.pk]), readers=(Role.LSP_ADMIN,))
        for s in reviews_due(today)]


def site_duties(today: datetime.date) -> list[Duty]:
    sites = TestSite.objects.filter(is_active=True, licence_valid_until__isnull=False).select_related("head")
    return [Duty("site-verification", f"{s.pk}-{s.licence_valid_until.isoformat()}", Label(gettext_lazy(
        "Verification of the test site %(site)s, its facilities and equipment"), site=s.name),
        s.licence_valid_until, (Role.LSP_ADMIN,), reverse("quality:system-duties"),
        [s.head] if s.head_id else []) for s in sites]


COMPETENCE_WORDS = {
    "witnessing": gettext_lazy("Witnessed assessment of the assessor %(name)s"),
    "monitoring": gettext_lazy("Yearly monitoring of the assessor %(name)s"),
    "cpd": gettext_lazy("Continuing professional development of the assessor %(name)s: %(hours)s of %(needed)s "
                        "hours in the last year"),
}


def competence_duties(today: datetime.date) -> list[Duty]:
    """The LSP administrator and the quality reviewer keep the assessors' competence (its page is theirs)."""
    return [Duty(f"assessor-{s.code}", f"{a.pk}-{s.until.isoformat() if s.until else 'first'}", Label(
        COMPETENCE_WORDS[s.code], name=a.user.full_name, hours=s.hours or 0, needed=CPD_HOURS),
        s.until or today, (Role.LSP_ADMIN, Role.QUALITY),
        reverse("quality:competence-person", args=[a.user_id]), readers=(Role.LSP_ADMIN, Role.QUALITY))
        for a, s in assessor_standings(today)]


def all_duties(today: datetime.date) -> list[Duty]:
    """Every periodic duty with its next due date (a report already sent is done: not listed), the earliest first."""
    found = [*report_duty(today), *review_duties(today), *threat_duty(today), *committee_duty(today),
             *scheme_duties(today), *site_duties(today), *competence_duties(today)]
    return sorted(found, key=lambda d: d.due_on)


def duties_due(today: datetime.date) -> list[Duty]:
    """Every periodic duty due within :data:`REMIND_DAYS_BEFORE` days or overdue, the most overdue first."""
    horizon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    return [d for d in all_duties(today) if d.due_on <= horizon]


def owns(user, duty: Duty) -> bool:
    return user.has_role(*duty.roles) or any(u.pk == user.pk for u in duty.users)


def duties_of(user, today: datetime.date) -> list[Duty]:
    return [d for d in duties_due(today) if owns(user, d)]
