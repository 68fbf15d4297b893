"""The VC 1.1 form's proof, ``Ed25519Signature2018`` (W3C CCG Linked Data Proofs), checked in the web process.

DIDKit signs it (:mod:`.didkit_worker`, in a child process); checking it needs no DIDKit: the proof options (the
proof without ``jws``, with the document's ``@context``) and the document without its proof are each canonicalised
with RDFC-1.0 (:func:`.eddsa.canonical`: bundled contexts only, bounded cost) and hashed with SHA-256; the detached
JWS (header ``{"alg": "EdDSA", "b64": false, "crit": ["b64"]}``) signs ``header + "." + hash(options) +
hash(document)`` with the ``did:key`` that ``verificationMethod`` names (the key is in the identifier itself).
The tests hold it against DIDKit's own verifier, on genuine and on changed credentials.
"""

from __future__ import annotations

import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

from .eddsa import ProofError, b64url, canonical, public_key_of

PROOF_TYPE = "Ed25519Signature2018"
HEADER = {"alg": "EdDSA", "b64": False, "crit": ["b64"]}


def _header(encoded: str) -> None:
    try:
        header = json.loads(b64url(encoded))
    except ValueError:
        raise ProofError("the JWS header is not base64url JSON") from None
    if header != HEADER:
        raise ProofError("the JWS header is not a detached EdDSA header")


def verify(doc: dict) -> str:
    """Check the ``Ed25519Signature2018`` proof of ``doc``; return the signing ``did:key`` or raise
    :class:`.eddsa.ProofError`."""
    proof = doc.get("proof")
    if not isinstance(proof, dict) or proof.get("type") != PROOF_TYPE:
        raise ProofError("not an Ed25519Signature2018 proof")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("wrong proof purpose")
    if "@context" in proof and proof["@context"] != doc.get("@context"):
        raise ProofError("the proof's @context is not the document's")
    parts = str(proof.get("jws", "")).split(".")
    if len(parts) != 3 or parts[1]:
        raise ProofError("not a detached JWS")
    _header(parts[0])
    method = str(proof.get("verificationMethod", ""))
    public = public_key_of(method)
    options = {"@context": doc.get("@context"),
               **{k: v for k, v in proof.items() if k not in {"jws", "proofValue", "signatureValue", "@context"}}}
    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    try:
        signature = b64url(parts[2])
        data = hashlib.sha256(canonical(options).encode()).digest() + hashlib.sha256(canonical(unsecured).encode()).digest()
    except (ValueError, jsonld.JsonLdError) as exc:
        raise ProofError(f"cannot be canonicalised: {str(exc)[:200]}") from None
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, parts[0].encode() + b"." + data)
    except InvalidSignature:
        raise ProofError("the signature does not match the content") from None
    return method.split("#", 1)[0]
