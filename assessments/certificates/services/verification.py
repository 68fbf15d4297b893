"""Public verification: the unguessable code printed on a certificate, its URL, the per-address rate limit,
the logged look-up and what anyone may know about a certificate."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.urls import reverse

from assessments.certificates.models import Certificate, VerificationLookup
from certportal.ratelimit import over_limit

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def new_verification_code() -> str:
    """16 characters from 32 symbols = 80 random bits: unguessable, still easy to type."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))


def verification_url(cert: Certificate) -> str:
    return settings.SITE_URL + reverse("assessments:verify-code", kwargs={"code": cert.verification_code})


def rate_limited(ip: str | None) -> bool:
    """At most ASSESSMENT_VERIFY_PER_MINUTE look-ups per address per minute."""
    return over_limit("assess-verify", ip, limit=settings.ASSESSMENT_VERIFY_PER_MINUTE, seconds=60)


def verify_lookup(code: str, *, via: str, ip: str | None, user_agent: str = "") -> Certificate | None:
    code = (code or "").strip().upper().replace(" ", "").replace("-", "")[:64]
    cert = Certificate.objects.filter(verification_code=code).first() if code else None
    VerificationLookup.objects.create(code=code, certificate=cert, via=via, ip_address=ip,
                                      user_agent=user_agent[:300])
    return cert


def public_data(cert: Certificate, today: datetime.date | None = None) -> dict:
    """What anyone may know: holder name, scheme, number, dates, status — nothing else personal.

    A corrected certificate names the number that replaced it (``replaced_by``) and a replacement the number it
    replaces (``replaces``): numbers only, never the other certificate's verification code or the reason."""
    from assessments.certificates.models import CERTIFICATE_STATES

    state = cert.state(today)
    return {"holder_name": cert.holder_name, "scheme_code": cert.scheme_code, "scheme_name": cert.scheme_name,
            "number": cert.number, "issued_on": cert.issued_on.isoformat(), "expires_on": cert.expires_on.isoformat(),
            "status": state, "status_label": str(CERTIFICATE_STATES[state]),
            # null while suspended "until further notice" (until the expiry date: lifted by the LSP, not by a date)
            "suspended_until": cert.suspended_until.isoformat() if state == "suspended" and cert.suspended_until
            and not cert.suspended_until_lifted else None,
            "replaced_by": cert.replaced_by.values_list("number", flat=True).first(),
            "replaces": cert.replaces.number if cert.replaces_id else None,
            # BNSP's numbers, once recorded (public: they are printed on the certificate)
            "bnsp_registration_number": cert.bnsp_registration_number or None,
            "blanko_number": cert.blanko_number or None,
            "renewed_by": cert.renewed_by.values_list("number", flat=True).first(),
            "renews": cert.renews.number if cert.renews_id else None}
