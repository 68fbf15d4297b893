"""What the test event needs to know from the rooms above it, asked without importing them.

The event (participants, their results, the decision) is the floor of the assessments app; the assessment
instruments (the plan, the instrument records, the FR.AK.01 consents) and the certificates stand on it. A few of
the event's own rules depend on them (and on the LSP's own records, in ``quality``: the declarations of interest
without which no one assesses, reviews, sits in a pleno or decides): the plan in force when an event is planned,
whether the plan's evidence for a unit is complete before a K, the FR.AK.01 consents that results need, the FR.AK.05
report and FR.AK.06 review that SOP step 7 waits for, and what follows a corrected result (the
result letter withdrawn, the certificate suspended). The rooms above provide those answers here, from their
``wiring.connect()`` in ``AssessmentsConfig.ready``, the way apps register with the workflow core.

Without a provider the event behaves as it would without that room: no plan (free-text evidence), no consent
asked, nothing to withdraw after a correction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# name -> what the provider is called with and answers (the event's side of the contract)
PROVIDED = {
    "plan_in_force": "scheme -> the validated AssessmentPlan of the scheme, or None",
    "evidence_state": "(participant, unit_id) -> an EvidenceState (planned, complete, missing, summary())",
    "consent_missing": "participant -> why results cannot be recorded yet for want of a consent, or None",
    "declaration_missing": "(user, at) -> why user may not assess, review, sit in a pleno or decide at ``at`` for "
                           "want of a current declaration of interest (a SafeString with a link to sign), or None",
    "review_missing": "event -> why SOP step 7 cannot be signed yet for want of the assessment review (FR.AK.06), "
                      "or None",
    "interest_in": "(user, participants) -> why user has an interest in one of the participants that keeps them "
                   "out of the pleno deciding them (they work in that participant's agency), or None",
    "report_missing": "event -> why SOP step 7 cannot be signed yet for want of an assessor's report (FR.AK.05), "
                      "or None",
    "report_refusal": "(event, user) -> why user may not sign their assessor's report (FR.AK.05) now, or ''",
}
_providers: dict[str, Callable[..., Any]] = {}
_after_correction: list[Callable[..., None]] = []


def provide(name: str, func: Callable[..., Any]) -> None:
    if name not in PROVIDED:
        raise ValueError(f"the event asks for no {name!r}; it asks for {sorted(PROVIDED)}")
    _providers[name] = func


def after_result_corrected(func: Callable[..., None]) -> Callable[..., None]:
    """Register ``func(participant, *, actor, note)``, called inside the correction's transaction."""
    if func not in _after_correction:
        _after_correction.append(func)
    return func


def plan_in_force(scheme):
    provider = _providers.get("plan_in_force")
    return provider(scheme) if provider else None


def evidence_state(participant, unit_id: int):
    """The plan's evidence for one unit of ``participant``, or None when no plan can be asked."""
    provider = _providers.get("evidence_state")
    return provider(participant, unit_id) if provider else None


def consent_missing(participant) -> str | None:
    provider = _providers.get("consent_missing")
    return provider(participant) if provider else None


def declaration_missing(user, at=None) -> str | None:
    """Why ``user`` may not assess, review, sit in a pleno or decide now for want of a declaration of interest and
    confidentiality (ISO/IEC 17024 4.3), or None (also when no room keeps declarations)."""
    provider = _providers.get("declaration_missing")
    return provider(user, at) if provider else None


def interest_in(user, participants) -> str | None:
    """Why ``user`` has an interest in one of ``participants`` (their employer's staff), or None; without the
    agencies room, None (the pleno still refuses staff outside the LSP, participants and declared conflicts)."""
    provider = _providers.get("interest_in")
    return provider(user, participants) if provider else None


def review_missing(event) -> str | None:
    """Why the review of SOP step 7 waits (FR.AK.06 not recorded), or None; without the instruments room, None."""
    provider = _providers.get("review_missing")
    return provider(event) if provider else None


def report_missing(event) -> str | None:
    """Why the review of SOP step 7 waits for an assessor's report (FR.AK.05), or None; without the instruments
    room, None."""
    provider = _providers.get("report_missing")
    return provider(event) if provider else None


def report_refusal(event, user) -> str:
    """Why ``user`` may not sign their FR.AK.05 for ``event`` now ("" when they may; without the room, a refusal)."""
    provider = _providers.get("report_refusal")
    return provider(event, user) if provider else "-"


def result_corrected(participant, *, actor, note: str) -> None:
    for func in _after_correction:
        func(participant, actor=actor, note=note)
