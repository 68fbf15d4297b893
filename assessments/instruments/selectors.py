"""Reads about the assessment instruments: who may see plans, question banks, instrument records, the written
test, the FR.AK records and the participant's assessment file. The question bank is confidential: every reader
here is checked, and the services audit every access."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from applicants.models import Status as AppStatus
from assessments.events.models import Participant
from assessments.events.selectors import _active
from assessments.instruments.models import AssessmentFeedback
from certportal.accounts.models import Role

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



# Applications and sittings during which a person is being assessed on a scheme: its bank is closed to them.
OPEN_APPLICATION_STATES = (AppStatus.SUBMITTED, AppStatus.RETURNED, AppStatus.RESUBMITTED, AppStatus.COMPLETE,
                           AppStatus.VERIFIED, AppStatus.PARTICIPANT, AppStatus.SCHEDULED, AppStatus.ASSESSED,
                           AppStatus.APPEALED)
OPEN_PARTICIPANT_STATES = (Participant.Status.NAMED, Participant.Status.AWAITING_DECISION,
                           Participant.Status.APPEALED, Participant.Status.REASSESSMENT)


def _assessments_of(user):
    """(the person's applications in progress, their sittings not yet decided)."""
    from applicants.models import Application

    return (Application.objects.filter(applicant=user, status__in=OPEN_APPLICATION_STATES),
            Participant.objects.filter(application__applicant=user, status__in=OPEN_PARTICIPANT_STATES))


def scheme_codes_assessed_on(user) -> set[str]:
    """The codes of the schemes this person is being assessed on: an application in progress (submitted, up to the
    decision and an appeal) or a sitting not yet decided (named, awaiting the decision, appealed, re-assessed)."""
    if not _active(user):
        return set()
    applied, sitting = _assessments_of(user)
    return set(applied.values_list("scheme__code", flat=True)) | set(
        sitting.values_list("event__scheme__code", flat=True))


def _assessed_on(user, code: str = "code") -> Q:
    """The schemes of :func:`scheme_codes_assessed_on` as a condition on a scheme code (``code``, a lookup path from
    the rows asked for): subqueries of the query that asks, not two queries of their own before it (the staff
    participant page's panels asked for those codes four times)."""
    applied, sitting = _assessments_of(user)
    return Q(**{f"{code}__in": applied.values("scheme__code")}) | Q(
        **{f"{code}__in": sitting.values("event__scheme__code")})


def bank_schemes_visible_to(user):
    """The schemes whose question banks this user may open: every scheme for an LSP admin, the schemes in an active
    assessor's scope (by code, so every version of a scheme in scope) and those whose bank they were assigned to
    keep; nobody else (not quality, not the Kepala TUK, not an applicant). Never a scheme the user is being assessed
    on (:func:`scheme_codes_assessed_on`), whatever their role."""
    from schemes.models import Scheme

    qs = Scheme.objects.all()
    if not _active(user) or not user.has_role(Role.LSP_ADMIN, Role.ASSESSOR):
        return qs.none()
    if not user.has_role(Role.LSP_ADMIN):
        mine = Q(code__in=Scheme.objects.filter(bank_keepers__user=user).values("code"))
        if user.has_role(Role.ASSESSOR):
            mine |= Q(code__in=Scheme.objects.filter(assessors__user=user, assessors__is_active=True).values("code"))
        qs = qs.filter(mine)
    return qs.exclude(_assessed_on(user))


def _keys_clause(user) -> Q:
    """The schemes whose keys ``user`` holds, by code: those they keep and those of an event they assess that is
    not archived yet (not yet limited to the banks they may open)."""
    from assessments.events.models import EventAssessor, EventStatus
    from schemes.models import Scheme

    keeps = Q(code__in=Scheme.objects.filter(bank_keepers__user=user).values("code"))
    if user.is_authenticated and user.has_role(Role.ASSESSOR):
        events = EventAssessor.objects.filter(assessor__user=user, assessor__is_active=True).exclude(
            event__status=EventStatus.ARCHIVED).values("event__scheme__code")
        keeps |= Q(code__in=events)
    return keeps


def bank_key_schemes(user):
    """The schemes whose keys and expected answers this user reads, and whose items they write: those they keep
    (assigned by the LSP admin) and those of an event they assess that is not archived yet; always within
    :func:`bank_schemes_visible_to` (so never a scheme they are being assessed on). An LSP admin reads the keys of
    the banks they assigned themselves to keep, as anyone else."""
    return bank_schemes_visible_to(user).filter(_keys_clause(user))


def with_keys_held(schemes, user):
    """``schemes`` (of :func:`bank_schemes_visible_to`), each marked ``keys_held``: whether ``user`` reads its keys
    as :func:`bank_key_schemes` says, in the same query (a bank page asks both)."""
    return schemes.annotate(keys_held=ExpressionWrapper(_keys_clause(user), output_field=BooleanField()))


def bank_items_visible_to(user):
    """Question-bank items of the units of the schemes this user may see (:func:`bank_schemes_visible_to`)."""
    from assessments.instruments.models.plans import BankItem

    schemes = bank_schemes_visible_to(user)
    return BankItem.objects.filter(unit__scheme_links__scheme__in=schemes).select_related("unit", "criterion") \
        .distinct()



WRITTEN_TEST_READERS = (Role.LSP_ADMIN, Role.QUALITY)



def written_tests_visible_to(user):
    """FR.IA.05 tests staff may read with their questions, answers and keys: the participant's own assessor, LSP
    admins and quality management. Never the participant through this (they see only their running test), nor
    anyone the tests of a scheme they are being assessed on."""
    from assessments.instruments.models.records import WrittenTest

    qs = WrittenTest.objects.select_related("participant__event__scheme", "participant__event__test_site",
                                            "participant__application__scheme", "participant__assessor__user")
    if not _active(user):
        return qs.none()
    qs = qs.exclude(_assessed_on(user, "participant__event__scheme__code"))  # the keys
    if user.has_role(*WRITTEN_TEST_READERS):
        return qs
    if user.has_role(Role.ASSESSOR):
        return qs.filter(participant__assessor__user=user)
    return qs.none()



INSTRUMENT_READERS = (Role.LSP_ADMIN, Role.QUALITY)



def instrument_participants_visible_to(user) -> QuerySet[Participant]:
    """Participants whose instrument records and FR.AK.02 this user may read: the participant's own assessor, the
    LSP admin and quality management; nobody else (not another assessor of the event, not the participant), and
    nobody the records of a scheme they are being assessed on (the records carry the bank's expected answers)."""
    qs = Participant.objects.select_related("event__scheme", "event__test_site", "application__applicant",
                                            "application__scheme", "assessor__user")
    if not _active(user):
        return qs.none()
    qs = qs.exclude(_assessed_on(user, "event__scheme__code"))  # the bank's items and answers
    if user.has_role(*INSTRUMENT_READERS):
        return qs
    if user.has_role(Role.ASSESSOR):
        return qs.filter(assessor__user=user)
    return qs.none()



def instrument_records_visible_to(user):
    """The instrument records (FR.IA.01–11) of :func:`instrument_participants_visible_to`'s participants."""
    from assessments.instruments.models.records import InstrumentRecord

    return InstrumentRecord.objects.filter(participant__in=instrument_participants_visible_to(user)).select_related(
        "participant__event__test_site", "participant__application__scheme", "participant__assessor__user", "unit")



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
    from assessments.instruments.models.plans import AssessmentPlan

    return (AssessmentPlan.objects.select_related("scheme", "made_by", "validated_by")
            .filter(scheme__in=plan_schemes_visible_to(user)))



def instrument_validations_visible_to(user):
    """FR.VA records: read by those who read the scheme's plans."""
    from assessments.instruments.models.plans import InstrumentValidation

    return (InstrumentValidation.objects.select_related("scheme", "recorded_by")
            .filter(scheme__in=plan_schemes_visible_to(user)))



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
    from assessments.instruments.models.records import AssessorReport

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
    from assessments.instruments.models.records import AssessmentReview

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

