"""The one base class of the errors a person may see: a refused action with a message in their language.

Services raise a subclass (``ComplaintError``, the workflow core's ``TransitionRefused``...); the one view helper
(:mod:`certportal.workflow.views`: ``run_form`` on a form page, ``run_action`` for a button, ``run_service``) shows
``exc.message``, so no view catches each app's error class by name (tests/core/test_view_helpers.py guards it).
"""

from django.core.exceptions import PermissionDenied


class PortalError(Exception):
    """A refusal or failure the user can read: ``message`` is already translated."""

    def __init__(self, message: str = "", *, code: str = ""):
        super().__init__(message)
        self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __str__(self) -> str:
        return self.message


class TransitionRefused(PortalError):
    """The workflow core refused a transition: wrong state, wrong person, a guard or a missing reason."""


class AccessRefused(PermissionDenied):
    """A page refused with the reason the person is shown on the 403 page (already translated): the 403 page
    of any other ``PermissionDenied`` says nothing more, so nothing about the record leaks."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""
