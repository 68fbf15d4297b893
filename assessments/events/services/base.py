"""What every service of the test event shares: the one way to move an application's status from here
(:func:`_act`, by the arrow's name, through ``applicants.services.application_act``) and the event lock helpers.
The domain error :class:`AssessmentError` is the app's (:mod:`assessments.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from applicants.models import Application
from applicants.services import ApplicationRefused, application_act
from assessments.errors import AssessmentError, AssessmentRefused
from assessments.events.models import Event


def _act(app: Application, name: str, *, actor, reason: str = "") -> Application:
    """Take the application's arrow ``name`` (:mod:`applicants.workflow`). A refusal is the assessment service's
    refused transition, with the same message, code and action: its callers (and a print job skipping a
    participant) handle one error class."""
    try:
        return application_act(app, name, actor=actor, reason=reason)
    except ApplicationRefused as exc:
        raise AssessmentRefused(exc.message, code=exc.code, action=exc.action) from exc


def _locked_event(event: Event) -> Event:
    return Event.objects.select_for_update(of=("self",)).select_related("scheme", "test_site").get(pk=event.pk)


def _require_open(event: Event) -> None:
    if event.is_locked:
        raise AssessmentError(_("The official report of this event is signed: its results are locked."))
