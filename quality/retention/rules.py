"""The retention periods (settings ``RETENTION_*_YEARS``) and who is past them on a given day.

Decision (issue 30 item 6): the periods are settings of the deployment, not a page. A period is the policy of the
controller and the LSP (their *jadwal retensi arsip*), changed rarely and on a decision, and shortening it makes
data go: it is set with the deployment (``.env``), shown in the privacy notice, and copied onto each disposal list
when it is prepared, so the list says under which periods it was approved.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from applicants.models import Status as ApplicationStatus
from certportal.accounts.models import Role, User
from complaints.models import Complaint
from complaints.models import Status as ComplaintStatus

ANONYMOUS_DOMAIN = "anonim.invalid"  # the e-mail address an anonymised account is left with (never deliverable)
# An application still moving keeps its person: only ended ones start the period.
OPEN_APPLICATIONS = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED,
                     ApplicationStatus.RESUBMITTED, ApplicationStatus.COMPLETE, ApplicationStatus.VERIFIED,
                     ApplicationStatus.PARTICIPANT, ApplicationStatus.SCHEDULED, ApplicationStatus.ASSESSED,
                     ApplicationStatus.APPEALED)


def periods() -> dict[str, int]:
    return {"applicant": settings.RETENTION_APPLICANT_YEARS, "complaint": settings.RETENTION_COMPLAINT_YEARS,
            "certificate": settings.RETENTION_CERTIFICATE_YEARS}


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def applicants_past(today: datetime.date, years: int):
    """Applicants (no other role) whose applications all ended, the last one before the period: (user, ended)."""
    cutoff = _start_of(years_before(today, years))
    staff = [r for r in Role if r != Role.APPLICANT]
    users = (User.objects.filter(applications__isnull=False).exclude(role_links__role__in=staff)
             .exclude(email__endswith="@" + ANONYMOUS_DOMAIN)
             .exclude(applications__status__in=OPEN_APPLICATIONS)
             .annotate(ended=Max("applications__updated_at")).filter(ended__lt=cutoff).order_by("ended", "pk"))
    return [(u, timezone.localtime(u.ended).date()) for u in users.distinct()]


def complaints_past(today: datetime.date, years: int):
    cutoff = _start_of(years_before(today, years))
    found = (Complaint.objects.filter(status=ComplaintStatus.CLOSED, closed_at__lt=cutoff)
             .exclude(Q(name="") & Q(email="") & Q(phone="") & Q(postal_address="")).order_by("closed_at", "pk"))
    return [(c, timezone.localtime(c.closed_at).date()) for c in found]
