"""The Open Badges 3.0 credential of one certificate (unsigned, the VC 1.1 form: :mod:`.vc2` makes the VC 2.0 form
from it once signed), from what the certificate froze at issue (the SKKNI decree included).

The holder is named (``identityType: name``, as printed on the certificate) and identified by a salted SHA-256 of
their e-mail address (``identityType: emailAddress``, the salt in the credential), never by NIK or NIP. Texts are
the certificate's own: numbers, scheme, units, the LSP profile of the day of issue.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid

from django.conf import settings
from django.urls import reverse

from assessments.certificates.models import Certificate

from . import logo

VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context.json"
STATUS_LIST_2021 = "https://w3id.org/vc/status-list/2021/v1"
CONTEXTS = [VC_V1, OB_V3, STATUS_LIST_2021]
WIB = datetime.timezone(datetime.timedelta(hours=7))


def site(path: str) -> str:
    return settings.SITE_URL + path


def _moment(day: datetime.date, end: bool = False) -> str:
    at = datetime.time(23, 59, 59) if end else datetime.time(0, 0)
    return datetime.datetime.combine(day, at, tzinfo=WIB).isoformat()


def email_identity(email: str, salt: str | None = None) -> dict:
    """OB 3.0 IdentityObject: ``sha256$`` + hex SHA-256 of the lower-cased address followed by the salt."""
    salt = salt or secrets.token_hex(8)
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return {"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
            "identityHash": f"sha256${digest}", "salt": salt}


def _issuer(cert: Certificate, did: str) -> dict:
    lsp = cert.snapshot.get("lsp") or {}
    issuer = {"id": did, "type": ["Profile"], "name": lsp.get("name") or "LSP", "url": settings.SITE_URL}
    if lsp.get("licence_number"):
        issuer["description"] = f"BNSP licence {lsp['licence_number']}"
        issuer["otherIdentifier"] = [{"type": "IdentifierEntry", "identifier": lsp["licence_number"],
                                      "identifierType": "identifier"}]
    image = logo.image(cert.snapshot, site)
    if image:
        issuer["image"] = image
    return issuer


def _alignments(cert: Certificate) -> list[dict]:
    return [{"type": ["Alignment"], "targetName": u.get("title") or u.get("code"), "targetCode": u.get("code"),
             "targetFramework": "SKKNI", "targetType": "CFItem",
             "targetUrl": f"urn:skkni:{uuid.uuid5(uuid.NAMESPACE_URL, 'skkni:' + str(u.get('code')))}"}
            for u in cert.snapshot.get("units") or [] if u.get("code")]


def skkni_basis(cert: Certificate) -> str:
    """"SKKNI number/year" of the decree the certificate froze at issue ("" when the scheme had none). A certificate
    issued before the decree was frozen falls back to its application's scheme version (the best knowledge left)."""
    if "skkni_decree" in cert.snapshot:
        frozen = cert.snapshot["skkni_decree"] or {}
        return f"SKKNI {frozen['number']}/{frozen['year']}" if frozen.get("number") else ""
    scheme = cert.scheme_version
    decree = scheme.decree if scheme else None
    return f"SKKNI {decree.number}/{decree.year}" if decree else ""


def _achievement(cert: Certificate) -> dict:
    snap = cert.snapshot
    basis = skkni_basis(cert)
    narrative = (f"Decided competent (K) in every unit of the scheme {cert.scheme_code} "
                 f"({cert.scheme_name}) by the LSP's certification decision"
                 + (f" {snap['decree_number']}" if snap.get("decree_number") else "")
                 + (f"; units from {basis}" if basis else "") + ".")
    achievement = {"id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'scheme:' + cert.scheme_code)}",
                   "type": ["Achievement"], "achievementType": "Certification", "name": cert.scheme_name,
                   "humanCode": cert.scheme_code, "description": snap.get("qualification") or cert.scheme_name,
                   "criteria": {"narrative": narrative}, "alignment": _alignments(cert)}
    if basis:
        achievement["fieldOfStudy"] = basis
    return achievement


def build(cert: Certificate, *, did: str, email: str, status: dict) -> dict:
    """The unsigned credential of ``cert`` issued by ``did`` with the status entry ``status``."""
    verify_url = site(reverse("assessments:verify-code", kwargs={"code": cert.verification_code}))
    return {
        "@context": list(CONTEXTS),
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, verify_url)}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": cert.scheme_name,
        "issuer": _issuer(cert, did),
        "issuanceDate": _moment(cert.issued_on),
        "expirationDate": _moment(cert.expires_on, end=True),
        "credentialSubject": {
            "type": ["AchievementSubject"], "licenseNumber": cert.number,
            "identifier": [email_identity(email),
                           {"type": "IdentityObject", "identityType": "name", "hashed": False,
                            "identityHash": cert.holder_name}],
            "achievement": _achievement(cert)},
        "evidence": [{"id": verify_url, "type": ["Evidence"], "name": f"Certificate {cert.number}",
                      "description": "The certificate's public verification page at the LSP."}],
        "credentialStatus": status,
    }
