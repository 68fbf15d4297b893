"""The outbox message's machine, registered with the workflow core.

pending → sent is not a transition: the relay hands over every e-mail and task of the portal and marks the row
with one plain UPDATE under its row lock (an audit row per e-mail would double the writes of every notice, and
the hand-over is not a decision anyone takes). What a person must see and may act on is audited:

    pending | sent → failed   the portal's own move (the relay or the worker), with the reason
    failed → pending          "send again", the LSP admin's, from the failed-messages page
"""

from django.utils.translation import gettext_lazy as _

from certportal.errors import PortalError, TransitionRefused
from certportal.roles import Role
from certportal.workflow import Machine, Transition

from .models import OutboxMessage

S = OutboxMessage.Status


class OutboxError(PortalError):
    """A refused outbox action ("send again" on a message that is not failed), with a message for the user."""


class OutboxRefused(OutboxError, TransitionRefused):
    """A refused transition (the workflow core raises it: the machine's ``refused``)."""


MACHINE = Machine(model=OutboxMessage, states=S, refused=OutboxRefused, transitions=[
    Transition("failed", {S.PENDING, S.SENT}, S.FAILED, _("delivery failed"), system=True, needs_reason=True,
               stamp="failed_at"),
    Transition("resent", {S.FAILED}, S.PENDING, _("sent again"), _("Send again"), roles=(Role.LSP_ADMIN,),
               stamp="moved_at", url_name="outbox:resend"),
])
