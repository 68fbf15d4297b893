"""The employers' API: look certificates up by their verification code, or by number together with the holder's
name or NIP (never by number alone: numbers run in sequence, codes are random), up to 100 a call.

    POST /api/v1/certificates/lookup            {"codes": ["K7QX…"]}
    POST /api/v1/certificates/lookup-by-number  {"certificates": [{"number": "00012/SKK/…", "holder_name": "…"}]}
    GET  /api/v1/certificates/{code}
    OpenAPI document: /api/v1/openapi.json (interactive documentation: /api/v1/docs)

Authenticated by a token the LSP admin issues in the portal (``Authorization: Bearer <token>``; only its hash is
stored). A token expires ``ASSESSMENT_API_TOKEN_DAYS`` after it is issued or renewed (401 with the day), is
limited per minute (``ASSESSMENT_API_PER_MINUTE``, :mod:`certportal.ratelimit`: 429), and is locked when more than
``ASSESSMENT_API_MISSES_PER_DAY`` of its look-ups find nothing in a day (429 until the LSP admin renews it; the
LSP admins are told). Every call is audited on the token. It answers what the public verification page shows and
nothing else personal: the holder's name, the scheme, number, dates, status and the competency units certified
(never the NIP, the unit of work or the code of another certificate).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.conf import settings
from django.utils import timezone
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import StringConstraints, model_validator

from assessments.certificates.models import ApiToken, Certificate
from assessments.certificates.services.holder import API_LOOKUP, api_token_find, api_token_missed
from assessments.certificates.services.verification import holder_matches, public_data
from certportal.audit.services import audit_record
from certportal.ratelimit import over_limit

MAX_CODES = 100
Text = Annotated[str, StringConstraints(max_length=200)]


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str) -> ApiToken | None:
        found = api_token_find(token)
        if found is None:
            return None  # 401, the same for an unknown and a revoked token
        state = found.state()
        if state == "expired":
            raise HttpError(401, f"This token expired on {timezone.localdate(found.expires_at).isoformat()}: "
                                 "ask the LSP admin to renew it.")
        if state == "locked":
            raise HttpError(429, "This token is locked: too many of its look-ups found nothing today. The LSP "
                                 "admin has been told and can renew it.")
        if over_limit("api", str(found.pk), limit=settings.ASSESSMENT_API_PER_MINUTE, seconds=60):
            raise HttpError(429, "Too many calls: wait a minute.")
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        return found


api = NinjaAPI(title="Portal Sertifikasi Kompetensi: certificate look-up", version="1", urls_namespace="api-v1",
               auth=TokenAuth(), docs_url="/docs",
               description="Look certificates up by verification code, or by number with the holder's name or NIP "
                           "(a number alone is not enough), at most 100 a call. Send the token the LSP issued "
                           "you: `Authorization: Bearer <token>`. Tokens expire (renewed by the LSP admin); "
                           "look-ups that find nothing count against a daily quota that locks the token.")


class Unit(Schema):
    code: str
    title: str


class CertificateOut(Schema):
    query: str
    found: bool
    number: str | None = None
    holder_name: str | None = None
    scheme_code: str | None = None
    scheme_name: str | None = None
    issued_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    status: str | None = None  # valid, expired, suspended, withdrawn, reduced (scope reduced: see replaced_by)
    suspended_until: datetime.date | None = None
    units: list[Unit] = []
    replaced_by: str | None = None  # a correcting certificate
    replaces: str | None = None
    renewed_by: str | None = None  # re-certification: the certificate that takes over at the expiry date
    renews: str | None = None
    # scope reduction: on a reduced certificate the units it lost; on its replacement the units removed from the
    # certificate it replaces (replaces_reduced)
    units_removed: list[Unit] = []
    replaces_reduced: bool = False
    # "imported": issued on paper before the portal, from the LSP's register (the paper original is the record,
    # as ``record`` says in Indonesian and English); "portal" otherwise
    source: str | None = None
    record: dict[str, str] | None = None


class LookupIn(Schema):
    codes: list[Text] = Field(..., min_length=1, max_length=MAX_CODES,
                              description="Verification codes (printed under the QR code), spaces and dashes "
                                          "allowed.")


class NumberQuery(Schema):
    number: Text = Field(..., min_length=1, description="The certificate number as printed.")
    holder_name: Text | None = Field(None, description="The holder's name (titles, case and punctuation aside).")
    nip: Text | None = Field(None, description="The holder's NIP (18 digits).")

    @model_validator(mode="after")
    def _name_or_nip(self):
        if not (self.holder_name or "").strip() and not (self.nip or "").strip():
            raise ValueError("A certificate number alone is not enough: send the holder's name or NIP with it.")
        return self


class NumberLookupIn(Schema):
    certificates: list[NumberQuery] = Field(..., min_length=1, max_length=MAX_CODES)


class LookupOut(Schema):
    results: list[CertificateOut]


class Error(Schema):
    detail: str


class ValidationErrors(Schema):
    detail: list[dict]


ANSWERS = {400: Error, 401: Error, 404: Error, 422: ValidationErrors, 429: Error}


def _normal_code(value: str) -> str:
    return value.strip().upper().replace(" ", "").replace("-", "")[:64]


def _same_holder(cert: Certificate, query: NumberQuery) -> bool:
    """The holder's NIP or name as the public form compares them (one rule: ``holder_matches``)."""
    return any(holder_matches(cert, given) for given in (query.nip, query.holder_name) if given and given.strip())


