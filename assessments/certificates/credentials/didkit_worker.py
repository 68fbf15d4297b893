"""DIDKit in a child process: ``python -m assessments.certificates.credentials.didkit_worker`` reads one JSON
request on stdin and writes one JSON answer on stdout.

DIDKit's Python binding (Rust, tokio) aborts the interpreter at exit after an asynchronous call (``PyGILState_Release``);
a child process that leaves with ``os._exit`` keeps that away from the web process and the tests, and bounds the
time and memory a hostile uploaded document can take.

Requests: ``{"op": "did", "key": jwk}``, ``{"op": "issue", "key": jwk, "credential": {...}}``,
``{"op": "verify", "credential": "<json text>"}``; and the VC 2.0 form's check by our own ``eddsa-rdfc-2022`` code
(:mod:`.eddsa`; RDF canonicalisation of a hostile document is bounded the same way):
``{"op": "verify-eddsa", "credential": {...}}`` → ``{"ok": {"did": ...}}`` or ``{"ok": {"error": ...}}``.
Answers: ``{"ok": ...}`` or ``{"error": "..."}``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys


async def _issue(key: str, credential: dict) -> str:
    import didkit

    method = await didkit.key_to_verification_method("key", key)
    options = json.dumps({"proofPurpose": "assertionMethod", "verificationMethod": method})
    return await didkit.issue_credential(json.dumps(credential), options, key)


async def _verify(text: str) -> dict:
    import didkit

    return json.loads(await didkit.verify_credential(text, json.dumps({"proofPurpose": "assertionMethod"})))


def answer(request: dict) -> dict:
    op = request.get("op")
    if op == "did":
        import didkit

        return {"ok": didkit.key_to_did("key", request["key"])}
    if op == "issue":
        return {"ok": asyncio.run(_issue(request["key"], request["credential"]))}
    if op == "verify":
        return {"ok": asyncio.run(_verify(request["credential"]))}
    if op == "verify-eddsa":
        from assessments.certificates.credentials import eddsa

        try:
            return {"ok": {"did": eddsa.verify(request["credential"])}}
        except eddsa.ProofError as exc:
            return {"ok": {"error": str(exc)}}
    return {"error": f"unknown op {op!r}"}


def main() -> None:
    try:
        out = answer(json.loads(sys.stdin.read()))
    except Exception as exc:  # noqa: BLE001 - any failure is the answer, never a crash of the caller
        out = {"error": f"{type(exc).__name__}: {exc}"[:2000]}
    sys.stdout.write(json.dumps(out))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
