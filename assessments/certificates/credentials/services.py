"""Issuing a certificate's credential (once, on first request: the holder's download or wallet link, the
employers' API, the demo) and what a wallet or a verifier fetches: the credential, the keys, the status lists."""

from __future__ import annotations

import json

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.certificates.models import Certificate
from certportal.errors import ErrorCode

from . import document, keys, status, vc2
from .keys import CredentialError
from .models import IssuedCredential


def holder_email(cert: Certificate) -> str:
    return getattr(cert.holder_account, "email", "") or ""


def credential_for(cert: Certificate) -> IssuedCredential:
    """The credential of ``cert``, signed with the current key the first time it is asked for. A certificate that
    no longer stands (withdrawn, replaced) gets none if it had none."""
    found = IssuedCredential.objects.filter(certificate=cert).first()
    if found:
        return found
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=cert.pk)
        found = IssuedCredential.objects.filter(certificate=locked).first()
        if found:
            return found
        if locked.status not in status.STANDING:
            raise CredentialError(_("This certificate is withdrawn: no credential is issued for it."),
                                  code=ErrorCode.CREDENTIAL_WITHDRAWN)
        key = keys.current_key()
        unsigned = document.build(locked, did=key.did, email=holder_email(locked), status=status.entry(locked.pk))
        signed = str(keys.didkit({"op": "issue", "key": key.jwk, "credential": unsigned}))
        status.record(locked)
        v2 = vc2.sign(vc2.from_v1(json.loads(signed), locked.pk), key)
        return IssuedCredential.objects.create(certificate=locked, document=signed, document_v2=v2,
                                               key_did=key.did, status_index=locked.pk)


def v2_document(credential: IssuedCredential) -> str:
    """The VC 2.0 form (JSON text); made once, from the VC 1.1 form, for a credential issued before it existed."""
    if not credential.document_v2:
        key = next((k for k in keys.all_keys() if k.did == credential.key_did), keys.current_key())
        unsigned = vc2.from_v1(json.loads(credential.document), credential.status_index)
        credential.document_v2 = vc2.sign(unsigned, key)
        IssuedCredential.objects.filter(pk=credential.pk, document_v2="").update(document_v2=credential.document_v2)
        credential.refresh_from_db(fields=["document_v2"])
    return credential.document_v2


def as_json(credential: IssuedCredential) -> dict:
    return json.loads(credential.document)


def published_keys() -> dict:
    """Every key the LSP has signed credentials with (public parts), newest last: what rotation keeps published."""
    return {"issuer": settings_site(), "keys": [
        {"id": k.did, "verificationMethod": k.verification_method, "type": "Ed25519VerificationKey2018",
         "publicKeyJwk": k.public_jwk(), "publicKeyMultibase": k.did.removeprefix("did:key:"),  # Multikey (VC 2.0)
         "current": k is keys.current_key()} for k in keys.all_keys()]}


def settings_site() -> str:
    from django.conf import settings

    return settings.SITE_URL
