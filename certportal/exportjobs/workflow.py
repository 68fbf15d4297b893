"""The export job's state machine, registered with the workflow core like any app's:
queued → running → done | failed (with the reason); the requester retries a failed job (failed → queued).

The worker acts on behalf of the requester: every arrow is taken by, and audited as, the person who asked."""

from django.utils.translation import gettext_lazy as _

from certportal.errors import TransitionRefused
from certportal.workflow import Machine, Transition

from .models import ExportJob

S = ExportJob.Status


class ExportError(TransitionRefused):
    """A refused export action, with a message for the user."""


def _requester(user, job: ExportJob) -> bool:
    return user.pk == job.created_by_id


MACHINE = Machine(
    model=ExportJob, states=S, refused=ExportError, labels={"requested": _("export requested")},
    transitions=[
        Transition("started", {S.QUEUED}, S.RUNNING, _("export started"), allowed=_requester, stamp="started_at"),
        Transition("finished", {S.RUNNING}, S.DONE, _("export finished"), allowed=_requester, stamp="finished_at"),
        Transition("failed", {S.QUEUED, S.RUNNING}, S.FAILED, _("export failed"), allowed=_requester,
                   needs_reason=True, stamp="finished_at"),
        Transition("retried", {S.FAILED}, S.QUEUED, _("export retried"), _("Try again"), allowed=_requester),
    ],
)
