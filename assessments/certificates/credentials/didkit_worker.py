"""DIDKit in a child process: ``python -m assessments.certificates.credentials.didkit_worker`` reads one JSON
request on stdin and writes one JSON answer on stdout.

DIDKit's Python binding (Rust, tokio) aborts the interpreter at exit after an asynchronous call (``PyGILState_Release``);
a child process that leaves with ``os._exit`` keeps that away from the web process and the tests. Only signing runs
here (once per certificate, and the status lists), never anything an anonymous visitor sends.

Requests: ``{"op": "did", "key": jwk}``, ``{"op": "issue", "key": jwk, "credential": {...}}``,
``{"op": "verify", "credential": "<json text>"}`` (the tests' independent verifier: the public check of an
uploaded credential runs in the web process, :mod:`.check`). Answers: ``{"ok": ...}`` or ``{"error": "..."}``.
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