def _answer(query: str, cert: Certificate | None, today: datetime.date) -> dict:
    if cert is None:
        return {"query": query, "found": False}
    data = public_data(cert, today)
    data.pop("status_label")
    units = [{"code": u.get("code", ""), "title": u.get("title", "")} for u in cert.snapshot.get("units", [])]
    return {"query": query, "found": True, **data, "units": units}


def _certificates():
    return Certificate.objects.prefetch_related("replaced_by", "renewed_by", "scope_reductions").select_related(
        "replaces", "renews")


def _answered(results: list[dict], token: ApiToken, ip: str | None, how: str) -> list[dict]:
    """Audit the call and count its misses against the token's daily quota."""
    found = sum(r["found"] for r in results)
    audit_record(actor=None, obj=token, action=API_LOOKUP, ip_address=ip,
                 note=f"{len(results)} queried{how}, {found} found")
    api_token_missed(token, len(results) - found, ip=ip)
    return results


def lookup(queries: list[str], token: ApiToken, ip: str | None) -> list[dict]:
    """By verification code only."""
    codes = {_normal_code(q) for q in queries}
    by_code = {c.verification_code: c for c in _certificates().filter(verification_code__in=codes)}
    today = timezone.localdate()
    return _answered([_answer(q, by_code.get(_normal_code(q)), today) for q in queries], token, ip, "")


def lookup_by_number(queries: list[NumberQuery], token: ApiToken, ip: str | None) -> list[dict]:
    """By number, answered only when the holder's name or NIP sent with it matches."""
    by_number = {c.number: c for c in _certificates().filter(number__in={q.number.strip() for q in queries})}
    today = timezone.localdate()
    results = []
    for q in queries:
        cert = by_number.get(q.number.strip())
        results.append(_answer(q.number, cert if cert is not None and _same_holder(cert, q) else None, today))
    return _answered(results, token, ip, " by number")


def _ip(request) -> str | None:
    from certportal.net import client_ip

    return client_ip(request)


@api.post("/certificates/lookup", response={200: LookupOut, **ANSWERS}, summary="Look up to 100 certificates by code")
def certificates_lookup(request, payload: LookupIn):
    return {"results": lookup(payload.codes, request.auth, _ip(request))}


@api.post("/certificates/lookup-by-number", response={200: LookupOut, **ANSWERS},
          summary="Look up to 100 certificates by number with the holder's name or NIP")
def certificates_lookup_by_number(request, payload: NumberLookupIn):
    return {"results": lookup_by_number(payload.certificates, request.auth, _ip(request))}


@api.get("/certificates/{code}", response={200: CertificateOut, **ANSWERS}, summary="Look up one certificate by code")
def certificate_one(request, code: str):
    if len(code) > 200:
        raise HttpError(400, "A verification code has at most 32 characters.")
    result = lookup([code], request.auth, _ip(request))[0]
    if not result["found"]:
        raise HttpError(404, "No certificate has this verification code.")
    return result


@api.get("/certificates/{code}/credential", response={200: dict, 409: Error, **ANSWERS},
         summary="The certificate's Open Badges 3.0 credential (signed JSON-LD, checkable offline); "
                 "format=vc1 (default): VC 1.1 + Ed25519Signature2018, format=vc2: VC 2.0 + eddsa-rdfc-2022")
def certificate_credential(request, code: str, format: Literal["vc1", "vc2"] = "vc1"):  # noqa: A002
    import json

    from assessments.certificates.credentials.services import (
        CredentialError,
        as_json,
        credential_for,
        v2_document,
    )

    found = certificate_one(request, code)  # the same checks, answer and log as the look-up by code
    cert = Certificate.objects.get(number=found["number"])
    try:
        credential = credential_for(cert)
        return json.loads(v2_document(credential)) if format == "vc2" else as_json(credential)
    except CredentialError as exc:
        raise HttpError(409, str(exc)) from None


def urls():
    """``api.urls`` with every view open to callers without a session (``LoginRequiredMiddleware`` would send them
    to the login page): the API authenticates each call by its token, the documentation is public."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False
    return patterns, app_name, namespace


# The root URLconf mounts the API by this module's name (``include("assessments.certificates.api")``), so the
# core's wiring names no module of the apps; ``api-v1`` stays its namespace.
urlpatterns, app_name, _namespace = urls()
