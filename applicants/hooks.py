"""What apps above applicants add to its rules, registered from their ``AppConfig.ready()``.

The applicants app never imports them: the agencies app (issue 29) registers here a guard on naming participants
(a funded applicant is named within the round that funds them) and the funding shown beside each candidate.

- ``register_guard("named", fn)``: ``fn(app, user, at) -> str | None`` is asked after the machine's own guard of
  that transition; a message refuses it (the button is disabled with the message, the service refuses).
- ``register_funding(fn)``: ``fn(app) -> str`` names how the application is paid for ("" when the hook does not
  know it).
- ``register_provider(fn)``: ``fn(app) -> {document_id: text}`` names the documents of the dossier someone else
  issued in the portal (the agency's signed letters, issue 29), with who signed them and when: the applicant is not
  asked to upload them (nor may replace them), the applicant's and the verifier's pages show the text.
- ``register_actor(transition, fn)``: ``fn(user, app) -> bool`` lets a person of another role take that transition
  of an application (the head of an agency withdrawing a recommendation returns the dossier).
- ``register_roster(fn)``: ``fn(nip) -> dict | None`` is what the province's roster says of a NIP, in the profile's
  terms (``full_name``, ``org_unit``, ``position``, ``rank``, ``education``, ``status_label``): it pre-fills a new
  profile, which the person confirms, and the verifier sees where a profile disagrees with it (issue 48).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

Guard = Callable[[object, object, datetime.datetime], "str | None"]
_GUARDS: dict[str, list[Guard]] = {}
_FUNDING: list[Callable[[object], str]] = []
_PROVIDERS: list[Callable[[object], dict]] = []
_ACTORS: dict[str, list[Callable[[object, object], bool]]] = {}
_ROSTER: list[Callable[[str], dict | None]] = []


def register_guard(transition: str, fn: Guard) -> None:
    guards = _GUARDS.setdefault(transition, [])
    if fn not in guards:
        guards.append(fn)


def refusal(transition: str, app, user, at) -> str | None:
    for fn in _GUARDS.get(transition, []):
        reason = fn(app, user, at)
        if reason:
            return reason
    return None


def register_funding(fn: Callable[[object], str]) -> None:
    if fn not in _FUNDING:
        _FUNDING.append(fn)


def funding_of(app) -> str:
    for fn in _FUNDING:
        label = fn(app)
        if label:
            return label
    return ""


def register_provider(fn: Callable[[object], dict]) -> None:
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)


def provided_documents(app) -> dict[int, str]:
    """``{ApplicationDocument id: who issued it, signed by whom and when}`` for the documents issued in the portal."""
    provided: dict[int, str] = {}
    for fn in _PROVIDERS:
        provided.update(fn(app))
    return provided


def register_actor(transition: str, fn: Callable[[object, object], bool]) -> None:
    actors = _ACTORS.setdefault(transition, [])
    if fn not in actors:
        actors.append(fn)


def may_act(transition: str, user, app) -> bool:
    return any(fn(user, app) for fn in _ACTORS.get(transition, []))


def register_roster(fn: Callable[[str], dict | None]) -> None:
    if fn not in _ROSTER:
        _ROSTER.append(fn)


def roster_of(nip: str) -> dict | None:
    """What the province's roster says of ``nip`` (None when it lacks it, or no app keeps a roster)."""
    for fn in _ROSTER:
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
