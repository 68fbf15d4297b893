"""Reads: what each user may see. Views take objects only from these querysets."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet

from certportal.accounts.models import Role

from .models import (
    LOCKED_STATUSES,
    Appeal,
    AssessmentFeedback,
    Assessor,
    Certificate,
    Event,
    EventAssessor,
    Participant,
    ResultLetter,
)

SEE_ALL = (Role.LSP_ADMIN, Role.QUALITY, Role.SUPERVISOR)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def events_visible_to(user) -> QuerySet[Event]:
    qs = Event.objects.select_related("scheme", "test_site")
    if not _active(user):
        return qs.none()
    if user.has_role(*SEE_ALL):
        return qs
    filters = qs.none()
    if user.has_role(Role.ASSESSOR):
        filters = filters | qs.filter(event_assessors__assessor__user=user)
    if user.has_role(Role.TUK_HEAD):
        filters = filters | qs.filter(test_site__head=user)
    return filters.distinct()


def staff_participants_visible_to(user) -> QuerySet[Participant]:
    """Participants a staff member may see: an assessor only those of their own events."""
    qs = Participant.objects.select_related("event__scheme", "event__test_site", "application__applicant",
                                            "application__scheme", "assessor__user")
    if not _active(user):
        return qs.none()
    if user.has_role(*SEE_ALL):
        return qs
    return qs.filter(event__in=events_visible_to(user))


def my_participations(user) -> QuerySet[Participant]:
    return Participant.objects.filter(application__applicant=user).select_related(
        "event__scheme", "event__test_site", "application__scheme")


def participants_visible_to(user) -> QuerySet[Participant]:
    return (staff_participants_visible_to(user) | my_participations(user)).distinct() if _active(user) else \
        Participant.objects.none()


def certificates_visible_to(user) -> QuerySet[Certificate]:
    qs = Certificate.objects.select_related("application", "participant__event")
    if not _active(user):
        return qs.none()
    if user.has_role(Role.LSP_ADMIN, Role.VERIFIER, Role.SUPERVISOR, Role.QUALITY):
        return qs
    return qs.filter(application__applicant=user)


def letters_visible_to(user) -> QuerySet[ResultLetter]:
    qs = ResultLetter.objects.select_related("application", "participant__event")
    if not _active(user):
        return qs.none()
    if user.has_role(Role.LSP_ADMIN, Role.VERIFIER, Role.SUPERVISOR, Role.QUALITY):
        return qs
    return qs.filter(application__applicant=user)


def appeals_visible_to(user) -> QuerySet[Appeal]:
    qs = Appeal.objects.select_related("participant__application", "participant__event__scheme",
                                       "participant__assessor__user", "decided_by")
    if not _active(user):
        return qs.none()
    if user.has_role(Role.LSP_ADMIN, Role.QUALITY, Role.SUPERVISOR):
        return qs
    return qs.filter(participant__application__applicant=user)


def _open_links() -> QuerySet[EventAssessor]:
    return (EventAssessor.objects.exclude(event__status__in=LOCKED_STATUSES)
            .select_related("event__scheme", "event__test_site").order_by("event__starts_at", "event_id"))


def assessors_for_admin() -> QuerySet[Assessor]:
    """The LSP admin's list: each assessor with their schemes and their open events, in a fixed number of
    queries (``assessor_open_events`` reads the prefetched links)."""
    return (Assessor.objects.select_related("user")
            .prefetch_related("schemes", Prefetch("event_links", queryset=_open_links(), to_attr="open_links"))
            .order_by("user__full_name", "pk"))


def assessor_open_events(assessor: Assessor) -> list[Event]:
    """Events this assessor is on whose official report is not signed yet (upcoming, or held and still open
    for results), earliest first."""
    links = getattr(assessor, "open_links", None)
    if links is None:
        links = _open_links().filter(assessor=assessor)
    return [link.event for link in links]


def events_to_reassign() -> list[Event]:
    """Open events with a deactivated assessor on them, for the LSP admin to add another assessor and move the
    participants; each event carries ``inactive`` (the deactivated assessors) and ``stranded`` (how many
    participants are still assigned to them). An event leaves the list once nobody is left with them and an
    active assessor is on it."""
    links = list(_open_links().filter(assessor__is_active=False).select_related("assessor__user"))
    events: dict[int, Event] = {}
    for link in links:
        event = events.setdefault(link.event_id, link.event)
        event.__dict__.setdefault("inactive", []).append(link.assessor)
    rows = []
    for event in events.values():
        event.stranded = event.participants.filter(assessor__in=event.inactive).count()
        event.has_active = event.event_assessors.filter(assessor__is_active=True).exists()
        if event.stranded or not event.has_active:
            rows.append(event)
    return rows


def get_or_403(queryset: QuerySet, **lookup):
    """The object if this user may see it; otherwise 403 (also for ids that do not exist: nothing leaks)."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise PermissionDenied
    return obj


