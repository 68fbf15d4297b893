"""The errors a person may see: a refused request with a message in their language, and a code that says what it is.

The hierarchy is small::

    PortalError                 a refusal or failure the user can read (every app's error derives from it)
    ├── TransitionRefused       the workflow core refused a transition (state, person, rule, reason, values)
    └── ApplicationError, AssessmentError, ComplaintError, SigningError, ...  an app's own refusals

A machine's ``refused`` class is both: ``ApplicationRefused(ApplicationError, TransitionRefused)``, so a caller that
catches the app's error catches its refused transitions too, and an error that is not about a transition is not a
``TransitionRefused``. ``code`` is an :class:`ErrorCode` (never a free string); ``action`` names the transition
refused (``"applicants.application.submitted"``) when there is one.

The one view helper (:mod:`certportal.workflow.views`: ``run_form`` on a form page, ``run_action`` for a button,
``run_service``) shows ``exc.message``, so no view catches each app's error class by name
(tests/core/test_view_helpers.py guards it).
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied


class ErrorCode(StrEnum):
    """What an error is, for code that acts on it (an HTTP status, a retry); people read the message."""

    REFUSED = "refused"  # a rule of the portal says no (the message says which)
    # a transition refused by the workflow core
    WRONG_STATE = "wrong_state"  # the record is not in a state the transition leaves from
    WRONG_PERSON = "wrong_person"  # the person's role (or their relation to the record) does not allow it
    RULE = "rule"  # a guard of the machine or the transition says not now
    REASON_MISSING = "reason_missing"
    INVALID = "invalid"  # the submitted values are not acceptable
    # verifiable credentials
    CREDENTIAL_WITHDRAWN = "credential_withdrawn"
    CREDENTIAL_TIMEOUT = "credential_timeout"
    CREDENTIAL_DIDKIT = "credential_didkit"
    CREDENTIAL_NO_KEY = "credential_no_key"
    # electronic signatures (BSrE or a PKCS#12 key)
    ESIGN_FAILED = "esign_failed"
    ESIGN_NO_KEY = "esign_no_key"
    ESIGN_BAD_KEY = "esign_bad_key"
    ESIGN_NO_URL = "esign_no_url"
    ESIGN_TIMEOUT = "esign_timeout"
    ESIGN_UNREACHABLE = "esign_unreachable"
    ESIGN_BAD_ANSWER = "esign_bad_answer"
    ESIGN_CLIENT_REFUSED = "esign_client_refused"
    ESIGN_WRONG_PASSPHRASE = "esign_wrong_passphrase"  # noqa: S105 - a code, not a password
    ESIGN_UNKNOWN_NIK = "esign_unknown_nik"
    ESIGN_REFUSED = "esign_refused"


class PortalError(Exception):
    """A refusal or failure the user can read: ``message`` is already translated."""

    def __init__(self, message: str = "", *, code: ErrorCode | str = ErrorCode.REFUSED, action: str = ""):
        super().__init__(message)
        self.code = ErrorCode(code)  # an unknown code is a programming error (ValueError), not a new string
        self.action = action

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __str__(self) -> str:
        return self.message


class TransitionRefused(PortalError):
    """The workflow core refused a transition: wrong state, wrong person, a guard, a missing reason or values."""


class AccessRefused(PermissionDenied):
    """A page refused with the reason the person is shown on the 403 page (already translated): the 403 page
    of any other ``PermissionDenied`` says nothing more, so nothing about the record leaks."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""
