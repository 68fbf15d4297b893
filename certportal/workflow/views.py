"""The one view helper: run a service and show its message. Three entries, one rule.

A :class:`~certportal.errors.PortalError` (a refusal) is the only error a view shows, and only here: no view
catches it (or an app's subclass of it) itself; ``tests/core/test_view_helpers.py`` keeps it so.

- :func:`run_action`, for a button that posts and goes back (flash and redirect)::

      return run_action(request, lambda data: services.complaint_close(complaint=c, actor=request.user, **data),
                        form=CloseForm(request.POST), success=_("Closed."), redirect_to=c)

- :func:`run_form`, for a page with a form: a refusal is shown ON the form, the page comes back with everything
  typed still in it; success flashes and redirects::

      return run_form(request, form, lambda data: services.event_create(actor=request.user, **data),
                      success=_("The event is planned."), redirect_to=lambda event: event,
                      template="core/form_page.html", context={"title": _("Plan a test event")})

- :func:`run_service`, the core of both, for a view that runs one service per item (each item its own message).

``success`` is a string, or a callable given the service's result, or None for no message.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render

from certportal.errors import PortalError


def run_service(request, call: Callable[[], Any], *, success=None,
                refused: Callable[[PortalError], Any] | None = None) -> bool:
    """Run ``call()`` and show its message, without redirecting. A refusal goes to ``refused`` (given the
    :class:`PortalError`: e.g. a form's non-field error, or a message naming the item) or, by default, is shown as
    an error message. Returns whether the service ran (False: it refused, nothing was changed)."""
    try:
        result = call()
    except PortalError as exc:
        if refused is None:
            messages.error(request, exc.message)
        else:
            refused(exc)
        return False
    if success is not None:
        messages.success(request, success(result) if callable(success) else success)
    return True


def _target(redirect_to, result):
    """``redirect_to`` is a URL, a view name, an object with get_absolute_url, or a callable given the result."""
    return redirect_to(result) if callable(redirect_to) else redirect_to


def run_action(request, call: Callable, *, success, redirect_to, form=None, error_redirect=None):
    """Validate ``form`` (each error shown), run ``call(cleaned_data)`` (``{}`` without a form), show its message,
    redirect to ``redirect_to`` (or a callable given the result); on a refusal or an invalid form, to
    ``error_redirect`` when given (e.g. back to the page the action was taken from), else to ``redirect_to`` too
    (a callable is then given None)."""
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(error_redirect or _target(redirect_to, None))
    done: dict[str, object] = {}
    ran = run_service(request, lambda: done.setdefault("result", call(form.cleaned_data if form is not None else {})),
                      success=success)
    if ran:
        return redirect(_target(redirect_to, done["result"]))
    return redirect(error_redirect or _target(redirect_to, None))


def run_form(request, form, call: Callable, *, success, redirect_to, template: str, context=None, formsets=()):
    """A page with a form. On a POST whose ``form`` (and every one of ``formsets``) is valid, run
    ``call(form.cleaned_data)``: on success show ``success`` and redirect to ``redirect_to`` (a URL, a view name, an
    object, or a callable given the result); a refusal becomes the form's non-field error and the page is rendered
    again like an invalid form (status 200), with everything typed still in it. A GET or an invalid form renders
    the page too.

    ``template`` gets ``form``, ``refusal`` (the :class:`PortalError`, or None: a template may show what it
    carries, e.g. the events a change affects) and ``context``: a dict, or a callable returning one, called only
    when the page is rendered (after the refused call, so it shows the state as it is)."""
    refusal = None

    def refused(exc: PortalError) -> None:
        nonlocal refusal
        refusal = exc
        form.add_error(None, exc.message)

    if request.method == "POST" and all([form.is_valid(), *(f.is_valid() for f in formsets)]):
        done: dict[str, object] = {}
        if run_service(request, lambda: done.setdefault("result", call(form.cleaned_data)), success=success,
                       refused=refused):
            return redirect(_target(redirect_to, done["result"]))
    extra = context() if callable(context) else (context or {})
    return render(request, template, {"form": form, "refusal": refusal, **extra})
