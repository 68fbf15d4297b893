"""What waits for each assessments role, for its home page (registered with :mod:`certportal.workqueue`)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.certificates.models import HolderReport, SurveillanceReport
from assessments.certificates.services.issue import suspended_after_correction
from assessments.events.models import Appeal, Event, EventStatus, Participant, Result
from assessments.events.models.events import LOCKED_STATUSES
from certportal.workflow import allowed_actions
from certportal.workqueue import WorkItem, reads


def _appeals_item(user) -> WorkItem:
    """The appeals ``user`` may decide now: not one they were involved in (ISO/IEC 17024 9.8, the machine's
    guard), so a reviewer who took part in the decision is not counted one they cannot decide. Counted in SQL
    (:func:`~assessments.events.services.appeals.appeals_decidable_by`, the guard's own rule as a filter): a loop
    over every filed appeal asking the machine read each one's assessor, a query an appeal."""
    from assessments.events.services.appeals import appeals_decidable_by
    from certportal.sla import services as sla

    mine = appeals_decidable_by(user, Appeal.objects.filter(status=Appeal.Status.FILED))
    overdue = sla.filter_deadline_state(mine, "appeal", "overdue").count()
    return WorkItem(_("Appeals to decide"), mine.count(), reverse("assessments:appeals"), overdue, "appeals")


WORK_FIGURES = "assessments.workqueue"  # the LSP admin's counts, the same for every LSP admin (certportal.figures)
# Saving or deleting one of these forgets the kept counts (register() connects them): a reader never sees counts
# older than the last change made through the portal, and at most a minute older than one made around it.
WORK_MODELS = ("assessments.Participant", "assessments.Certificate", "assessments.Event", "assessments.HolderReport",
               "assessments.MisuseReport", "assessments.PrintJob", "assessments.RegisterImport",
               "assessments.AdoptionImport")


@reads("assessments.AdoptionImport", "assessments.Appeal", "assessments.Assessor", "assessments.Certificate",
       "assessments.Event", "assessments.HolderReport", "assessments.MisuseReport", "assessments.Participant",
       "assessments.PrintJob", "assessments.RegisterImport", "assessments.SurveillanceReport",
       "contenttypes.ContentType", "schemes.Scheme", "sla.Clock", "sla.SlaPolicy")
def lsp_admin(user) -> list[WorkItem]:
    """Decisions to take (a recommendation without a decision), certificates to issue and print (competent
    without a certificate), certificates suspended after a result correction (decide, then reinstate, replace or
    withdraw), the events of the coming seven days. Counted once for every LSP admin and kept a minute, forgotten
    when one of :data:`WORK_MODELS` is saved (counting the certificates to issue joins every competent participant
    with the certificates: work that grows with the register); the appeals each may decide are their own, and the
    surveillance due is read each time (it moves with the dates, and reads nothing without a yearly scheme)."""
    from certportal import figures

    today = timezone.localdate()
    return [*figures.kept(WORK_FIGURES, ("lsp_admin", today), lambda: _lsp_admin_counts(today)),
            *_surveillance_items(today), _appeals_item(user)]


def _lsp_admin_counts(today: datetime.date) -> list[WorkItem]:
    events = reverse("assessments:events")
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
        WorkItem(_("Holder reports to review"),
                 HolderReport.objects.filter(status=HolderReport.Status.SUBMITTED).count(),
                 reverse("assessments:holder-reports"), 0, "holder-reports"),
        _misuse_item(),
        *_failed_prints(),
        *_register_imports(),
    ]


def _register_imports() -> list[WorkItem]:
    """Imports of the LSP's registers (certificates; assessors and test sites) waiting for an LSP admin (read, to
    review and import; or failed): shown only when there are some, the failed ones in red."""
    from assessments.certificates.register_models import RegisterImport
    from assessments.events.models import AdoptionImport

    items = []
    for model, label, url, key in (
            (RegisterImport, _("Certificate register imports waiting"), "assessments:register", "register-imports"),
            (AdoptionImport, _("Imports of assessors and test sites waiting"), "assessments:adoption",
             "adoption-imports")):
        waiting = list(model.objects.filter(status__in=model.WAITING).values_list("status", flat=True))
        if waiting:
            items.append(WorkItem(label, len(waiting), reverse(url), waiting.count(model.Status.FAILED), key))
    return items


def _failed_prints() -> list[WorkItem]:
    """Print jobs that failed (a signing key missing, a worker that stopped) with no newer print of the same event
    and kind since: shown only when there are some, in red, leading to the event's print jobs (issue 45 item 9)."""
    from django.db.models import Exists, OuterRef

    from assessments.certificates.models import PrintJob

    newer = PrintJob.objects.filter(event=OuterRef("event"), kind=OuterRef("kind"), created_at__gt=OuterRef("created_at"))
    events = list(PrintJob.objects.filter(status=PrintJob.Status.FAILED).exclude(Exists(newer))
                  .values_list("event_id", flat=True))
    if not events:
        return []
    url = (reverse("assessments:event", args=[events[0]]) + "#print" if len(set(events)) == 1
           else reverse("assessments:events"))
    return [WorkItem(_("Print jobs failed: see why and retry"), len(events), url, len(events), "print-failed")]


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


def _allowed(events, name: str, user) -> list[Event]:
    """The events among ``events`` on which the machine lets ``user`` take ``name`` now (the tile counts what its
    reader can do, by the rule the button and the service ask: issue 43)."""
    return [e for e in events if allowed_actions(e, user, only=(name,))[name].allowed]


def _first_or(events: list, url_name: str, fallback: str) -> str:
    """One event waiting: the tile opens the page where the act is done; several: the list they are on."""
    return reverse(url_name, args=[events[0].pk]) if len(events) == 1 else fallback


