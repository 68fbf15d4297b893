"""Appeals (banding): the window, filing, who may decide, the decision (dismissed, upheld or a re-assessment
of BK units) and the appeal's service clock."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.errors import AssessmentError
from assessments.events.models import Appeal, Participant, Result
from assessments.events.services.base import _act
from certportal.accounts.models import Role
from certportal.audit.services import audit_record
from certportal.notifications.services import notify
from certportal.workflow import transition


def appeal_deadline(participant: Participant) -> datetime.date | None:
    if not participant.decided_at:
        return None
    days = settings.ASSESSMENT_APPEAL_WINDOW_DAYS
    return timezone.localtime(participant.decided_at).date() + datetime.timedelta(days=days)


def appeal_file(participant: Participant, *, user, grounds: str, discussed_with_assessor: bool = False) -> Appeal:
    """The participant appeals a BK decision within the window (``assessments.participant.appealed``)."""
    if not grounds.strip():
        raise AssessmentError(_("Say why you appeal."))
    with transaction.atomic():
        participant = transition(participant, "appealed", user=user, reason=grounds.strip())
        appeal = Appeal.objects.create(participant=participant, grounds=grounds.strip(),
                                       discussed_with_assessor=discussed_with_assessor)
        participant.application = _act(participant.application, "appealed", actor=user,
                                              reason=grounds.strip())
        audit_record(actor=user, obj=appeal, action="assessments.appeal.filed", to_state=Appeal.Status.FILED,
                     note=grounds.strip())
        _appeal_clock_start(appeal)
    return appeal


def _appeal_clock_start(appeal: Appeal) -> None:
    from certportal.sla import services as sla

    try:
        with transaction.atomic():  # a savepoint: a missing policy must not spoil the appeal's transaction
            sla.start_clock(appeal, "appeal")
    except Exception as exc:  # the policy ships with the SLA reference data; an install without it still works
        import logging

        logging.getLogger(__name__).warning("appeal clock not started: %s", exc)


def may_decide_appeal(user, appeal: Appeal) -> bool:
    """Someone who neither assessed nor decided the case (an LSP admin or the quality role)."""
    p = appeal.participant
    return (user.has_role(Role.LSP_ADMIN, Role.QUALITY)
            and not (p.assessor and p.assessor.user_id == user.pk)
            and p.decided_by_id != user.pk)


def appeals_decidable_by(user, appeals: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """The appeals of ``appeals`` that ``user`` may decide, as a filter: :func:`may_decide_appeal`'s rule (and the
    machine's: not before the decision appealed), for a count that reads no appeal's participant one by one."""
    if not user.has_role(Role.LSP_ADMIN, Role.QUALITY):
        return appeals.none()
    return (appeals.exclude(participant__assessor__user=user).exclude(participant__decided_by=user)
            .exclude(participant__decided_at__gt=timezone.now()))


OUTCOMES = {Appeal.Outcome.DISMISSED: ("dismissed", "appeal_dismissed"),
            Appeal.Outcome.REASSESS: ("upheld", "reassessment_granted")}


def appeal_decide(appeal: Appeal, *, actor, outcome: str, note: str, unit_ids=()) -> Appeal:
    """Decided by someone who neither assessed nor decided the case (``assessments.appeal.dismissed`` /
    ``.upheld``, with the participant's matching arrow); a re-assessment covers BK units only."""
    if outcome not in OUTCOMES:
        raise AssessmentError(_("Choose the outcome and give its reasons."))
    appeal_action, participant_action = OUTCOMES[outcome]
    with transaction.atomic():
        appeal = Appeal.objects.select_related("participant__application").get(pk=appeal.pk)
        p = appeal.participant
        units = {int(u) for u in unit_ids} if outcome == Appeal.Outcome.REASSESS else set()
        bk = set(p.results.filter(result=Result.BK).values_list("unit_id", flat=True))
        if outcome == Appeal.Outcome.REASSESS and (not units or not units <= bk):
            raise AssessmentError(_("A re-assessment covers BK units only: choose at least one BK unit."))
        appeal = transition(appeal, appeal_action, user=actor, reason=note, outcome=outcome,
                            outcome_note=(note or "").strip(), decided_by=actor)
        appeal.units.set(units)
        p = transition(p, participant_action, user=actor, reason=note)
        if outcome == Appeal.Outcome.DISMISSED:
            _act(p.application, "appeal_dismissed", actor=actor, reason=note)
        _appeal_clock_stop(appeal)
        notify(p.application.applicant, template="assessments/email/appeal_decided",
               context={"appeal": appeal, "participant": p},
               url=reverse("assessments:my-participation", kwargs={"pk": p.pk}), key=f"appeal-{appeal.pk}-decided")
    return appeal


def _appeal_clock_stop(appeal: Appeal) -> None:
    from certportal.sla import services as sla

    if sla.clock_for(appeal, "appeal") is not None:
        sla.stop_clock(appeal, "appeal")
