"""What waits for each assessments role, for its home page (registered with :mod:`certportal.workqueue`)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.certificates.models import HolderReport, SurveillanceReport
from assessments.certificates.services.issue import suspended_after_correction
from assessments.events.models import Appeal, Event, EventAssessor, EventStatus, Participant, Result
from certportal.workqueue import WorkItem


def _appeals_item() -> WorkItem:
    from certportal.sla import services as sla

    filed = Appeal.objects.filter(status=Appeal.Status.FILED)
    overdue = sla.filter_deadline_state(filed, "appeal", "overdue").count()
    return WorkItem(_("Appeals to decide"), filed.count(), reverse("assessments:appeals"), overdue, "appeals")


def lsp_admin(user) -> list[WorkItem]:
    """Decisions to take (a recommendation without a decision), certificates to issue and print (competent
    without a certificate), certificates suspended after a result correction (decide, then reinstate, replace or
    withdraw), the events of the coming seven days."""
    events = reverse("assessments:events")
    today = timezone.localdate()
    week = (timezone.make_aware(datetime.datetime.combine(today, datetime.time.min)),
            timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=7), datetime.time.min)))
    return [
        WorkItem(_("Certification decisions to take"),
                 Participant.objects.exclude(recommendation="").filter(decision="").count(), events, 0, "decisions"),
        WorkItem(_("Certificates to issue and print"),
                 Participant.objects.filter(decision=Result.K, certificates__isnull=True).count(), events, 0,
                 "certificates"),
        WorkItem(_("Certificates suspended after a correction: decide, then reinstate, replace or withdraw"),
                 suspended_after_correction().count(), reverse("assessments:certificates") + "?koreksi=1", 0,
                 "certificates-corrected"),
        WorkItem(_("Test events in the next 7 days"),
                 Event.objects.filter(starts_at__range=week).count(), events, 0, "events-week"),
        _appeals_item(),
        WorkItem(_("Holder reports to review"),
                 HolderReport.objects.filter(status=HolderReport.Status.SUBMITTED).count(),
                 reverse("assessments:holder-reports"), 0, "holder-reports"),
        *_surveillance_items(today),
        _misuse_item(),
    ]


def _misuse_item() -> WorkItem:
    """Misuse reports from the public page still without a result (issue 30)."""
    from assessments.certificates.scope_models import MisuseReport

    return WorkItem(_("Misuse reports to handle"),
                    MisuseReport.objects.filter(status=MisuseReport.Status.RECEIVED).count(),
                    reverse("assessments:misuse-reports") + "?status=received", 0, "misuse-reports")


def _surveillance_items(today: datetime.date) -> list[WorkItem]:
    from assessments.certificates.services.surveillance import surveillance_overdue

    url = reverse("assessments:surveillance")
    overdue = len(surveillance_overdue(today))
    return [
        WorkItem(_("Surveillance evidence to review"),
                 SurveillanceReport.objects.filter(status=SurveillanceReport.Status.SUBMITTED).count(), url, 0,
                 "surveillance-review"),
        WorkItem(_("Surveillance missing: decide on a suspension"), overdue, url, overdue, "surveillance-overdue"),
    ]


def assessor(user) -> list[WorkItem]:
    """Results to record (participants marked present at their events on the day, no recommendation yet) and
    official reports to sign."""
    home = reverse("assessments:assessor-home")
    mine = EventAssessor.objects.filter(assessor__user=user)
    return [
        WorkItem(_("Results to record"), Participant.objects.filter(
            assessor__user=user, event__status__in=(EventStatus.CONFIRMED, EventStatus.HELD), attended=True,
            recommendation="").count(),
            home, 0, "results"),
        WorkItem(_("Official reports (berita acara) to sign"),
                 mine.filter(event__status=EventStatus.HELD, signed_report_at__isnull=True).count(), home, 0,
                 "signatures"),
    ]


def reviewer(user) -> list[WorkItem]:
    """The head of the test site (and the quality reviewer): events to review. Appeals are not the Kepala TUK's:
    ISO/IEC 17024 9.8 wants them handled by people not involved in the decision, so the LSP admin and quality
    reviewers decide them (``selectors.appeals_visible_to``), and the Kepala TUK, who ran the test and signed its
    berita acara, is never offered a list that would refuse them."""
    return [
        WorkItem(_("Test events to review"), Event.objects.filter(status=EventStatus.REPORT_SIGNED)
                 .exclude(reviews__signed_by=user).count(),
                 reverse("assessments:reviews"), 0, "reviews"),
    ]


def quality(user) -> list[WorkItem]:
    """The quality reviewer: events to review and appeals to decide."""
    return [*reviewer(user), _appeals_item()]


def register() -> None:
    """Each role's work from this app on its home page (called in ``AssessmentsConfig.ready``)."""
    from certportal.accounts.models import Role
    from certportal.workqueue import register_work

    register_work(Role.LSP_ADMIN, lsp_admin)
    register_work(Role.ASSESSOR, assessor)
    register_work(Role.QUALITY, quality)
    register_work(Role.TUK_HEAD, reviewer)
