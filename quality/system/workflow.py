"""The state machines of the management system's records, registered with the workflow core (``QualityConfig``).

Review (internal audit or management review): recorded → concluded (the LSP administrator, with its conclusions).
Corrective action: open → reported done (the owner, once the correction and the cause found are recorded and
evidence is attached; both acts are recorded with from = to) → closed with the effectiveness check (an LSP
administrator or the quality reviewer who is NOT the owner), or sent back to open.
Document version: awaiting approval → approved (an LSP administrator or the quality reviewer other than the uploader).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certportal.accounts.models import Role
from certportal.errors import PortalError, TransitionRefused
from certportal.workflow import Machine, Transition

from .models import ActionStatus, CorrectiveAction, DocumentVersion, SystemReview, VersionStatus

ADMIN = (Role.LSP_ADMIN,)
VERIFIERS = (Role.LSP_ADMIN, Role.QUALITY)  # who closes an action or approves a version (never their own)
A = ActionStatus


class QualitySystemError(PortalError):
    """A refused act on an audit, a corrective action or a controlled document, with a message for the user."""


class QualitySystemRefused(QualitySystemError, TransitionRefused):
    """A refused transition (the workflow core raises it: the machine's ``refused``)."""


def _is_owner(user, action: CorrectiveAction) -> bool:
    return getattr(user, "pk", None) == action.owner_id


def _conclusions_given(review: SystemReview, changes: dict, at) -> str | None:
    if not (changes.get("conclusions") or "").strip():
        return _("Write the conclusions before concluding.")
    return None


def _outputs_recorded(review: SystemReview, user, at) -> str | None:
    """A management review's outputs (ISO/IEC 17024 10.2.5): at least one decision or action, each a tracked
    action with its owner and due date."""
    if review.kind == SystemReview.Kind.MANAGEMENT_REVIEW and not review.findings.exists():
        return _("Record the review's decisions and actions (its outputs, each tracked with an owner and a due "
                 "date) before concluding it.")
    return None


def _analysed(action: CorrectiveAction, user, at) -> str | None:
    if not (action.correction.strip() and action.cause.strip()):
        return _("Record the correction and the cause found before reporting the action done.")
    return None


def _analysis_given(action: CorrectiveAction, changes: dict, at) -> str | None:
    if not ((changes.get("correction") or "").strip() and (changes.get("cause") or "").strip()):
        return _("Write both the correction done at once and the cause found.")
    return None


def _has_evidence(action: CorrectiveAction, user, at) -> str | None:
    if problem := _analysed(action, user, at):
        return problem
    if not action.evidence.exists():
        return _("Attach the evidence of what was done before reporting the action done.")
    return None


def _someone_else(action: CorrectiveAction, user, at) -> str | None:
    if _is_owner(user, action):
        return _("You own this corrective action: someone else must check the evidence and close it (or send it "
                 "back).")
    return None


def _closer_given(action: CorrectiveAction, changes: dict, at) -> str | None:
    closer = changes.get("closed_by")
    if closer is None or closer.pk == action.owner_id:
        return _("The person who closes a corrective action cannot be its owner.")
    if not (changes.get("effectiveness") or "").strip():
        return _("Write the effectiveness check: what shows the cause is removed and the nonconformity does not "
                 "recur.")
    return None


def _not_the_uploader(version: DocumentVersion, user, at) -> str | None:
    if getattr(user, "pk", None) == version.uploaded_by_id:
        return _("You uploaded this version: another LSP administrator or the quality reviewer approves it.")
    return None


REVIEW_MACHINE = Machine(
    model=SystemReview, states=SystemReview.Status, refused=QualitySystemRefused,
    labels={"recorded": gettext_lazy("recorded"), "finding_recorded": gettext_lazy("finding recorded")},
    transitions=[
        Transition("concluded", {SystemReview.Status.RECORDED}, SystemReview.Status.CONCLUDED,
                   gettext_lazy("concluded"), gettext_lazy("Record the conclusions"), ADMIN,
                   guard=_outputs_recorded, validate=_conclusions_given, stamp="concluded_at", url_name="quality:system-review-conclude"),
    ])

ACTION_MACHINE = Machine(
    model=CorrectiveAction, states=ActionStatus, refused=QualitySystemRefused,
    labels={"opened": gettext_lazy("corrective action opened")},
    transitions=[
        Transition("evidence_added", {A.OPEN}, None, gettext_lazy("evidence added"), gettext_lazy("Add evidence"),
                   allowed=_is_owner, url_name="quality:system-action-evidence"),
        Transition("analysed", {A.OPEN}, None, gettext_lazy("correction and cause recorded"),
                   gettext_lazy("Record the correction and the cause"), allowed=_is_owner, validate=_analysis_given,
                   url_name="quality:system-action-analysis"),
        Transition("completed", {A.OPEN}, A.COMPLETED, gettext_lazy("reported done"),
                   gettext_lazy("Report the action done"), allowed=_is_owner, guard=_has_evidence,
                   stamp="completed_at", url_name="quality:system-action-complete"),
        Transition("returned", {A.COMPLETED}, A.OPEN, gettext_lazy("sent back to the owner"),
                   gettext_lazy("Send back to the owner"), VERIFIERS, guard=_someone_else, needs_reason=True,
                   reason_prompt=gettext_lazy("Say what is still missing."), url_name="quality:system-action-return"),
        Transition("closed", {A.COMPLETED}, A.CLOSED, gettext_lazy("checked effective and closed"),
                   gettext_lazy("Effective: close the action"),
                   VERIFIERS, guard=_someone_else, validate=_closer_given, stamp="closed_at",
                   url_name="quality:system-action-close"),
    ])

VERSION_MACHINE = Machine(
    model=DocumentVersion, states=VersionStatus, refused=QualitySystemRefused,
    labels={"uploaded": gettext_lazy("version uploaded")},
    transitions=[
        Transition("approved", {VersionStatus.DRAFT}, VersionStatus.APPROVED, gettext_lazy("approved"),
                   gettext_lazy("Approve this version"), VERIFIERS, guard=_not_the_uploader, stamp="approved_at",
                   url_name="quality:system-version-approve"),
    ])

OTHER_LABELS = {"quality.controlleddocument.created": gettext_lazy("controlled document created")}
MACHINES = (REVIEW_MACHINE, ACTION_MACHINE, VERSION_MACHINE)
