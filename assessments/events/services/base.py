"""What every service of the test event shares: the one way to move an application's status from here
(:func:`_transition`, through ``applicants.services.application_transition``) and the event lock helpers. The
domain error :class:`AssessmentError` is the app's (:mod:`assessments.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from applicants.models import Application
from applicants.services import ApplicationError, application_transition
from assessments.errors import AssessmentError
from assessments.events.models import Event


def _transition(app: Application, to_status: str, *, actor, reason: str = "") -> Application:
    try:
        return application_transition(app, to_status, actor=actor, reason=reason)
    except ApplicationError as exc:
        raise AssessmentError(str(exc)) from exc


def _locked_event(event: Event) -> Event:
    return Event.objects.select_for_update(of=("self",)).select_related("scheme", "test_site").get(pk=event.pk)


def _require_open(event: Event) -> None:
    if event.is_locked:
        raise AssessmentError(_("The official report of this event is signed: its results are locked."))