def assessor_visibility(user, queryset):
    """applicants.selectors hook: an assessor sees the applications of participants in their own events."""
    return queryset.filter(participations__event__event_assessors__assessor__user=user).distinct()


FEEDBACK_READERS = (Role.LSP_ADMIN, Role.QUALITY)


def feedback_visible_to(user) -> QuerySet[AssessmentFeedback]:
    """FR.AK.03 records: the participant's own, those of the participants an assessor assessed, all of them for the
    LSP admin and quality management; nobody else (not another assessor of the same event, not the Kepala TUK)."""
    qs = AssessmentFeedback.objects.select_related("participant__event__scheme", "participant__application__applicant",
                                                   "participant__assessor__user")
    if not _active(user):
        return qs.none()
    if user.has_role(*FEEDBACK_READERS):
        return qs
    mine = Q(participant__application__applicant=user)
    if user.has_role(Role.ASSESSOR):
        mine |= Q(participant__assessor__user=user)
    return qs.filter(mine)


def assessment_files_visible_to(user) -> QuerySet[Participant]:
    """Whose complete assessment file (APL.01 to AK.05) a user may download: the same people who read the
    instrument records (the LSP admin, quality management, the participant's own assessor); nobody else."""
    return instrument_participants_visible_to(user).select_related("event__plan", "pleno")


# --- issue 19: the question bank (confidential) and the browser FR.IA.05 test -----------------------------------


def bank_schemes_visible_to(user):
    """The schemes whose question banks this user may see and edit: every scheme for an LSP admin, the schemes in
    an active assessor's scope (by code, so every version of a scheme in scope) for that assessor; nobody else
    (not quality, not the Kepala TUK, not an applicant)."""
    from schemes.models import Scheme

    qs = Scheme.objects.all()
    if not _active(user):
        return qs.none()
    if user.has_role(Role.LSP_ADMIN):
        return qs
    if user.has_role(Role.ASSESSOR):
        codes = Scheme.objects.filter(assessors__user=user, assessors__is_active=True).values("code")
        return qs.filter(code__in=codes)
    return qs.none()


def bank_items_visible_to(user):
    """Question-bank items of the units of the schemes this user may see (:func:`bank_schemes_visible_to`)."""
    from .plan_models import BankItem

    schemes = bank_schemes_visible_to(user)
    return BankItem.objects.filter(unit__scheme_links__scheme__in=schemes).select_related("unit", "criterion") \
        .distinct()


WRITTEN_TEST_READERS = (Role.LSP_ADMIN, Role.QUALITY)


def written_tests_visible_to(user):
    """FR.IA.05 tests staff may read with their questions, answers and keys: the participant's own assessor, LSP
    admins and quality management. Never the participant through this (they see only their running test)."""
    from .record_models import WrittenTest

    qs = WrittenTest.objects.select_related("participant__event__scheme", "participant__event__test_site",
                                            "participant__application__scheme", "participant__assessor__user")
    if not _active(user):
        return qs.none()
    if user.has_role(*WRITTEN_TEST_READERS):
        return qs
    if user.has_role(Role.ASSESSOR):
        return qs.filter(participant__assessor__user=user)
    return qs.none()


# --- issue 19: the instrument records (FR.IA) and FR.AK.02 -------------------------------------------------------

INSTRUMENT_READERS = (Role.LSP_ADMIN, Role.QUALITY)


def instrument_participants_visible_to(user) -> QuerySet[Participant]:
    """Participants whose instrument records and FR.AK.02 this user may read: the participant's own assessor, the
    LSP admin and quality management; nobody else (not another assessor of the event, not the participant)."""
    qs = Participant.objects.select_related("event__scheme", "event__test_site", "application__applicant",
                                            "application__scheme", "assessor__user")
    if not _active(user):
        return qs.none()
    if user.has_role(*INSTRUMENT_READERS):
        return qs
    if user.has_role(Role.ASSESSOR):
        return qs.filter(assessor__user=user)
    return qs.none()


