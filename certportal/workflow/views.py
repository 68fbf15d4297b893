"""The one view helper: validate a form (if any), run a service, show its message, redirect.

    return run_action(request, lambda data: services.complaint_close(complaint=c, actor=request.user, **data),
                      form=CloseForm(request.POST), success=_("Closed."), redirect_to=c)

A :class:`~certportal.errors.PortalError` (a refusal) is shown as an error message and nothing is changed;
otherwise ``success`` (a string, or a callable given the service's result) is shown.
"""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect

from certportal.errors import PortalError


def run_action(request, call: Callable, *, success, redirect_to, form=None):
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(redirect_to)
    try:
        result = call(form.cleaned_data if form is not None else {})
    except PortalError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(redirect_to)
