"""The disposal list's machine, declared for the workflow core (``QualityConfig.ready``).

proposed → approved (the LSP admin; the anonymisation job is queued) → done (the job, a system move);
proposed → cancelled (the LSP admin, with the reason). Nothing is anonymised without the approval row.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certportal.accounts.models import Role
from certportal.errors import PortalError, TransitionRefused
from certportal.workflow import Machine, Transition

from . import rules
from .models import DisposalList, DisposalStatus

ADMIN = (Role.LSP_ADMIN,)
READERS = (Role.LSP_ADMIN, Role.SUPERVISOR)
S = DisposalStatus


class DisposalError(PortalError):
    """A refused disposal list (a second one in a year, an empty one), with a message for the user."""


class DisposalRefused(DisposalError, TransitionRefused):
    """A refused transition (the workflow core raises it: the machine's ``refused``)."""


def _has_items(disposal: DisposalList, user, at) -> str | None:
    listed = set(disposal.items.filter(dropped_at__isnull=True).values_list("pk", flat=True))
    if not listed:
        return _("The list holds nobody: there is nothing to approve.")
    if disposal.status == S.PROPOSED and listed <= set(rules.left_out(disposal)):
        return _("Nobody on the list is still past their period: there is nothing to approve.")
    return None


DISPOSAL_MACHINE = Machine(
    model=DisposalList, states=S, refused=DisposalRefused,
    labels={"proposed": gettext_lazy("disposal list prepared")},
    transitions=[
        Transition("approved", {S.PROPOSED}, S.APPROVED, gettext_lazy("disposal approved"),
                   gettext_lazy("Approve: anonymise these people"), ADMIN, guard=_has_items, stamp="approved_at",
                   url_name="quality:disposal-approve"),
        Transition("cancelled", {S.PROPOSED}, S.CANCELLED, gettext_lazy("disposal list cancelled"),
                   gettext_lazy("Cancel the list"), ADMIN, needs_reason=True,
                   reason_prompt=gettext_lazy("Say why the list is cancelled."), url_name="quality:disposal-cancel"),
        Transition("anonymised", {S.APPROVED}, S.DONE, gettext_lazy("people anonymised"), system=True,
                   stamp="done_at"),
    ],
)