def instrument_records_visible_to(user):
    """The instrument records (FR.IA.01–11) of :func:`instrument_participants_visible_to`'s participants."""
    from .record_models import InstrumentRecord

    return InstrumentRecord.objects.filter(participant__in=instrument_participants_visible_to(user)).select_related(
        "participant__event__test_site", "participant__application__scheme", "participant__assessor__user", "unit")


# --- issue 19: assessment plans (FR.MAPA.01/02) and instrument validations (FR.VA) -----------------------------

PLAN_READERS = (Role.LSP_ADMIN, Role.QUALITY, Role.SUPERVISOR)


def plan_schemes_visible_to(user):
    """Schemes whose plans this user may read: every scheme for the LSP admin, quality and the supervisor; for an
    active assessor the schemes in their scope (by code, so every version of a scheme in scope); none otherwise."""
    from schemes.models import Scheme

    qs = Scheme.objects.all()
    if not _active(user):
        return qs.none()
    if user.has_role(*PLAN_READERS):
        return qs
    if user.has_role(Role.ASSESSOR):
        codes = Scheme.objects.filter(assessors__user=user, assessors__is_active=True).values("code")
        return qs.filter(code__in=codes)
    return qs.none()


def plans_visible_to(user):
    from .plan_models import AssessmentPlan

    return (AssessmentPlan.objects.select_related("scheme", "made_by", "validated_by")
            .filter(scheme__in=plan_schemes_visible_to(user)))


def instrument_validations_visible_to(user):
    """FR.VA records: read by those who read the scheme's plans."""
    from .plan_models import InstrumentValidation

    return (InstrumentValidation.objects.select_related("scheme", "recorded_by")
            .filter(scheme__in=plan_schemes_visible_to(user)))


# --- issue 19: FR.AK.01 / FR.AK.07 (per participant), FR.AK.05 / FR.AK.06 (per event) -----------------------------

RECORD_READERS = (Role.LSP_ADMIN, Role.QUALITY)


def record_participants_visible_to(user) -> QuerySet[Participant]:
    """Whose FR.AK.01 and FR.AK.07 ``user`` may read: their own, those they assess, every one for the LSP admin and
    quality management; nobody else's (not the Kepala TUK, not another assessor of the event)."""
    qs = Participant.objects.select_related("event__scheme", "event__test_site", "application__applicant",
                                            "application__scheme", "assessor__user")
    if not _active(user):
        return qs.none()
    if user.has_role(*RECORD_READERS):
        return qs
    mine = Q(application__applicant=user)
    if user.has_role(Role.ASSESSOR):
        mine |= Q(assessor__user=user)
    return qs.filter(mine)


def assessor_reports_visible_to(user):
    """FR.AK.05: an assessor their own reports, the Kepala TUK those of their site's events, the LSP admin and
    quality management all of them."""
    from .record_models import AssessorReport

    qs = AssessorReport.objects.select_related("event__scheme", "event__test_site", "assessor__user")
    if not _active(user):
        return qs.none()
    if user.has_role(*RECORD_READERS):
        return qs
    mine = Q(pk__in=[])
    if user.has_role(Role.ASSESSOR):
        mine |= Q(assessor__user=user)
    if user.has_role(Role.TUK_HEAD):
        mine |= Q(event__test_site__head=user)
    return qs.filter(mine)


def assessment_reviews_visible_to(user):
    """FR.AK.06: the assessors of the event and the Kepala TUK of its site, the LSP admin and quality management."""
    from .record_models import AssessmentReview

    qs = AssessmentReview.objects.select_related("event__scheme", "event__test_site", "reviewer")
    if not _active(user):
        return qs.none()
    if user.has_role(*RECORD_READERS):
        return qs
    mine = Q(pk__in=[])
    if user.has_role(Role.ASSESSOR):
        mine |= Q(event__event_assessors__assessor__user=user)
    if user.has_role(Role.TUK_HEAD):
        mine |= Q(event__test_site__head=user)
    return qs.filter(mine).distinct()
