"""What the test event needs to know from the rooms above it, asked without importing them.

The event (participants, their results, the decision) is the floor of the assessments app; the assessment
instruments (the plan, the instrument records, the FR.AK.01 consents) and the certificates stand on it. A few of
the event's own rules depend on them (and on the LSP's own records, in ``quality``: the declarations of interest
without which no one assesses, reviews, sits in a pleno or decides; and on ``agencies``: who works for whose
agency): the plan in force when an event is planned, whether the plan's evidence for a unit is complete before a
K, the FR.AK.01 consents that results need, the FR.AK.05 report and FR.AK.06 review that SOP step 7 waits for, and
what follows a corrected result (the result letter withdrawn, the certificate suspended). The rooms above provide
those answers as extension points (:mod:`certportal.registry`), from their ``wiring.connect()`` in
``AssessmentsConfig.ready`` (and ``AgenciesConfig.ready``, ``QualityConfig.ready``).

Every point is required: the portal does not start without its provider (system check ``certportal.E001``), and a
guard asked without one refuses the act with an explanation rather than letting it through; the other points
raise :class:`certportal.registry.MissingProvider`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from certportal.registry import ExtensionPoint

PLAN_IN_FORCE: ExtensionPoint[Callable[[Any], Any]] = ExtensionPoint(
    "events.plan_in_force", "plan_in_force(scheme) -> the validated AssessmentPlan of the scheme, or None",
    required=True)
EVIDENCE_STATE: ExtensionPoint[Callable[[Any, int], Any]] = ExtensionPoint(
    "events.evidence_state",
    "evidence_state(participant, unit_id) -> an EvidenceState (planned, complete, missing, summary()) or None",
    required=True)
CONSENT_MISSING: ExtensionPoint[Callable[[Any], str | None]] = ExtensionPoint(
    "events.consent_missing",
    "consent_missing(participant) -> why results cannot be recorded yet for want of a consent (FR.AK.01), or None",
    required=True, refusal=_("The portal cannot check the participant's and the assessor's consent (FR.AK.01)."))
DECLARATION_MISSING: ExtensionPoint[Callable[[Any, datetime.datetime | None], str | None]] = ExtensionPoint(
    "events.declaration_missing",
    "declaration_missing(user, at) -> why user may not assess, review, sit in a pleno or decide at ``at`` for want "
    "of a current declaration of interest (ISO/IEC 17024 4.3; a SafeString with a link to sign), or None",
    required=True, refusal=_("The portal cannot check the declaration of interest (ISO/IEC 17024 4.3)."))
REVIEW_MISSING: ExtensionPoint[Callable[[Any], str | None]] = ExtensionPoint(
    "events.review_missing",
    "review_missing(event) -> why SOP step 7 cannot be signed yet for want of the assessment review (FR.AK.06), "
    "or None", required=True, refusal=_("The portal cannot check the assessment review (FR.AK.06)."))
INTEREST_IN: ExtensionPoint[Callable[[Any, list], str | None]] = ExtensionPoint(
    "events.interest_in",
    "interest_in(user, participants) -> why user has an interest in one of the participants that keeps them out "
    "of the pleno deciding them (they work in that participant's agency), or None",
    required=True, refusal=_("The portal cannot check whether the member works for a participant's agency."))
ASSESSOR_WARNINGS: ExtensionPoint[Callable[[list, datetime.date], dict]] = ExtensionPoint(
    "events.assessor_warnings",
    "assessor_warnings(assessors, today) -> {assessor pk: [warnings]}: what of each assessor's competence beside the "
    "MET licence (witnessing, monitoring, CPD: ISO/IEC 17024 6.2.2) runs out soon or is overdue, each with ``name``, "
    "``label``, ``colour``, ``code`` and ``state``; read once for the page of the assessors list")
REPORT_MISSING: ExtensionPoint[Callable[[Any], str | None]] = ExtensionPoint(
    "events.report_missing",
    "report_missing(event) -> why SOP step 7 cannot be signed yet for want of an assessor's report (FR.AK.05), "
    "or None", required=True, refusal=_("The portal cannot check the assessors' reports (FR.AK.05)."))
REPORT_REFUSAL: ExtensionPoint[Callable[[Any, Any], str]] = ExtensionPoint(
    "events.report_refusal",
    "report_refusal(event, user) -> why user may not sign their assessor's report (FR.AK.05) now, or ''",
    required=True, refusal=_("The portal cannot check the assessors' reports (FR.AK.05)."))
AFTER_RESULT_CORRECTED: ExtensionPoint[Callable[..., None]] = ExtensionPoint(
    "events.after_result_corrected",
    "func(participant, *, actor, note) -> None, called inside a corrected result's transaction (the result "
    "letter withdrawn, the certificate suspended)", required=True, many=True)


def plan_in_force(scheme):
    return PLAN_IN_FORCE.ask(scheme)


def evidence_state(participant, unit_id: int):
    """The plan's evidence for one unit of ``participant``, or None when the event has no plan."""
    return EVIDENCE_STATE.ask(participant, unit_id)


def consent_missing(participant) -> str | None:
    return CONSENT_MISSING.ask(participant)


def declaration_missing(user, at=None) -> str | None:
    """Why ``user`` may not assess, review, sit in a pleno or decide now for want of a declaration of interest and
    confidentiality (ISO/IEC 17024 4.3), or None."""
    return DECLARATION_MISSING.ask(user, at)


def interest_in(user, participants) -> str | None:
    """Why ``user`` has an interest in one of ``participants`` (their employer's staff), or None."""
    return INTEREST_IN.ask(user, participants)


def review_missing(event) -> str | None:
    """Why the review of SOP step 7 waits (FR.AK.06 not recorded), or None."""
    return REVIEW_MISSING.ask(event)


def report_missing(event) -> str | None:
    """Why the review of SOP step 7 waits for an assessor's report (FR.AK.05), or None."""
    return REPORT_MISSING.ask(event)


def report_refusal(event, user) -> str:
    """Why ``user`` may not sign their FR.AK.05 for ``event`` now ("" when they may)."""
    return REPORT_REFUSAL.ask(event, user)


def result_corrected(participant, *, actor, note: str) -> None:
    """What follows a corrected result; without a provider the correction is refused (its transaction undone)."""
    followers = AFTER_RESULT_CORRECTED.all()
    if not followers:
        raise AFTER_RESULT_CORRECTED.missing_error()
    for func in followers:
        func(participant, actor=actor, note=note)
