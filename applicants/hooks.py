"""What apps above applicants add to its rules: extension points (:mod:`certportal.registry`) they provide from
their ``AppConfig.ready()``.

The applicants app never imports them: the agencies app (issue 29) provides a guard on naming participants (a
funded applicant is named within the round that funds them), the funding shown beside each candidate, the
documents its letters issue and who may return a dossier.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from certportal.registry import ExtensionPoint

GUARDS: ExtensionPoint[Callable[[Any, Any, datetime.datetime], str | None]] = ExtensionPoint(
    "applicants.guard",
    "fn(app, user, at) -> str | None, keyed by transition name: asked after the machine's own guard of that "
    "transition; a message refuses it (the button is disabled with the message, the service refuses)",
    many=True, keyed=True)
FUNDING: ExtensionPoint[Callable[[Any], str]] = ExtensionPoint(
    "applicants.funding", "fn(app) -> str: how the application is paid for (\"\" when the provider does not know)",
    many=True)
PROVIDED_DOCUMENTS: ExtensionPoint[Callable[[Any], dict[int, str]]] = ExtensionPoint(
    "applicants.provided_documents",
    "fn(app) -> {document_id: text}: the documents of the dossier someone else issued in the portal (the agency's "
    "signed letters), with who signed them and when; the applicant is not asked to upload them (nor may replace "
    "them)", many=True)
ACTORS: ExtensionPoint[Callable[[Any, Any], bool]] = ExtensionPoint(
    "applicants.actor",
    "fn(user, app) -> bool, keyed by transition name: lets a person of another role take that transition of an "
    "application (the head of an agency withdrawing a recommendation returns the dossier)", many=True, keyed=True)


def refusal(transition: str, app, user, at) -> str | None:
    for fn in GUARDS.all(transition):
        reason = fn(app, user, at)
        if reason:
            return reason
    return None


def funding_of(app) -> str:
    for fn in FUNDING.all():
        label = fn(app)
        if label:
            return label
    return ""


def provided_documents(app) -> dict[int, str]:
    """``{ApplicationDocument id: who issued it, signed by whom and when}`` for the documents issued in the portal."""
    provided: dict[int, str] = {}
    for fn in PROVIDED_DOCUMENTS.all():
        provided.update(fn(app))
    return provided


def may_act(transition: str, user, app) -> bool:
    return any(fn(user, app) for fn in ACTORS.all(transition))
