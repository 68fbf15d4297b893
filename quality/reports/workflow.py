"""The periodic report's machine, declared for the workflow core (``QualityConfig.ready``).

draft → (figures recomputed, the status kept) → sent to BNSP (with the delivery reference), by the LSP admin.
Nothing is sent before the period is over; a sent report is frozen (its figures are those BNSP received).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certportal import dates
from certportal.accounts.models import Role
from certportal.errors import PortalError, TransitionRefused
from certportal.workflow import Machine, Transition

from .models import PeriodicReport, ReportStatus

ADMIN = (Role.LSP_ADMIN,)
READERS = (Role.LSP_ADMIN, Role.SUPERVISOR)
CREATED = "quality.periodicreport.created"


class ReportError(PortalError):
    """A refused periodic report (made too early, twice, sent without a reference), with a message for the user."""


class ReportRefused(ReportError, TransitionRefused):
    """A refused transition (the workflow core raises it: the machine's ``refused``)."""


def period_over_refusal(ends_on, at) -> str | None:
    if timezone.localtime(at).date() <= ends_on:
        return _("The period runs until %(date)s: its report is made after that day.") % {"date": dates.day(ends_on)}
    return None


def _period_over(report: PeriodicReport, user, at) -> str | None:
    return period_over_refusal(report.ends_on, at)


def _reference_given(report: PeriodicReport, changes: dict, at) -> str | None:
    if not (changes.get("sent_reference") or "").strip():
        return _("Give the reference of the delivery to BNSP (the receipt or the letter's delivery number).")
    return None


REPORT_MACHINE = Machine(
    model=PeriodicReport, states=ReportStatus, guard=_period_over, refused=ReportRefused,
    labels={"created": gettext_lazy("periodic report made")},
    transitions=[
        Transition("recomputed", {ReportStatus.DRAFT}, None, gettext_lazy("figures recomputed"),
                   gettext_lazy("Recompute the figures"), ADMIN, url_name="quality:report-recompute"),
        Transition("sent", {ReportStatus.DRAFT}, ReportStatus.SENT, gettext_lazy("sent to BNSP"),
                   gettext_lazy("Record as sent to BNSP"), ADMIN, validate=_reference_given, stamp="sent_at",
                   url_name="quality:report-send"),
    ],
)