@reads("accounts.User", "applicants.Application", "assessments.Assessor", "assessments.AssessorReport",
       "assessments.Event", "assessments.EventAssessor", "assessments.Participant", "assessments.UnitResult",
       "schemes.Scheme", "schemes.SchemeUnit", "schemes.Unit")
def assessor(user) -> list[WorkItem]:
    """Results to record (participants marked present at their events on the day, no recommendation yet), official
    reports to sign (the machine would take the assessor's signature now) and assessment reports (FR.AK.05) to
    sign once the berita acara is (the instruments' own refusal is empty). The events the machine and the refusal
    are asked about are first narrowed in SQL to those meeting what both require (begun, a participant of the
    assessor's): the same answer, without asking about every event of the assessor's past."""
    from django.db.models import Exists, OuterRef

    from assessments.instruments.services.records import report_refusal

    home = reverse("assessments:assessor-home")
    mine = Event.objects.filter(event_assessors__assessor__user=user).distinct().order_by("starts_at", "pk")
    to_sign = _allowed(mine.filter(status=EventStatus.HELD, event_assessors__assessor__user=user,
                                   event_assessors__signed_report_at__isnull=True),
                       "report_signed_by_assessor", user)
    theirs = Participant.objects.filter(event=OuterRef("pk"), assessor__user=user)
    reports = [e for e in mine.filter(status__in=LOCKED_STATUSES, starts_at__lte=timezone.now()).filter(
        Exists(theirs)).exclude(assessor_reports__assessor__user=user).select_related("scheme")
        if not report_refusal(e, user)]
    return [
        WorkItem(_("Results to record"), Participant.objects.filter(
            assessor__user=user, event__status__in=(EventStatus.CONFIRMED, EventStatus.HELD), attended=True,
            recommendation="").count(),
            home, 0, "results"),
        WorkItem(_("Official reports (berita acara) to sign"), len(to_sign), home, 0, "signatures"),
        WorkItem(_("Assessment reports (FR.AK.05) to sign"), len(reports),
                 _first_or(reports, "assessments:ak05", home), 0, "assessor-reports"),
    ]


def _reported(events):
    """``events`` with an assessor's report (FR.AK.05): what the review of the assessment (FR.AK.06) and the
    event's review both follow (asked of the instruments room, as their refusals do)."""
    from django.db.models import Exists, OuterRef

    from assessments.instruments.models.records import AssessorReport

    return events.filter(Exists(AssessorReport.objects.filter(event=OuterRef("pk"))))


@reads("assessments.AssessmentReview", "assessments.AssessorReport", "assessments.Event", "assessments.EventReview",
       "schemes.TestSite")
def reviewer(user) -> list[WorkItem]:
    """The head of the test site (and the quality reviewer): events whose review they may sign now (the minutes,
    an FR.AK.05 and quality's FR.AK.06 in place, their own site). Appeals are not the Kepala TUK's: ISO/IEC 17024
    9.8 wants them handled by people not involved in the decision, so the LSP admin and quality reviewers decide
    them (``selectors.appeals_visible_to``), and the Kepala TUK, who ran the test and signed its berita acara, is
    never offered a list that would refuse them. The machine is asked only about the events that already have
    what its guard requires of the event (minutes, an FR.AK.05, the FR.AK.06): the same count."""
    waiting = _reported(Event.objects.filter(status=EventStatus.REPORT_SIGNED, assessment_review__isnull=False)
                        .exclude(minutes="")).exclude(reviews__signed_by=user)
    return [WorkItem(_("Test events to review"), len(_allowed(waiting, "review_signed", user)),
                     reverse("assessments:reviews"), 0, "reviews")]


@reads("assessments.Appeal", "assessments.AssessmentReview", "assessments.Assessor", "assessments.AssessorReport",
       "assessments.Event", "assessments.EventReview", "assessments.Participant", "contenttypes.ContentType",
       "schemes.TestSite", "sla.Clock", "sla.SlaPolicy")
def quality(user) -> list[WorkItem]:
    """The quality reviewer: reviews of the assessment (FR.AK.06) to record, events to review and appeals to
    decide. The refusal is asked only about events with an FR.AK.05, which it requires."""
    from assessments.instruments.services.records import review_refusal

    waiting = [e for e in _reported(Event.objects.filter(status=EventStatus.REPORT_SIGNED,
                                                         assessment_review__isnull=True)).order_by("starts_at", "pk")
               if not review_refusal(e, user)]
    reviews = reverse("assessments:reviews")
    return [WorkItem(_("Reviews of the assessment (FR.AK.06) to record"), len(waiting),
                     _first_or(waiting, "assessments:ak06", reviews), 0, "assessment-reviews"),
            *reviewer(user), _appeals_item(user)]


def register() -> None:
    """Each role's work from this app on its home page (called in ``AssessmentsConfig.ready``)."""
    from certportal.accounts.models import Role
    from certportal.workqueue import register_work

    register_work(Role.LSP_ADMIN, lsp_admin)
    _forget_on_change()
    register_work(Role.ASSESSOR, assessor)
    register_work(Role.QUALITY, quality)
    register_work(Role.TUK_HEAD, reviewer)
    from assessments.events.views.events import assessor_lists, review_lists
    from certportal.workqueue import register_list

    register_list(Role.ASSESSOR, assessor_lists)
    register_list(Role.TUK_HEAD, review_lists)
    register_list(Role.QUALITY, review_lists)


def _forget_on_change() -> None:
    from certportal import figures

    figures.forget_on_change(WORK_FIGURES, *WORK_MODELS)
