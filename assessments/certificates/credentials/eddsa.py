"""The Data Integrity cryptosuite ``eddsa-rdfc-2022`` (W3C vc-di-eddsa) for the VC Data Model 2.0 form.

Signing (spec section 3.2, "Add Proof"): the proof configuration (the proof without ``proofValue``, with the
document's ``@context``) and the document without its proof are each canonicalised with RDFC-1.0 (PyLD's URDNA2015,
the same algorithm), each hashed with SHA-256, and the Ed25519 signature over ``hash(proof config) + hash(document)``
is the ``proofValue`` (multibase base58btc, ``z`` prefix). The verification method is the issuer's ``did:key``
(a Multikey: ``z`` + base58btc of ``0xed01`` + the 32-byte public key). JSON-LD contexts come from the bundled files
only: any other URL is refused, nothing is fetched.

The check runs in the web process (a public page's upload), so its cost is bounded whatever the document: the
upload's size (``CREDENTIAL_UPLOAD_MAX_BYTES``), at most :data:`MAX_VALUES` JSON values before expansion (PyLD's
expansion grows faster than the document: 9,000 small objects, 245 KB, cost 30 s), at most :data:`MAX_QUADS`
statements and :data:`MAX_BLANK_NODES` blank nodes once expanded, and at most :data:`MAX_STEPS` steps of RDFC-1.0's n-degree hashing (the part that grows
as the factorial of blank nodes alike: a "poison graph"); past any of them the proof is refused as too complex.
"""

from __future__ import annotations

import base64
import contextvars
import copy
import hashlib
import json
from functools import cache
from pathlib import Path

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pyld import jsonld

CONTEXT_DIR = Path(__file__).parent / "contexts"
BUNDLED = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-3.0.3.json",
    "https://www.w3.org/2018/credentials/v1": "credentials-v1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0.json",
    "https://w3id.org/vc/status-list/2021/v1": "status-list-2021-v1.json",
}
ED25519_PUB = b"\xed\x01"
CRYPTOSUITE = "eddsa-rdfc-2022"
MAX_VALUES = 1_000  # objects, arrays and scalars: a credential the LSP issues has under 100 (about 0.2 s at the bound)
MAX_QUADS = 1_000  # a credential the LSP issues has about 65
MAX_BLANK_NODES = 100  # ... and 7
MAX_STEPS = 1_000  # n-degree hashing steps (ours need none: their blank nodes differ at the first degree)


class ProofError(ValueError):
    """The proof is missing, malformed, or does not match the document."""


@cache
def _context(url: str) -> dict:
    return json.loads((CONTEXT_DIR / BUNDLED[url]).read_text())


def document_loader(url: str, options: dict | None = None) -> dict:
    if url not in BUNDLED:
        raise jsonld.JsonLdError(f"Not a bundled JSON-LD context: {url[:200]}", "jsonld.LoadDocumentError",
                                 code="loading document failed")
    return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(_context(url))}


_steps: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("rdfc_steps", default=None)


def _step() -> None:
    left = _steps.get()
    if left is not None:
        left[0] -= 1
        if left[0] < 0:
            raise ProofError("too complex to canonicalise (RDFC-1.0 step budget)")


_permutations = jsonld.permutations


def _bounded_permutations(elements):
    for permutation in _permutations(elements):
        _step()
        yield permutation


class _BoundedURDNA2015(jsonld.URDNA2015):
    def hash_n_degree_quads(self, id_, issuer):
        _step()
        return super().hash_n_degree_quads(id_, issuer)


# PyLD's n-degree hashing calls the module's ``permutations`` by name: this one counts its steps only while
# :func:`canonical` runs (a context variable), and yields the same permutations otherwise.
jsonld.permutations = _bounded_permutations


def _blank_nodes(dataset: dict) -> int:
    found = set()
    for quads in dataset.values():
        for quad in quads:
            found.update(quad[k]["value"] for k in ("subject", "object", "graph")
                         if k in quad and quad[k].get("type") == "blank node")
    return len(found)


