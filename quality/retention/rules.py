"""The retention periods (settings ``RETENTION_*_YEARS``) and who is past them on a given day.

Who is listed: applicants whose applications have all ended; applicant accounts that never applied (decision:
an LSP keeps such an account, and the profile's NIK, NIP and birth data, only while it may still be used to apply,
so it goes after ``RETENTION_UNUSED_ACCOUNT_YEARS`` without a log-in; a draft never sent is not an application, and
counts as use when it was last changed); closed complaints; handled misuse reports whose reporter is still on them.

**One rule, checked three times (issue 42 item 2).** Each kind of record has one :class:`Rule`: a base query and
steps, each narrowing it with the reason it drops someone. Preparing the list runs every step; approving it and the
job that anonymises run the same steps again on the listed people only, and whoever a step now drops (a new draft,
a log-in, an agency's invitation, a complaint reopened) is left out with that step's reason. The apps above the
core add their own steps through ``certportal.personal_data.register_in_use`` (an agency's invitation waiting).

Decision (issue 30 item 6): the periods are settings of the deployment, not a page. A period is the policy of the
controller and the LSP (their *jadwal retensi arsip*), changed rarely and on a decision, and shortening it makes
data go: it is set with the deployment (``.env``), shown in the privacy notice, and copied onto each disposal list
when it is prepared, so the list says under which periods it was approved.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Max, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.models import Status as ApplicationStatus
from assessments.certificates.scope_models import MisuseReport
from certportal import personal_data
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
            "unused_account": settings.RETENTION_UNUSED_ACCOUNT_YEARS,
            "import_file": settings.RETENTION_IMPORT_FILE_YEARS}


# What each period covers, as the disposal list names it (the keys stay in the list's record).
PERIOD_LABELS = {"applicant": _("Applicants' personal data"), "complaint": _("Complainants' contact data"),
                 "certificate": _("Certificates after their expiry"), "misuse": _("Misuse reporters' data"),
                 "unused_account": _("Accounts that never applied"),
                 "import_file": _("Uploaded import files (roster, certificate register, assessors, test sites)")}


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


Step = tuple[str, Callable[[QuerySet], QuerySet]]  # (the reason it drops someone, the narrowing)


@dataclass(frozen=True)
class Rule:
    """Who of one kind of record is past their period: ``base`` narrowed by each step in turn; ``dated`` orders the
    ones left and gives each the day its record ended (``ended``)."""

    base: QuerySet
    steps: list[Step]
    dated: Callable[[QuerySet], QuerySet]
    ended: str


@dataclass
class Sifted:
    found: list[tuple] = field(default_factory=list)  # (record, the day it ended), for a new list
    dropped: dict[int, str] = field(default_factory=dict)  # record id -> the reason's code, for a re-check


def _in_use_steps(cutoff) -> list[Step]:
    """The steps the apps above register: an account they used since the cutoff is kept."""
    return [(check.app, lambda qs, c=check: qs.exclude(c.since(cutoff))) for check in personal_data.in_use_checks()]


def _applicant_rule(cutoff) -> Rule:
    """Applicants (no other role) whose applications all ended, the last one before the period, and who have not
    logged in since."""
    return Rule(User.objects.all(), [
        ("account", lambda qs: qs.filter(pk__in=_applicant_accounts().values("pk"))),
        ("open_application", lambda qs: qs.filter(applications__isnull=False)
         .exclude(applications__status__in=OPEN_APPLICATIONS)),
        ("recent_application", lambda qs: qs.annotate(ended=Max("applications__updated_at")).filter(ended__lt=cutoff)),
        ("logged_in", lambda qs: qs.filter(Q(last_login__isnull=True) | Q(last_login__lt=cutoff))),
        *_in_use_steps(cutoff),
    ], lambda qs: qs.annotate(ended=Max("applications__updated_at")).order_by("ended", "pk"), "ended")


def _unused_account_rule(cutoff) -> Rule:
    """Applicant accounts that never applied (no application sent: none, or only drafts), not used since before
    the period: the last log-in, registration or change to a draft, whichever is latest."""
    sent = [s for s in ApplicationStatus if s != ApplicationStatus.DRAFT]
    joined = F("date_joined")
    # only an applicant's account: one whose roles were all taken away is a former member of staff, whose name
    # the audit trail keeps for what they did
    return Rule(User.objects.all(), [
        ("account", lambda qs: qs.filter(pk__in=_applicant_accounts().filter(role_links__role=Role.APPLICANT)
                                         .values("pk"))),
        ("sent_application", lambda qs: qs.exclude(applications__status__in=sent)),
        ("logged_in", lambda qs: qs.annotate(seen=Coalesce("last_login", joined)).filter(seen__lt=cutoff)),
        ("recent_application", lambda qs: qs.annotate(drafted=Coalesce(Max("applications__updated_at"), joined))
         .filter(drafted__lt=cutoff)),
        *_in_use_steps(cutoff),
    ], lambda qs: qs.annotate(used=Greatest(Coalesce("last_login", joined),
                                            Coalesce(Max("applications__updated_at"), joined))).order_by("used", "pk"),
        "used")


def _complaint_rule(cutoff) -> Rule:
    """Closed complaints, closed before the period, whose complainant is still named on them."""
    return Rule(Complaint.objects.all(), [
        ("reopened", lambda qs: qs.filter(status=ComplaintStatus.CLOSED)),
        ("recently_closed", lambda qs: qs.filter(closed_at__lt=cutoff)),
        ("nothing_left", lambda qs: qs.exclude(Q(name="") & Q(email="") & Q(phone="") & Q(postal_address=""))),
    ], lambda qs: qs.order_by("closed_at", "pk"), "closed_at")


def _misuse_rule(cutoff) -> Rule:
    """Handled misuse reports whose reporter is still on them (a name, contact, address or a file), handled
    before the period. A report still being handled keeps its reporter."""
    return Rule(MisuseReport.objects.all(), [
        ("reopened", lambda qs: qs.exclude(status=MisuseReport.Status.RECEIVED)),
        ("recently_closed", lambda qs: qs.filter(handled_at__lt=cutoff)),
        ("nothing_left", lambda qs: qs.filter(
            pk__in=MisuseReport.objects.filter(Q(reporter_name__gt="") | Q(reporter_contact__gt="")
                                               | Q(ip_address__isnull=False) | Q(files__file__gt="")).values("pk"))),
    ], lambda qs: qs.order_by("handled_at", "pk"), "handled_at")


def _upload_rule(kind: str) -> Callable:
    """Uploaded import files (the roster's, the certificate register's, the assessors' and test sites':
    ``certportal.personal_data.register_upload``) whose import ended (imported, discarded or failed) before the
    period and whose file or reading is still kept. Decision (issue 48): the file is the evidence of what was
    imported while the next audits may ask for it (``RETENTION_IMPORT_FILE_YEARS``); what it imported (the roster,
    the certificates, the assessors and test sites) lives on as their own records, and the import's audit trail
    keeps who imported which file (its name, size and digest), when."""
    def make(cutoff) -> Rule:
        upload = personal_data.kept_uploads()[kind]
        kept = ~Q(file="") | Q(**{f"{name}__isnull": False for name in upload.parsed})
        return Rule(upload.model.objects.all(), [
            ("reopened", lambda qs: qs.filter(status__in=upload.ended)),
            ("recently_closed", lambda qs: qs.filter(moved_at__lt=cutoff)),
            ("nothing_left", lambda qs: qs.filter(kept)),
        ], lambda qs: qs.order_by("moved_at", "pk"), "moved_at")
    return make


# The kind of record (``DisposalKind``) -> its rule, and the period (a key of ``periods()``) it is measured by.
RULES = {"applicant": (_applicant_rule, "applicant"), "account": (_unused_account_rule, "unused_account"),
         "complaint": (_complaint_rule, "complaint"), "misuse": (_misuse_rule, "misuse"),
         "register": (_upload_rule("register"), "import_file"), "roster": (_upload_rule("roster"), "import_file"),
         "adoption": (_upload_rule("adoption"), "import_file")}


def sift(kind: str, today: datetime.date, periods_applied: dict[str, int], only: list[int] | None = None) -> Sifted:
    """THE rule for ``kind``: with ``only`` None, everyone past their period (``found``, for a new list); with the
    ids of a list's records, who of them no longer is, and the first step that drops each (``dropped``)."""
    make, period = RULES[kind]
    years = periods_applied.get(period, periods()[period])  # a list prepared before the period existed
    rule = make(_start_of(years_before(today, years)))
    if only is None:
        qs = rule.base
        for _code, narrow in rule.steps:
            qs = narrow(qs)
        found = rule.dated(rule.base.filter(pk__in=qs.values("pk")))
        return Sifted(found=[(r, timezone.localtime(getattr(r, rule.ended)).date()) for r in found])
    left, dropped = set(rule.base.filter(pk__in=only).values_list("pk", flat=True)), {}
    dropped.update(dict.fromkeys(set(only) - left, "gone"))
    for code, narrow in rule.steps:
        if not left:
            break
        kept = set(narrow(rule.base.filter(pk__in=left)).values_list("pk", flat=True))
        dropped.update(dict.fromkeys(left - kept, code))
        left = kept
    return Sifted(dropped=dropped)


def left_out(disposal, today: datetime.date | None = None) -> dict[int, str]:
    """Who on ``disposal``, not yet anonymised nor left out, no longer qualifies today by the rule that listed them:
    item id -> the reason's code. Read by the list's page and the approval's guard, and by the approval and the
    job, which record it."""
    today = today or timezone.localdate()
    waiting = list(disposal.items.filter(done_at__isnull=True, dropped_at__isnull=True).values_list(
        "pk", "kind", "object_id"))
    out = {}
    for kind in {k for _pk, k, _o in waiting}:
        ids = {obj: pk for pk, k, obj in waiting if k == kind}
        dropped = sift(kind, today, disposal.periods, only=list(ids)).dropped
        out.update({ids[obj]: code for obj, code in dropped.items()})
    return out
