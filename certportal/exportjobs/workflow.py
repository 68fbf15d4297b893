"""The export job's state machine: the job base's four transitions (certportal.jobs), registered with the
workflow core: queued → running → done | failed (with the reason); the requester retries (failed → queued).

The worker acts on behalf of the requester: every arrow is taken by, and audited as, the person who asked."""

from django.utils.translation import gettext_lazy as _

from certportal.errors import PortalError, TransitionRefused
from certportal.jobs.machine import job_machine

from .models import ExportJob

S = ExportJob.Status


class ExportError(PortalError):
    """A refused export action, with a message for the user."""


class ExportRefused(ExportError, TransitionRefused):
    """A refused transition (the workflow core raises it: the machine's ``refused``)."""


MACHINE = job_machine(
    ExportJob, by_requester=True, refused=ExportRefused, other_labels={"requested": _("export requested")},
    labels={"started": _("export started"), "finished": _("export finished"), "failed": _("export failed"),
            "retried": _("export retried")},
)