def _values(doc) -> int:
    count, stack = 0, [doc]
    while stack and count <= MAX_VALUES:
        item = stack.pop()
        count += 1
        stack.extend(item.values() if isinstance(item, dict) else item if isinstance(item, list) else ())
    return count


def canonical(doc: dict) -> str:
    """RDFC-1.0 (URDNA2015) N-Quads of ``doc`` with the bundled contexts, at a bounded cost (:class:`ProofError`
    past the bounds)."""
    if _values(doc) > MAX_VALUES:
        raise ProofError("too large to canonicalise")
    options = {"algorithm": "URDNA2015", "documentLoader": document_loader, "produceGeneralizedRdf": False}
    dataset = jsonld.JsonLdProcessor().to_rdf(doc, options)
    if sum(len(quads) for quads in dataset.values()) > MAX_QUADS or _blank_nodes(dataset) > MAX_BLANK_NODES:
        raise ProofError("too large to canonicalise")
    token = _steps.set([MAX_STEPS])
    try:
        return _BoundedURDNA2015().main(dataset, {"format": "application/n-quads"})
    finally:
        _steps.reset(token)


def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def multikey(public: bytes) -> str:
    return "z" + base58.b58encode(ED25519_PUB + public).decode()


def public_key_of(verification_method: str) -> bytes:
    """The raw Ed25519 key a ``did:key:z6Mk…#z6Mk…`` names (the key is in the identifier itself)."""
    did = verification_method.split("#", 1)[0]
    if not did.startswith("did:key:z"):
        raise ProofError("not a did:key")
    try:
        raw = base58.b58decode(did.removeprefix("did:key:z"))
    except ValueError:
        raise ProofError("not a base58btc did:key") from None
    if raw[:2] != ED25519_PUB or len(raw) != 34:
        raise ProofError("not an Ed25519 did:key")
    return raw[2:]


def _hash_data(doc: dict, proof_config: dict) -> bytes:
    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    config = {"@context": doc.get("@context"), **{k: v for k, v in proof_config.items() if k != "proofValue"}}
    return hashlib.sha256(canonical(config).encode()).digest() + hashlib.sha256(canonical(unsecured).encode()).digest()


def sign(doc: dict, *, jwk: str, did: str, created: str) -> dict:
    """``doc`` with an embedded ``DataIntegrityProof`` (eddsa-rdfc-2022) by the key ``jwk`` of ``did``."""
    private = Ed25519PrivateKey.from_private_bytes(b64url(json.loads(jwk)["d"]))
    method_id = did.removeprefix("did:key:")
    proof = {"type": "DataIntegrityProof", "cryptosuite": CRYPTOSUITE, "created": created,
             "verificationMethod": f"{did}#{method_id}", "proofPurpose": "assertionMethod"}
    signature = private.sign(_hash_data(doc, proof))
    return {**doc, "proof": {**proof, "proofValue": "z" + base58.b58encode(signature).decode()}}


def verify(doc: dict) -> str:
    """Check the embedded proof of ``doc``; return the signing ``did:key`` or raise :class:`ProofError`."""
    proof = doc.get("proof")
    if not isinstance(proof, dict):
        raise ProofError("no proof")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError("not a DataIntegrityProof eddsa-rdfc-2022")
    if proof.get("proofPurpose") != "assertionMethod" or not str(proof.get("proofValue", "")).startswith("z"):
        raise ProofError("wrong proof purpose or proof value encoding")
    if "@context" in proof and proof["@context"] != doc.get("@context"):
        raise ProofError("the proof's @context is not the document's")
    method = str(proof.get("verificationMethod", ""))
    public = public_key_of(method)
    try:
        signature = base58.b58decode(str(proof["proofValue"])[1:])
        data = _hash_data(doc, proof)
    except (ValueError, jsonld.JsonLdError) as exc:
        raise ProofError(f"cannot be canonicalised: {str(exc)[:200]}") from None
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
    except InvalidSignature:
        raise ProofError("the signature does not match the content") from None
    return method.split("#", 1)[0]
