"""Sign a rendered document and keep the record; never lose the document over a signature."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings

from certportal.errors import ErrorCode

from .backends import SigningError
from .models import SignedDocument
from .offices import LSP_HEAD, office_signer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Signed:
    pdf: bytes
    record: SignedDocument

    @property
    def signed(self) -> bool:
        return self.record.outcome == SignedDocument.Outcome.SIGNED


def document_sign(pdf: bytes, *, kind: str, object_id, label: str, reason: str, office: str = LSP_HEAD,
                  required: bool = False) -> Signed:
    """``pdf`` signed by the signer of ``office`` (:mod:`.offices`: the head of the LSP unless another office signs
    the paper), with a :class:`SignedDocument` row either way.

    When signing fails (a missing key, BSrE refusing or not answering) the document is returned UNSIGNED, so the
    person still gets it, and the failure is recorded with its reason on the row (shown on the record's page) and
    logged. With ``ESIGN_BACKEND=none`` the row says signing is switched off.

    ``required``: a paper that must not leave unsigned when signing is configured (a print job's PDF, issue 45
    item 9): the failure is recorded and logged as an ERROR, and :class:`SigningError` raised for the caller to
    fail its job with; no unsigned copy is returned.
    """
    signer = office_signer(office)
    fields = {"kind": kind, "object_id": str(object_id), "label": label[:200], "backend": signer.name}
    if signer.name == "none":
        return Signed(pdf, SignedDocument.objects.create(outcome=SignedDocument.Outcome.UNSIGNED, **fields))
    try:
        signed = signer.sign(pdf, reason=reason, location=settings.ESIGN_LOCATION)
    except SigningError as exc:
        (log.error if required else log.warning)("signing %s %s failed: %s", kind, object_id, exc.message)
        record = SignedDocument.objects.create(outcome=SignedDocument.Outcome.FAILED, error=exc.message, **fields)
        if required:
            raise
        return Signed(pdf, record)
    except Exception as exc:  # noqa: BLE001 - any other failure of the library must not cost the person the document
        log.exception("signing %s %s failed", kind, object_id)
        error = f"{type(exc).__name__}: {exc}"[:500]
        record = SignedDocument.objects.create(outcome=SignedDocument.Outcome.FAILED, error=error, **fields)
        if required:
            raise SigningError(error, code=ErrorCode.ESIGN_FAILED) from exc
        return Signed(pdf, record)
    record = SignedDocument.objects.create(outcome=SignedDocument.Outcome.SIGNED,
                                           sha256=hashlib.sha256(signed).hexdigest(), **fields)
    return Signed(signed, record)


def signing_history(kind: str, object_id, limit: int = 5) -> list[SignedDocument]:
    return list(SignedDocument.objects.filter(kind=kind, object_id=str(object_id))[:limit])


def signed_record(sha256: str) -> SignedDocument | None:
    """The row of the exact bytes this portal signed and handed out, if these are they."""
    return SignedDocument.objects.filter(sha256=sha256, outcome=SignedDocument.Outcome.SIGNED).first()
