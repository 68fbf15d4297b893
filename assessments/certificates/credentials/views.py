"""The credential's pages: the holder's download and wallet link, the public status lists and keys, and the
public check of an uploaded credential (rate-limited and logged with the other look-ups)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from assessments.certificates import services as certs
from assessments.certificates.models import Certificate, VerificationLookup
from assessments.events.selectors import get_or_403
from certportal.accounts.models import Role
from certportal.errors import ErrorCode
from certportal.net import client_ip
from certportal.permissions import role_required

from . import logo, services, status, vc2
from .check import check_credential
from .forms import CredentialUploadForm
from .keys import CredentialError

LINK_SALT = "assessments.credential.link"


def _json(data: str | dict, *, download: str = "", public: bool = False) -> HttpResponse:
    body = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    if download:
        response["Content-Disposition"] = f'attachment; filename="{download}"'
    if public:
        response["Access-Control-Allow-Origin"] = "*"
    return response


def _download_name(cert: Certificate, form: str = "") -> str:
    suffix = f"-{form}" if form else ""
    return "credential-" + "".join(c if c.isalnum() else "-" for c in cert.number) + suffix + ".json"


def wallet_link(cert: Certificate) -> str:
    """The holder's unguessable link to the credential, for a wallet (signed with the site's secret key)."""
    return reverse("assessments:credential-link", kwargs={"token": signing.dumps(cert.pk, salt=LINK_SALT)})


def holder_context(cert: Certificate, request) -> dict:
    """What the holder's certificate page shows of the credential (the link and its QR code): offered while the
    certificate stands or once its credential exists, and the link answers either way (:func:`link` signs the
    credential on the first scan when no download came first)."""
    if cert.status not in status.STANDING and not hasattr(cert, "credential"):
        return {"credential_link": ""}
    import segno

    link = request.build_absolute_uri(wallet_link(cert))
    return {"credential_link": link, "credential_qr": segno.make(link, error="m").svg_data_uri(scale=3)}


@role_required(Role.APPLICANT)
def holder_download(request, pk):
    cert = get_or_403(Certificate.objects.held_by(request.user), pk=pk)
    try:
        credential = services.credential_for(cert)
    except CredentialError as exc:
        return render(request, "assessments/credential_unavailable.html", {"cert": cert, "why": str(exc)},
                      status=409)
    if request.GET.get("format") == "vc1":
        return _json(credential.document, download=_download_name(cert, "vc1"))
    return _json(services.v2_document(credential), download=_download_name(cert))


@login_not_required
@never_cache
def link(request, token):
    try:
        pk = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        raise Http404 from None
    cert = Certificate.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if cert is None:
        raise Http404
    try:  # scanned before any download: signed now, by the same service (the token is the holder's to give)
        credential = services.credential_for(cert)
    except CredentialError as exc:
        response = _json({"error": str(exc)}, public=True)
        response.status_code = 409 if exc.code == ErrorCode.CREDENTIAL_WITHDRAWN else 503
        return response
    if request.GET.get("format") == "vc1":
        return _json(credential.document, public=True)
    return _json(services.v2_document(credential), public=True)


@login_not_required
@never_cache
def status_list(request, purpose):
    if purpose not in status.CredentialStatusList.Purpose.values:
        raise Http404
    try:
        return _json(status.signed_list(purpose), public=True)
    except CredentialError as exc:  # no key configured: say so, never a server error
        response = _json({"error": str(exc)}, public=True)
        response.status_code = 503
        return response


@login_not_required
@never_cache
def status_list_v2(request, purpose):
    if purpose not in status.CredentialStatusList.Purpose.values:
        raise Http404
    try:
        return _json(vc2.signed_list(purpose), public=True)
    except CredentialError as exc:
        response = _json({"error": str(exc)}, public=True)
        response.status_code = 503
        return response


@login_not_required
def issuer_logo(request, token, ext):
    """The LSP logo a credential's issuer ``image`` names (PNG or JPEG only, ``nosniff``)."""
    return logo.response(token, ext)


@login_not_required
def key_list(request):
    try:
        return _json(services.published_keys(), public=True)
    except CredentialError as exc:
        response = _json({"error": str(exc)}, public=True)
        response.status_code = 503
        return response


@login_not_required
@never_cache
def verify_upload(request):
    form = CredentialUploadForm(request.POST or None, request.FILES or None)
    check = None
    if request.method == "POST":
        if certs.rate_limited(client_ip(request)):
            return render(request, "assessments/verify_credential.html", {
                "form": CredentialUploadForm(),
                "error": _("Too many look-ups from your address. Please wait a minute.")}, status=429)
        if form.is_valid():
            check = check_credential(form.cleaned_data["berkas"])
            number = check.facts.get("number") if check.verdict != "not_ours" else ""
            VerificationLookup.objects.create(
                code=(number or "credential")[:64], via="vc", ip_address=client_ip(request),
                certificate=Certificate.objects.filter(number=number).first() if number else None,
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])
    return render(request, "assessments/verify_credential.html", {"form": form, "check": check},
                  status=400 if request.method == "POST" and not form.is_valid() else 200)
