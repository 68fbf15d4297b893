"""The LSP's credential keys: Ed25519 JWK files in ``CREDENTIAL_KEY_DIR`` (kept like the PDF signer's PKCS#12 file:
outside the code, readable by the portal only). The newest file by name signs; every key ever used stays in the
folder and is published (public part only) at ``/asesmen/kredensial-kunci.json`` (``assessments:credential-keys``),
so rotating (``manage.py credential_key --rotate``) never invalidates a credential already issued: each credential
names its key in ``issuer.id`` and ``proof.verificationMethod`` (a ``did:key``, which carries the public key
itself).

DIDKit runs in a child process (:func:`didkit`) only to sign the VC 1.1 form (once per certificate, and the status
lists); a key's ``did:key`` is worked out here and a credential is checked in the web process (:mod:`.check`).
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from certportal.errors import ErrorCode, PortalError

WORKER = "assessments.certificates.credentials.didkit_worker"


class CredentialError(PortalError):
    """A credential could not be made or checked; the message says why."""


def didkit(request: dict, *, timeout: float = 30.0) -> object:
    """Run one DIDKit request in a child process (:mod:`.didkit_worker`) and return its answer."""
    try:
        done = subprocess.run([sys.executable, "-m", WORKER], input=json.dumps(request).encode(),  # noqa: S603
                              capture_output=True, timeout=timeout, cwd=settings.BASE_DIR, check=False)
    except subprocess.TimeoutExpired:
        raise CredentialError(_("Checking the credential took too long."), code=ErrorCode.CREDENTIAL_TIMEOUT) from None
    try:
        out = json.loads(done.stdout or b"{}")
    except ValueError:
        out = {}
    if "ok" not in out:
        raise CredentialError(out.get("error") or done.stderr.decode(errors="replace")[-500:] or "didkit failed",
                              code=ErrorCode.CREDENTIAL_DIDKIT)
    return out["ok"]


@dataclass(frozen=True)
class Key:
    name: str
    jwk: str  # the private JWK (JSON text)
    did: str

    @property
    def verification_method(self) -> str:
        return f"{self.did}#{self.did.removeprefix('did:key:')}"

    def public_jwk(self) -> dict:
        return {k: v for k, v in json.loads(self.jwk).items() if k != "d"}


def key_dir() -> Path:
    return Path(settings.CREDENTIAL_KEY_DIR)


def _new_jwk() -> str:
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    private = Ed25519PrivateKey.generate()

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    d = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    x = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64(x), "d": b64(d)})


def add_key() -> Path:
    """Write a new key (it signs from now on); the older ones stay and stay published."""
    folder = key_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{datetime.datetime.now(datetime.UTC):%Y%m%dT%H%M%S%f}.jwk"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(_new_jwk())
    all_keys.cache_clear()
    return path


def did_of(jwk: str) -> str:
    """The ``did:key`` of an Ed25519 JWK: ``z`` + base58btc of the multicodec ``0xed01`` and the public key (what
    DIDKit's ``key_to_did`` answers; a test holds them equal)."""
    from .eddsa import b64url, multikey

    return "did:key:" + multikey(b64url(json.loads(jwk)["x"]))


@lru_cache(maxsize=1)
def _load(folder: str, names: tuple[str, ...]) -> tuple[Key, ...]:
    keys = []
    for name in names:
        jwk = (Path(folder) / name).read_text()
        keys.append(Key(name=name, jwk=jwk, did=did_of(jwk)))
    return tuple(keys)


def all_keys() -> tuple[Key, ...]:
    """Every key in the folder, oldest first (a missing folder or no key: one is made when
    ``CREDENTIAL_KEY_CREATE`` is on, as in development, the demo and the tests)."""
    folder = key_dir()
    names = tuple(sorted(p.name for p in folder.glob("*.jwk"))) if folder.is_dir() else ()
    if not names:
        if not settings.CREDENTIAL_KEY_CREATE:
            raise CredentialError(_("No credential key in %(path)s (CREDENTIAL_KEY_DIR).") % {"path": folder},
                                  code=ErrorCode.CREDENTIAL_NO_KEY)
        add_key()
        names = tuple(sorted(p.name for p in folder.glob("*.jwk")))
    return _load(str(folder), names)


all_keys.cache_clear = _load.cache_clear  # type: ignore[attr-defined]


def current_key() -> Key:
    return all_keys()[-1]


def published_dids() -> set[str]:
    return {k.did for k in all_keys()}
