"""FR.AK.03: the participant's feedback on their assessment (``assessments.instruments.models.feedback``).

Given by the participant themselves, once, after the test has started and once every unit to assess has its
result (before or after the certification decision). Nothing is recorded before it can have happened."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from assessments.errors import AssessmentError
from assessments.events.models import Participant
from assessments.events.services.results import units_to_assess
from assessments.instruments.models.feedback import (
    COMMENT_MAX_LENGTH,
    FEEDBACK_FORM_VERSION,
    FEEDBACK_STATEMENTS,
    OVERALL_MAX_LENGTH,
    AssessmentFeedback,
)
from assessments.instruments.services.signature import typed_name_matches
from certportal.audit.services import audit_record
from certportal.net import current_client_ip
from certportal.sentences import one_full_stop

ANSWERS = ("ya", "tidak")


def feedback_refusal(participant: Participant, *, now=None) -> str:
    """Why this participant may not give their feedback now ("" when they may)."""
    now = now or timezone.now()
    if AssessmentFeedback.objects.filter(participant=participant).exists():
        return _("You have already given your feedback on this assessment (FR.AK.03); it cannot be changed.")
    if participant.event.starts_at > now:
        return _("Feedback on the assessment is given after the test.")
    to_assess = set(units_to_assess(participant).values_list("pk", flat=True))
    done = set(participant.results.values_list("unit_id", flat=True))
    if not to_assess or not to_assess <= done:
        return _("Feedback on the assessment is given once your results are recorded.")
    return ""


def feedback_due(participant: Participant) -> bool:
    return not feedback_refusal(participant)


def participant_name_matches(typed: str, participant: Participant) -> bool:
    """The typed name is the participant's: as on the application or on their account."""
    return typed_name_matches(typed, participant.name, participant.application.applicant.full_name)


def feedback_give(participant: Participant, *, user, answers: dict[int, str], comments: dict[int, str] | None = None,
                  overall_comment: str = "", signed_name: str = "") -> AssessmentFeedback:
    """Record the participant's FR.AK.03: ``answers`` maps each statement's number (1..10) to "ya" or "tidak",
    ``comments`` a number to its optional comment; ``signed_name`` is their name typed as the signature."""
    with transaction.atomic():
        participant = (Participant.objects.select_for_update(of=("self",))
                       .select_related("event", "application__applicant").get(pk=participant.pk))
        if participant.application.applicant_id != getattr(user, "pk", None):
            raise AssessmentError(_("Only the participant can give feedback on their assessment."))
        refusal = feedback_refusal(participant)
        if refusal:
            raise AssessmentError(refusal)
        rows, overall_comment = _answer_rows(answers, comments, overall_comment)
        signed_name = " ".join((signed_name or "").split())
        if not participant_name_matches(signed_name, participant):
            raise AssessmentError(one_full_stop(_("To sign, type your name as it is on your application: %(name)s.")
                                                % {"name": participant.name}))
        now = timezone.now()
        last_result = participant.results.order_by("-recorded_at").values_list("recorded_at", flat=True).first()
        started = timezone.localdate(participant.event.starts_at)
        ended = max(started, timezone.localdate(last_result)) if last_result else started
        try:
            with transaction.atomic():
                feedback = AssessmentFeedback.objects.create(
                    participant=participant, form_version=FEEDBACK_FORM_VERSION, answers=rows,
                    overall_comment=overall_comment, signed_name=signed_name, assessment_started_on=started,
                    assessment_ended_on=min(ended, timezone.localdate(now)), submitted_at=now,
                    ip_address=current_client_ip())
        except IntegrityError:  # a second submit racing the first
            raise AssessmentError(_("You have already given your feedback on this assessment (FR.AK.03); it "
                                    "cannot be changed.")) from None
        audit_record(actor=user, obj=participant, action="feedback given (FR.AK.03)")
    return feedback


def _answer_rows(answers: dict[int, str], comments: dict[int, str] | None, overall_comment: str) -> tuple[list, str]:
    """The form's rows as printed (each statement in Indonesian, with its English gloss), every statement answered
    and every comment within its length; and the overall comment, checked the same way."""
    comments = comments or {}
    numbers = range(1, len(FEEDBACK_STATEMENTS) + 1)
    if any(answers.get(n) not in ANSWERS for n in numbers):
        raise AssessmentError(_("Answer every statement with Yes or No."))
    comments = {n: (comments.get(n) or "").strip() for n in numbers}
    if any(len(c) > COMMENT_MAX_LENGTH for c in comments.values()):
        raise AssessmentError(_("A comment on a statement can be at most %(limit)d characters long.")
                              % {"limit": COMMENT_MAX_LENGTH})
    overall_comment = (overall_comment or "").strip()
    if len(overall_comment) > OVERALL_MAX_LENGTH:
        raise AssessmentError(_("The overall comment can be at most %(limit)d characters long.")
                              % {"limit": OVERALL_MAX_LENGTH})
    rows = []
    for n, statement in zip(numbers, FEEDBACK_STATEMENTS, strict=True):
        with override("id"):
            printed = str(statement)
        with override("en"):
            gloss = str(statement)
        rows.append({"number": n, "statement": printed, "statement_en": gloss, "answer": answers[n],
                     "comment": comments[n]})
    return rows, overall_comment
