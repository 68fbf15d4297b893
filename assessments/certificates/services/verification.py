"""Public verification: the unguessable code printed on a certificate, its URL, the per-address rate limit,
the logged look-up and what anyone may know about a certificate.

The printed number runs in sequence, so it alone never shows a certificate: a look-up by number needs the holder's
name or NIP with it (:func:`number_lookup`), and the misses of an address are limited per hour."""

from __future__ import annotations

import datetime
import re
import secrets
import unicodedata

from django.conf import settings
from django.urls import reverse

from assessments.certificates.models import Certificate, VerificationLookup
from certportal.ratelimit import count, over_limit, reached

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def new_verification_code() -> str:
    """16 characters from 32 symbols = 80 random bits: unguessable, still easy to type."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))


def verification_url(cert: Certificate) -> str:
    return settings.SITE_URL + reverse("assessments:verify-code", kwargs={"code": cert.verification_code})


def rate_limited(ip: str | None) -> bool:
    """At most ASSESSMENT_VERIFY_PER_MINUTE look-ups per address per minute."""
    return over_limit("assess-verify", ip, limit=settings.ASSESSMENT_VERIFY_PER_MINUTE, seconds=60)


NUMBER_MISSES = "assess-verify-number-miss"


def number_lookups_spent(ip: str | None) -> bool:
    """The address has had ASSESSMENT_VERIFY_NUMBER_MISSES_PER_HOUR look-ups by number that matched nothing."""
    return reached(NUMBER_MISSES, ip, limit=settings.ASSESSMENT_VERIFY_NUMBER_MISSES_PER_HOUR, seconds=3600)


def _name_key(text: str) -> str:
    """A name as compared: without accents, case or punctuation, single spaces."""
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def _name_forms(holder_name: str) -> set[str]:
    """The name as printed, without the degrees after the first comma, and without titles before it (Dr., Ir., H.)."""
    bare = holder_name.split(",")[0].split()
    while len(bare) > 1 and bare[0].endswith("."):
        bare.pop(0)
    return {_name_key(holder_name), _name_key(holder_name.split(",")[0]), _name_key(" ".join(bare))} - {""}


def holder_matches(cert: Certificate, name_or_nip: str) -> bool:
    """The holder's NIP (spaces allowed) or their name as printed, titles and degrees optional."""
    digits = re.sub(r"[\s.-]", "", name_or_nip)
    if digits.isdigit():
        return bool(cert.holder_nip) and digits == cert.holder_nip
    return _name_key(name_or_nip) in _name_forms(cert.holder_name)


def number_lookup(number: str, name_or_nip: str, *, ip: str | None, user_agent: str = "") -> Certificate | None:
    """The certificate with this printed number whose holder has this name or NIP; logged (``via="number"``, the
    number as the code tried, never the name), and a miss counted against the address."""
    number = re.sub(r"\s*/\s*", "/", " ".join(number.split()))
    cert = Certificate.objects.filter(number__iexact=number).first() if number else None
    if cert is not None and not holder_matches(cert, name_or_nip):
        cert = None
    VerificationLookup.objects.create(code=number[:64], certificate=cert, via="number", ip_address=ip,
                                      user_agent=user_agent[:300])
    if cert is None:
        count(NUMBER_MISSES, ip, seconds=3600)
    return cert


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
            # read through .all(): the employers' API prefetches these for its batch of 100 (no query per code)
            "replaced_by": next((c.number for c in cert.replaced_by.all()), None),
            "replaces": cert.replaces.number if cert.replaces_id else None,
            # BNSP's numbers, once recorded (public: they are printed on the certificate)
            "bnsp_registration_number": cert.bnsp_registration_number or None,
            "blanko_number": cert.blanko_number or None,
            "renewed_by": next((c.number for c in cert.renewed_by.all()), None),
            "renews": cert.renews.number if cert.renews_id else None, **_reduction_data(cert),
            # issued on paper before the portal and imported from the LSP's register: the paper is the record
            "source": cert.source, "record": RECORDS[cert.source]}


# What is the record of a certificate, said in both languages (a JSON reader may read either).
RECORDS = {
    "portal": {"id": "Sertifikat ini diterbitkan melalui portal; catatan portal adalah rekamannya.",
               "en": "Issued through the portal; the portal's record is the record."},
    "imported": {"id": "Diterbitkan di atas kertas sebelum portal dan diimpor dari register LSP: dokumen asli "
                       "kertas adalah rekaman yang sah.",
                 "en": "Issued on paper before the portal and imported from the LSP's register: the paper "
                       "original is the record."},
}


def _reduction_data(cert: Certificate) -> dict:
    """A reduced certificate names the units its scope lost (its replacement is ``replaced_by``); the
    replacement says it replaces a reduced certificate and which units were removed (from its printed data)."""
    removed = cert.snapshot.get("reduced_units")
    if removed is not None:
        return {"replaces_reduced": True, "units_removed": [{"code": u.get("code", ""), "title": u.get("title", "")}
                                                            for u in removed]}
    if cert.status == Certificate.Status.REDUCED:
        reduction = next(iter(cert.scope_reductions.all()), None)
        units = reduction.units_removed if reduction else []
        return {"replaces_reduced": False, "units_removed": [{"code": u.get("code", ""), "title": u.get("title", "")}
                                                             for u in units]}
    return {"replaces_reduced": False, "units_removed": []}
