"""Is a PDF one this portal signed, and unchanged since? pyHanko's validator, with the configured trust roots
(``ESIGN_TRUST_ROOTS``: the demo CA under ``var/esign``, or the LSP's / BSrE's root) as the only roots trusted."""

from __future__ import annotations

import enum
import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .pades import outside_event_loop

log = logging.getLogger(__name__)


class Verdict(enum.StrEnum):
    AUTHENTIC = "authentic"  # signed by a trusted signer, intact, nothing added after the signature
    MODIFIED = "modified"  # a signature is there but the bytes changed, or something was added after signing
    UNTRUSTED = "untrusted"  # intact, but signed by someone outside the trust roots (not this LSP)
    UNSIGNED = "unsigned"  # no signature at all
    UNREADABLE = "unreadable"  # not a PDF pyHanko can read


@dataclass(frozen=True)
class Validation:
    verdict: Verdict
    sha256: str
    reason: str = ""
    signer: str = ""  # the signing certificate's whole subject, as pyHanko words it
    signed_at: object = None  # the signer's claimed time (datetime) when there is one
    signer_name: str = ""  # the certificate's common name: the person (or office) who signed
    signer_title: str = ""  # their position, when the certificate says it
    signer_organisation: str = ""

    @property
    def authentic(self) -> bool:
        return self.verdict == Verdict.AUTHENTIC


def trust_roots(paths=None) -> list:
    from asn1crypto import pem, x509

    roots: list = []
    for path in paths if paths is not None else settings.ESIGN_TRUST_ROOTS:
        try:
            data = Path(path).read_bytes()
        except OSError:
            continue
        if pem.detect(data):
            roots.extend(x509.Certificate.load(der) for _t, _h, der in pem.unarmor(data, multiple=True))
        else:
            roots.append(x509.Certificate.load(data))
    return roots


def validate_pdf(pdf: bytes, *, roots=None) -> Validation:
    """The verdict on ``pdf``: every signature must be intact, cover the whole file, and chain to a trust root."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    digest = hashlib.sha256(pdf).hexdigest()
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError):
        return Validation(Verdict.UNREADABLE, digest)
    if not signatures:
        return Validation(Verdict.UNSIGNED, digest)
    context = ValidationContext(trust_roots=roots if roots is not None else trust_roots(), allow_fetching=False)
    last = signatures[-1]
    try:
        statuses = outside_event_loop(lambda: [validate_pdf_signature(sig, context) for sig in signatures])
    except Exception:  # noqa: BLE001 - a mangled signature (one byte changed in its CMS) is a modified document
        log.warning("a signature could not be validated", exc_info=True)
        return Validation(Verdict.MODIFIED, digest)
    reason = str(last.sig_object.get("/Reason", ""))
    cert = statuses[-1].signing_cert
    subject = cert.subject.native if cert else {}
    found = {"sha256": digest, "reason": reason, "signer": cert.subject.human_friendly if cert else "",
             "signed_at": statuses[-1].signer_reported_dt, "signer_name": _one(subject.get("common_name")),
             "signer_title": _one(subject.get("title")),
             "signer_organisation": _one(subject.get("organization_name"))}
    if not all(s.intact and s.valid for s in statuses) or statuses[-1].coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return Validation(Verdict.MODIFIED, **found)
    if not all(s.trusted for s in statuses):
        return Validation(Verdict.UNTRUSTED, **found)
    return Validation(Verdict.AUTHENTIC, **found)


def _one(value) -> str:
    """A name attribute's value (a certificate may repeat one: the first)."""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "")
