"""What the public page says of an uploaded credential: valid, suspended, revoked, expired, tampered or not ours,
with the reasons. The same steps an offline verifier takes: our bundled contexts only (nothing fetched), an issuer
key the LSP has published, the proof checked (the VC 1.1 form's ``Ed25519Signature2018`` by :mod:`.signature2018`,
the VC 2.0 form's ``eddsa-rdfc-2022`` by :mod:`.eddsa`; the tests hold them against DIDKit's and Digital Bazaar's
verifiers), then the status lists' bits at the credential's index.

It all runs in the web process, at the cost of a page view (no child process: issue 42): the upload is bounded
(``CREDENTIAL_UPLOAD_MAX_BYTES``, nesting :data:`MAX_DEPTH`, no string a database refuses), the issuer must be a
published key before any proof is canonicalised, and canonicalisation itself is bounded (:func:`.eddsa.canonical`).
"""

from __future__ import annotations

import datetime
import json
import logging
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from . import eddsa, keys, signature2018, status, vc2
from .document import CONTEXTS, email_identity  # noqa: F401 - the verifier recomputes the hash

MAX_DEPTH = 32

log = logging.getLogger(__name__)

VERDICTS = ("valid", "suspended", "revoked", "expired", "tampered", "not_ours")


@dataclass
class CredentialCheck:
    verdict: str
    reasons: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)  # holder name, scheme, number, issuer, dates as the file says

    @property
    def colour(self) -> str:
        return {"valid": "success", "suspended": "warning", "expired": "secondary"}.get(self.verdict, "danger")


def _refuse_constant(name: str):
    raise ValueError(name)


def parse(data: bytes) -> dict | None:
    """The uploaded JSON object, or None when it is not one (not UTF-8, not JSON, NaN, nested too deep)."""
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(value, dict):
        return None
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return None
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return value


def _issuer_id(doc: dict) -> str:
    issuer = doc.get("issuer")
    return str(issuer.get("id", "")) if isinstance(issuer, dict) else str(issuer or "")


def facts(doc: dict) -> dict:
    subject = doc.get("credentialSubject") if isinstance(doc.get("credentialSubject"), dict) else {}
    identifiers = subject.get("identifier") if isinstance(subject.get("identifier"), list) else []
    names = [i.get("identityHash") for i in identifiers if isinstance(i, dict) and i.get("identityType") == "name"]
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    issuer = doc.get("issuer") if isinstance(doc.get("issuer"), dict) else {}
    return {"holder_name": str(names[0]) if names else "", "number": str(subject.get("licenseNumber") or ""),
            "scheme": str(achievement.get("name") or ""), "issuer": str(issuer.get("name") or _issuer_id(doc)),
            "valid_from": str(doc.get("issuanceDate") or doc.get("validFrom") or ""),
            "valid_until": str(doc.get("expirationDate") or doc.get("validUntil") or "")}


def _not_ours(doc: dict) -> list[str]:
    if doc.get("@context") not in (CONTEXTS, vc2.CONTEXTS):
        return [_("It does not use the JSON-LD contexts this LSP issues with (W3C VC 1.1, Open Badges 3.0, "
                  "Status List 2021; or W3C VC 2.0, Open Badges 3.0.3).")]
    issuer = _issuer_id(doc)
    try:
        published = keys.published_dids()
    except keys.CredentialError as exc:
        return [str(exc)]
    if issuer not in published:
        return [_("It is not issued by a key this LSP has published (%(issuer)s).") % {"issuer": issuer[:80]}]
    return []


def _verified_by(doc: dict) -> str | list[str]:
    """The ``did:key`` whose signature the proof carries, or the reasons it does not hold."""
    check = eddsa.verify if doc.get("@context") == vc2.CONTEXTS else signature2018.verify
    try:
        return check(doc)
    except eddsa.ProofError as exc:
        return [_("The signature does not match the content: the file was changed after it was signed (%(why)s).")
                % {"why": str(exc)[:300]}]
    except Exception as exc:  # noqa: BLE001 - a hostile document must give a verdict, never a 500
        log.warning("credential proof check failed: %s", type(exc).__name__)
        return [_("The signature could not be checked: %(why)s") % {"why": type(exc).__name__}]


def _proof_problems(doc: dict) -> list[str]:
    if not isinstance(doc.get("proof"), dict):
        return [_("It carries no signature (proof).")]
    did = _verified_by(doc)
    if isinstance(did, list):
        return did
    return [] if did == _issuer_id(doc) else [_("It is signed by another key than its issuer's.")]


def _index(doc: dict) -> int | None:
    entry = doc.get("credentialStatus")
    if isinstance(entry, list):  # VC 2.0: revocation and suspension entries at the same index
        found = {e.get("statusListIndex") for e in entry if isinstance(e, dict)}
        entry = {"statusListIndex": found.pop()} if len(found) == 1 and len(entry) == 2 else None
    try:
        return int(entry["statusListIndex"]) if isinstance(entry, dict) else None
    except (KeyError, TypeError, ValueError):
        return None


def _status(doc: dict, today: datetime.date) -> CredentialCheck:
    index = _index(doc)
    if index is None:
        return CredentialCheck("tampered", [_("It carries no status list entry.")])
    if status.is_set(status.bits_of(status.REVOCATION), index):
        return CredentialCheck("revoked", [_("The LSP's revocation list marks this credential revoked: the "
                                             "certificate was withdrawn or replaced.")])
    if status.is_set(status.bits_of(status.SUSPENSION), index):
        return CredentialCheck("suspended", [_("The LSP's suspension list marks this credential suspended.")])
    until = str(doc.get("expirationDate") or doc.get("validUntil") or "")
    try:
        ends = datetime.datetime.fromisoformat(until.replace("Z", "+00:00"))
    except ValueError:
        ends = None
    if ends and ends < timezone.now():
        return CredentialCheck("expired", [_("It was valid until %(date)s.") % {"date": until[:10]}])
    return CredentialCheck("valid", [_("Signed by the LSP's published key, unchanged since, and neither revoked "
                                       "nor suspended in the LSP's status lists.")])


def check_credential(doc: dict, today: datetime.date | None = None) -> CredentialCheck:
    today = today or timezone.localdate()
    found = facts(doc)
    reasons = _not_ours(doc)
    if reasons:
        return CredentialCheck("not_ours", reasons, found)
    reasons = _proof_problems(doc)
    if reasons:
        return CredentialCheck("tampered", reasons, found)
    result = _status(doc, today)
    result.facts = found
    return result
