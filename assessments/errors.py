"""The one error of the assessments app: a request about a test event, a result, a decision, an appeal, an
instrument or a certificate that cannot be granted. Its message is translated and shown to the user as it is.
Every room of the app raises it; this module is the floor they all stand on and imports nothing of theirs."""

from certportal.errors import PortalError, TransitionRefused


class AssessmentError(PortalError):
    """A request about an event, a result, a decision, an appeal, an instrument or a certificate that cannot be
    granted (translated)."""


class AssessmentRefused(AssessmentError, TransitionRefused):
    """A refused transition (the workflow core raises it: the machine's ``refused``)."""
