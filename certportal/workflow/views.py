"""The one view helper: validate a form (if any), run a service, show its message, redirect.

    return run_action(request, lambda data: services.complaint_close(complaint=c, actor=request.user, **data),
                      form=CloseForm(request.POST), success=_("Closed."), redirect_to=c)

A :class:`~certportal.errors.PortalError` (a refusal) is shown as an error message and nothing is changed;
otherwise ``success`` (a string, or a callable given the service's result) is shown.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect

from certportal.errors import PortalError


def run_service(request, call: Callable[[], Any], *, success) -> bool:
    """Run ``call()`` and show its message, without redirecting: for a view that runs one service per item (e.g.
    adding several participants), where each item gets its own message. ``success`` is a string, or a callable
    given the result. Returns whether the service ran (False: it refused, and the refusal is shown)."""
    try:
        result = call()
    except PortalError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True


def run_action(request, call: Callable, *, success, redirect_to, form=None, error_redirect=None):
    """Validate ``form`` (each error shown), run ``call(cleaned_data)`` (``{}`` without a form), show its message,
    redirect to ``redirect_to``; on a refusal or an invalid form, to ``error_redirect`` when given (e.g. back to the
    page the action was taken from), else to ``redirect_to`` too."""
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(error_redirect or redirect_to)
    ran = run_service(request, lambda: call(form.cleaned_data if form is not None else {}), success=success)
    return redirect(redirect_to if ran or error_redirect is None else error_redirect)
