"""What apps above applicants add to its rules: extension points (:mod:`certportal.registry`) they provide from
their ``AppConfig.ready()``.

The applicants app never imports them: the agencies app (issue 29) provides a guard on naming participants (a
funded applicant is named within the round that funds them), the funding shown beside each candidate, the
documents its letters issue, who may return a dossier, and what the province's roster says of a NIP (it pre-fills
a new profile, which the person confirms, and the verifier sees where a profile disagrees with it).
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
ROSTER: ExtensionPoint[Callable[[str], dict | None]] = ExtensionPoint(
    "applicants.roster",
    "fn(nip) -> dict | None: what the province's roster says of a NIP in the profile's terms (full_name, org_unit, "
    "position, rank, education, status, status_label); None when it lacks the NIP", many=True)


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


def roster_of(nip: str) -> dict | None:
    """What the province's roster says of ``nip`` (None when it lacks it, or no app keeps a roster)."""
    for fn in ROSTER.all():
        data = fn(nip)
        if data:
            return data
    return None


ROSTER_FIELDS = ("full_name", "org_unit", "position", "rank", "education")


def _same(a, b) -> bool:
    return " ".join(str(a or "").split()).casefold() == " ".join(str(b or "").split()).casefold()


def roster_mismatch(data: dict) -> list[tuple[str, str, str]] | None:
    """Where a profile (``data``: its snapshot) disagrees with the roster: ``[(field, profile's, roster's)]``;
    an empty list when they agree; None when the roster lacks the NIP. A field the roster leaves empty is not
    compared; the name is compared without the titles when the roster's full name differs only by them."""
    roster = roster_of(data.get("nip", ""))
    if roster is None:
        return None
    found = []
    for name in ROSTER_FIELDS:
        theirs, ours = roster.get(name) or "", data.get(name) or ""
        if not theirs or _same(theirs, ours) or (name == "full_name" and _same(roster.get("name"), ours)):
            continue
        found.append((name, str(ours), str(theirs)))
    if roster.get("status") not in (None, "active"):
        found.append(("status", "", str(roster.get("status_label", ""))))
    return found
