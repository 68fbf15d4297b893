"""The electronic signature of the portal's forms: a person signs by typing their name, which must be theirs
(case, punctuation and academic titles after a comma aside: "alice applicant" signs for "Alice Applicant, S.Sos.").
The services record the typed name with the time and the client address beside it."""

from __future__ import annotations

import re


def _plain(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (name or "").casefold()).split())


def typed_name_matches(typed: str, *names: str) -> bool:
    """``typed`` is one of ``names`` (each also without the titles after its first comma)."""
    accepted = {_plain(n) for n in names if n} | {_plain(n.split(",")[0]) for n in names if n}
    accepted.discard("")
    return _plain(typed) in accepted


def own_name_matches(typed: str, user) -> bool:
    """``typed`` is the account's own full name."""
    return typed_name_matches(typed, getattr(user, "full_name", "") or "")
