"""The status lists (StatusList2021): a revocation list and a suspension list, one bit per certificate at its index
(the certificate's id, in a list of at least 16 KiB).

:func:`record` is a notice the certificate's machine declares for every transition
(:mod:`assessments.certificates.workflow`), run by the workflow core inside the transaction of every certificate
status change: whatever the transition's name (suspended, reinstated, withdrawn,
replaced, or any later one), a certificate now ``suspended`` has its suspension bit set, one back to ``issued`` has
it cleared, and one in any other status (withdrawn, replaced, reduced: it will not stand again) has its revocation
bit set for good. The signed status list credential is made from the bits when it is asked for and the bits changed
since it was signed (or on a new day: a suspension with an end date runs out by the date, without a transition).
"""

from __future__ import annotations

import base64
import datetime
import gzip

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments.certificates.models import Certificate

from . import keys
from .document import STATUS_LIST_2021, VC_V1, site
from .models import LIST_BITS, CredentialStatusList

REVOCATION, SUSPENSION = CredentialStatusList.Purpose.REVOCATION, CredentialStatusList.Purpose.SUSPENSION
STANDING = {Certificate.Status.ISSUED, Certificate.Status.SUSPENDED}


def list_url(purpose: str) -> str:
    return site(reverse("assessments:credential-status-list", kwargs={"purpose": purpose}))


def entry(index: int) -> dict:
    """The credential's status entry: its index in the revocation list (the same index in the suspension list)."""
    url = list_url(REVOCATION)
    return {"id": f"{url}#{index}", "type": "StatusList2021Entry", "statusPurpose": str(REVOCATION),
            "statusListIndex": str(index), "statusListCredential": url}


def _locked(purpose: str) -> CredentialStatusList:
    CredentialStatusList.objects.get_or_create(purpose=purpose, defaults={"bits": bytes(LIST_BITS // 8)})
    return CredentialStatusList.objects.select_for_update().get(purpose=purpose)


def _set(purpose: str, index: int, on: bool) -> None:
    row = _locked(purpose)
    bits = bytearray(row.bits)
    if index // 8 >= len(bits):  # grow by whole lists of 16 KiB
        bits.extend(bytes((index // LIST_BITS + 1) * (LIST_BITS // 8) - len(bits)))
    mask = 0x80 >> (index % 8)
    if bool(bits[index // 8] & mask) == on:
        return
    bits[index // 8] = bits[index // 8] | mask if on else bits[index // 8] & ~mask
    row.bits = bytes(bits)
    row.save(update_fields=["bits", "updated_at"])


def is_set(bits: bytes, index: int) -> bool:
    return index // 8 < len(bits) and bool(bits[index // 8] & (0x80 >> (index % 8)))


def record(cert: Certificate) -> None:
    """Set the bits of ``cert`` from its status (inside the caller's transaction)."""
    if cert.status in STANDING:
        _set(SUSPENSION, cert.pk, cert.status == Certificate.Status.SUSPENDED)
    else:
        _set(SUSPENSION, cert.pk, False)
        _set(REVOCATION, cert.pk, True)


def encode(bits: bytes) -> str:
    return base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).rstrip(b"=").decode()


def decode(encoded: str) -> bytes:
    return gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))


def _lapsed_suspensions(row: CredentialStatusList, today: datetime.date) -> None:
    """Clear the bits of suspensions whose end date has passed (the certificate is valid again by the date)."""
    for pk in Certificate.objects.filter(status=Certificate.Status.SUSPENDED, suspended_until__lt=today,
                                         expires_on__gte=today).values_list("pk", flat=True):
        _set(SUSPENSION, pk, False)


def signed_list(purpose: str) -> str:
    """The signed status list credential of ``purpose`` (JSON text), signed again when stale."""
    today = timezone.localdate()
    row = CredentialStatusList.objects.filter(purpose=purpose).first()
    if row and row.signed and row.signed_for == row.updated_at and timezone.localtime(row.updated_at).date() == today:
        return row.signed
    with transaction.atomic():
        row = _locked(purpose)
        if purpose == SUSPENSION:
            _lapsed_suspensions(row, today)
            row.refresh_from_db()
        row.save(update_fields=["updated_at"])  # today's copy
        key = keys.current_key()
        url = list_url(purpose)
        now = timezone.now().replace(microsecond=0)
        unsigned = {"@context": [VC_V1, STATUS_LIST_2021], "id": url,
                    "type": ["VerifiableCredential", "StatusList2021Credential"], "issuer": key.did,
                    "issuanceDate": now.isoformat().replace("+00:00", "Z"),
                    "credentialSubject": {"id": f"{url}#list", "type": "StatusList2021", "statusPurpose": purpose,
                                          "encodedList": encode(bytes(row.bits))}}
        row.signed = str(keys.didkit({"op": "issue", "key": key.jwk, "credential": unsigned}))
        row.signed_for = row.updated_at
        CredentialStatusList.objects.filter(pk=row.pk).update(signed=row.signed, signed_for=row.signed_for)
    return row.signed


def bits_of(purpose: str) -> bytes:
    row = CredentialStatusList.objects.filter(purpose=purpose).first()
    return bytes(row.bits) if row else b""
