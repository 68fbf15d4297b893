"""The employers' API (issue 18 point 7): look up to 100 certificates a call by verification code or number.

    POST /api/v1/certificates/lookup   {"codes": ["K7QX…", "00012/SKK/LSP-BPSDM/2026"]}
    GET  /api/v1/certificates/{code}
    OpenAPI document: /api/v1/openapi.json (interactive documentation: /api/v1/docs)

Authenticated by a token the LSP admin issues in the portal (``Authorization: Bearer <token>``; only its hash is
stored), limited per token (``ASSESSMENT_API_PER_MINUTE``, :mod:`certportal.ratelimit`), every call audited on the
token. It answers what the public verification page shows and nothing else personal: the holder's name, the
scheme, number, dates, status and the competency units certified (never the NIP, the unit of work or the code of
another certificate).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from assessments.certificates.models import ApiToken, Certificate
from assessments.certificates.services.holder import API_LOOKUP, api_token_find
from assessments.certificates.services.verification import public_data
from certportal.audit.services import audit_record
from certportal.ratelimit import over_limit

MAX_CODES = 100


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str) -> ApiToken | None:
        found = api_token_find(token)
        if found is None:
            return None  # 401, the same for an unknown and a revoked token
        if over_limit("api", str(found.pk), limit=settings.ASSESSMENT_API_PER_MINUTE, seconds=60):
            raise HttpError(429, "Too many calls: wait a minute.")
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        return found


api = NinjaAPI(title="Portal Sertifikasi Kompetensi: certificate look-up", version="1", urls_namespace="api-v1",
               auth=TokenAuth(), docs_url="/docs",
               description="Look certificates up by verification code or number (at most 100 a call). "
                           "Send the token the LSP issued you: `Authorization: Bearer <token>`.")


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
    status: str | None = None  # valid, expired, suspended, withdrawn
    suspended_until: datetime.date | None = None
    units: list[Unit] = []
    replaced_by: str | None = None  # a correcting certificate
    replaces: str | None = None
    renewed_by: str | None = None  # re-certification: the certificate that takes over at the expiry date
    renews: str | None = None


class LookupIn(Schema):
    codes: list[str]


class LookupOut(Schema):
    results: list[CertificateOut]


def _normal_code(value: str) -> str:
    return value.strip().upper().replace(" ", "").replace("-", "")[:64]


def _answer(query: str, cert: Certificate | None, today: datetime.date) -> dict:
    if cert is None:
        return {"query": query, "found": False}
    data = public_data(cert, today)
    data.pop("status_label")
    units = [{"code": u.get("code", ""), "title": u.get("title", "")} for u in cert.snapshot.get("units", [])]
    return {"query": query, "found": True, **data, "units": units}


def lookup(queries: list[str], token: ApiToken, ip: str | None) -> list[dict]:
    queries = [str(q)[:100] for q in queries]
    codes = {_normal_code(q) for q in queries}
    numbers = {q.strip() for q in queries}
    found = Certificate.objects.filter(Q(verification_code__in=codes) | Q(number__in=numbers)).prefetch_related(
        "replaced_by", "renewed_by").select_related("replaces", "renews")
    by_code = {c.verification_code: c for c in found}
    by_number = {c.number: c for c in found}
    today = timezone.localdate()
    results = [_answer(q, by_number.get(q.strip()) or by_code.get(_normal_code(q)), today) for q in queries]
    audit_record(actor=None, obj=token, action=API_LOOKUP, ip_address=ip,
                 note=f"{len(queries)} queried, {sum(r['found'] for r in results)} found")
    return results


def _ip(request) -> str | None:
    from certportal.net import client_ip

    return client_ip(request)


@api.post("/certificates/lookup", response=LookupOut, summary="Look up to 100 certificates")
def certificates_lookup(request, payload: LookupIn):
    if not payload.codes:
        raise HttpError(400, "Send at least one verification code or certificate number.")
    if len(payload.codes) > MAX_CODES:
        raise HttpError(400, f"At most {MAX_CODES} codes or numbers a call; this call sent {len(payload.codes)}.")
    return {"results": lookup(payload.codes, request.auth, _ip(request))}


@api.get("/certificates/{code}", response=CertificateOut, summary="Look up one certificate")
def certificate_one(request, code: str):
    return lookup([code], request.auth, _ip(request))[0]


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
