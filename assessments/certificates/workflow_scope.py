"""The machines of a certificate's scope reduction and of a misuse report (issue 30; models in
:mod:`assessments.certificates.scope_models`).

ScopeReduction: decided (a creation, audited ``assessments.scopereduction.decided``); the certificate it reduces
takes its own ``reduced`` transition (:mod:`assessments.certificates.workflow`) in the same transaction.

MisuseReport: received → no_action | warned | suspended | withdrawn, by the LSP admin with a reason. A suspension
or withdrawal is refused while the certificate's own transition is (its guard's reason is the report's), and is
carried out on the certificate in the same transaction (:mod:`assessments.certificates.services.misuse`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.certificates.scope_models import MisuseReport, ScopeReduction
from assessments.errors import AssessmentRefused
from certportal.accounts.models import Role
from certportal.workflow import Machine, Transition, allowed_actions

ADMIN = (Role.LSP_ADMIN,)
M = MisuseReport.Status


def _not_before_received(report: MisuseReport, user, at) -> str | None:
    if report.created_at and at < report.created_at:
        return _("Nothing is recorded before the report was received.")
    return None


def _certificate_allows(action: str):
    """The certificate's own ``action`` is allowed to ``user`` now, or why not (its machine's words)."""

    def guard(report: MisuseReport, user, at) -> str | None:
        checked = allowed_actions(report.certificate, user, at=at, only=(action,))[action]
        return None if checked.allowed else checked.reason

    return guard


PROMPT = gettext_lazy("Write what the review found: it is recorded with the report.")

MISUSE = Machine(
    model=MisuseReport, states=M, guard=_not_before_received, refused=AssessmentRefused,
    labels={"received": gettext_lazy("misuse report received")},
    transitions=[
        Transition("no_action", {M.RECEIVED}, M.NO_ACTION, gettext_lazy("misuse report closed without action"),
                   gettext_lazy("Close without action"), ADMIN, needs_reason=True, reason_prompt=PROMPT,
                   stamp="handled_at", url_name="assessments:misuse-handle"),
        Transition("warned", {M.RECEIVED}, M.WARNED, gettext_lazy("holder warned after a misuse report"),
                   gettext_lazy("Warn the holder"), ADMIN, needs_reason=True, reason_prompt=PROMPT,
                   stamp="handled_at", url_name="assessments:misuse-handle"),
        Transition("suspended", {M.RECEIVED}, M.SUSPENDED, gettext_lazy("certificate suspended after a misuse report"),
                   gettext_lazy("Suspend the certificate"), ADMIN, guard=_certificate_allows("suspended"),
                   needs_reason=True, reason_prompt=PROMPT, stamp="handled_at", url_name="assessments:misuse-handle"),
        Transition("withdrawn", {M.RECEIVED}, M.WITHDRAWN, gettext_lazy("certificate withdrawn after a misuse report"),
                   gettext_lazy("Withdraw the certificate"), ADMIN, guard=_certificate_allows("withdrawn"),
                   needs_reason=True, reason_prompt=PROMPT, stamp="handled_at", url_name="assessments:misuse-handle"),
    ],
)

REDUCTION = Machine(
    model=ScopeReduction, states=ScopeReduction.Status, refused=AssessmentRefused,
    labels={"decided": gettext_lazy("scope reduction decided")}, transitions=[],
)


def machines() -> list:
    return [MISUSE, REDUCTION]
