"""The retention periods (settings ``RETENTION_*_YEARS``) and who is past them on a given day.

Who is listed: applicants whose applications have all ended; applicant accounts that never applied (decision:
an LSP keeps such an account, and the profile's NIK, NIP and birth data, only while it may still be used to apply,
so it goes after ``RETENTION_UNUSED_ACCOUNT_YEARS`` without a log-in; a draft never sent is not an application, and
counts as use when it was last changed); closed complaints; handled misuse reports whose reporter is still on them.

Decision (issue 30 item 6): the periods are settings of the deployment, not a page. A period is the policy of the
controller and the LSP (their *jadwal retensi arsip*), changed rarely and on a decision, and shortening it makes
data go: it is set with the deployment (``.env``), shown in the privacy notice, and copied onto each disposal list
when it is prepared, so the list says under which periods it was approved.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.models import Status as ApplicationStatus
from assessments.certificates.scope_models import MisuseReport
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
            "certificate": settings.RETENTION_CERTIFICATE_YEARS, "misuse": settings.RETENTION_MISUSE_YEARS,
            "unused_account": settings.RETENTION_UNUSED_ACCOUNT_YEARS}


# What each period covers, as the disposal list names it (the keys stay in the list's record).
PERIOD_LABELS = {"applicant": _("Applicants' personal data"), "complaint": _("Complainants' contact data"),
                 "certificate": _("Certificates after their expiry"), "misuse": _("Misuse reporters' data"),
                 "unused_account": _("Accounts that never applied")}


def periods_shown(applied: dict) -> list[tuple[str, int]]:
    """A list's periods as a person reads them: (what it covers, years), in the order of the privacy notice."""
    return [(str(PERIOD_LABELS.get(key, key)), years) for key, years in applied.items()]


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _applicant_accounts():
    """Accounts that are only an applicant's (no staff role, not the Django admin's), not anonymised yet."""
    staff = [r for r in Role if r != Role.APPLICANT]
    return (User.objects.exclude(role_links__role__in=staff).filter(is_staff=False, is_superuser=False)
            .exclude(email__endswith="@" + ANONYMOUS_DOMAIN))


def applicants_past(today: datetime.date, years: int):
    """Applicants (no other role) whose applications all ended, the last one before the period: (user, ended)."""
    cutoff = _start_of(years_before(today, years))
    users = (_applicant_accounts().filter(applications__isnull=False)
             .exclude(applications__status__in=OPEN_APPLICATIONS)
             .annotate(ended=Max("applications__updated_at")).filter(ended__lt=cutoff).order_by("ended", "pk"))
    return [(u, timezone.localtime(u.ended).date()) for u in users.distinct()]


def complaints_past(today: datetime.date, years: int):
    cutoff = _start_of(years_before(today, years))
    found = (Complaint.objects.filter(status=ComplaintStatus.CLOSED, closed_at__lt=cutoff)
             .exclude(Q(name="") & Q(email="") & Q(phone="") & Q(postal_address="")).order_by("closed_at", "pk"))
    return [(c, timezone.localtime(c.closed_at).date()) for c in found]


def unused_accounts_past(today: datetime.date, years: int):
    """Applicant accounts that never applied (no application sent: none, or only drafts), not used since before
    the period: the last log-in, registration or change to a draft, whichever is latest: (user, last used)."""
    cutoff = _start_of(years_before(today, years))
    sent = [s for s in ApplicationStatus if s != ApplicationStatus.DRAFT]
    joined = F("date_joined")
    # only an applicant's account: one whose roles were all taken away is a former member of staff, whose name
    # the audit trail keeps for what they did
    users = (_applicant_accounts().filter(role_links__role=Role.APPLICANT).exclude(applications__status__in=sent)
             .annotate(used=Greatest(Coalesce("last_login", joined), Coalesce(Max("applications__updated_at"), joined)))
             .filter(used__lt=cutoff).order_by("used", "pk"))
    return [(u, timezone.localtime(u.used).date()) for u in users]


def misuse_reports_past(today: datetime.date, years: int):
    """Handled misuse reports whose reporter is still on them (a name, contact, address or a file), handled
    before the period: (report, handled on). A report still being handled keeps its reporter."""
    cutoff = _start_of(years_before(today, years))
    found = (MisuseReport.objects.exclude(status=MisuseReport.Status.RECEIVED).filter(handled_at__lt=cutoff)
             .filter(Q(reporter_name__gt="") | Q(reporter_contact__gt="") | Q(ip_address__isnull=False)
                     | Q(files__file__gt="")).distinct().order_by("handled_at", "pk"))
    return [(r, timezone.localtime(r.handled_at).date()) for r in found]
