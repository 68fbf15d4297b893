"""The VC Data Model 2.0 form of a certificate's credential and of the status lists, signed with ``eddsa-rdfc-2022``.

The VC 2.0 form says the same as the VC 1.1 form it is made from (same id, issuer, holder identifiers with the same
salt, achievement, evidence): contexts ``credentials/v2`` + Open Badges ``context-3.0.3.json``, ``validFrom`` /
``validUntil`` for the certificate's dates, and a ``credentialStatus`` array of two ``BitstringStatusListEntry``
(revocation and suspension, at the same index as the VC 1.1 form's StatusList2021 entry) pointing to the two
``BitstringStatusListCredential`` documents made here from the same bits (:mod:`.status`).
"""

from __future__ import annotations

import base64
import gzip
import json

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import eddsa, keys, status
from .document import site

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXTS = [VC_V2, OB_V303]
PURPOSES = (status.REVOCATION, status.SUSPENSION)


def now_text() -> str:
    return timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z")


def list_url(purpose: str) -> str:
    return site(reverse("assessments:credential-status-list-v2", kwargs={"purpose": purpose}))


def entries(index: int) -> list[dict]:
    return [{"id": f"{list_url(p)}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": str(p),
             "statusListIndex": str(index), "statusListCredential": list_url(p)} for p in PURPOSES]


def from_v1(v1: dict, index: int) -> dict:
    """The unsigned VC 2.0 form of the (signed) VC 1.1 credential ``v1``."""
    doc = {k: v for k, v in v1.items() if k not in {"proof", "issuanceDate", "expirationDate", "credentialStatus"}}
    doc["@context"] = list(CONTEXTS)
    doc["validFrom"] = v1["issuanceDate"]
    doc["validUntil"] = v1["expirationDate"]
    doc["credentialStatus"] = entries(index)
    return doc


def sign(doc: dict, key: keys.Key) -> str:
    return json.dumps(eddsa.sign(doc, jwk=key.jwk, did=key.did, created=now_text()), ensure_ascii=False, indent=2)


def encode(bits: bytes) -> str:
    """Bitstring Status List ``encodedList``: multibase base64url (``u``, no padding) of the GZIP of the bits."""
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).rstrip(b"=").decode()


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("not multibase base64url")
    return gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))


def signed_list(purpose: str) -> str:
    """The signed BitstringStatusListCredential of ``purpose`` (JSON text), signed again when stale."""
    today = timezone.localdate()
    row = status.CredentialStatusList.objects.filter(purpose=purpose).first()
    if (row and row.signed_v2 and row.signed_v2_for == row.updated_at
            and timezone.localtime(row.updated_at).date() == today):
        return row.signed_v2
    status.signed_list(purpose)  # brings the bits to today (lapsed suspensions) like the VC 1.1 list
    with transaction.atomic():
        row = status._locked(purpose)
        key = keys.current_key()
        url = list_url(purpose)
        unsigned = {"@context": [VC_V2], "id": url, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                    "issuer": key.did, "validFrom": now_text(),
                    "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList",
                                          "statusPurpose": str(purpose), "encodedList": encode(bytes(row.bits))}}
        row.signed_v2 = sign(unsigned, key)
        row.signed_v2_for = row.updated_at
        status.CredentialStatusList.objects.filter(pk=row.pk).update(signed_v2=row.signed_v2,
                                                                     signed_v2_for=row.signed_v2_for)
    return row.signed_v2
