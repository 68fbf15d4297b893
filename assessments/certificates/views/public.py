"""Public certificate verification: by code or by number with the holder's name or NIP (form), by QR (the code in
the address) and as JSON.

Shows the holder name, scheme, number, dates and status, nothing else personal; look-ups are rate-limited per
address and logged."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from assessments.certificates import services as certs
from assessments.certificates.forms import VerifyDocumentForm, VerifyForm
from assessments.certificates.models import Certificate, VerificationLookup
from assessments.certificates.services import verification
from assessments.certificates.services.signed_check import check_signed_document
from certportal.net import client_ip


def _limited(request):
    if certs.rate_limited(client_ip(request)):
        return render(request, "assessments/verify.html", {
            "form": VerifyForm(), "error": _("Too many look-ups from your address. Please wait a minute.")},
            status=429)
    return None


@login_not_required
@never_cache
def verify(request):
    """The form (sent by POST, so a NIP typed never lands in an address or a log; ``?kode=`` links still work)."""
    params = request.POST if request.method == "POST" else request.GET
    form = VerifyForm(params or None)
    if not params or not form.is_valid():
        return render(request, "assessments/verify.html", {"form": form})
    if form.cleaned_data.get("code"):
        return redirect(reverse("assessments:verify-code", kwargs={"code": form.cleaned_data["code"]}) + "?src=form")
    return _verify_number(request, form)


def _verify_number(request, form):
    """Number and name or NIP: the certificate, or "no match"; misses limited per address and hour."""
    ip = client_ip(request)
    if verification.number_lookups_spent(ip):
        return render(request, "assessments/verify.html", {"form": form, "error": _(
            "Too many certificate numbers that did not match from your address. Please wait an hour, or enter the "
            "verification code printed beside the QR code.")}, status=429)
    limited = _limited(request)
    if limited:
        return limited
    cert = verification.number_lookup(form.cleaned_data["number"], form.cleaned_data["nama"], ip=ip,
                                      user_agent=request.META.get("HTTP_USER_AGENT", ""))
    if cert is None:
        return render(request, "assessments/verify.html", {"form": form, "number_missed": True}, status=404)
    return render(request, "assessments/verify.html", {"form": form, "data": certs.public_data(cert)})


@login_not_required
@never_cache
def verify_code(request, code):
    limited = _limited(request)
    if limited:
        return limited
    via = "qr" if request.GET.get("src") != "form" else "page"
    cert = certs.verify_lookup(code, via=via, ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", ""))
    data = certs.public_data(cert) if cert else None
    return render(request, "assessments/verify.html", {"form": VerifyForm(initial={"kode": code}), "data": data,
                                                       "searched": code,
                                                       "code": cert.verification_code if cert else ""},
                  status=200 if cert else 404)


@login_not_required
@never_cache
def verify_json(request, code):
    if certs.rate_limited(client_ip(request)):
        return JsonResponse({"error": "rate_limited"}, status=429)
    cert = certs.verify_lookup(code, via="json", ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", ""))
    if cert is None:
        return JsonResponse({"found": False}, status=404)
    response = JsonResponse({"found": True, **certs.public_data(cert)})
    response["Access-Control-Allow-Origin"] = "*"  # employers' systems read it from their own pages
    return response


@login_not_required
@never_cache
def verify_document(request):
    """Upload a PDF: authentic and unchanged, or modified; and the status of its record now. Rate-limited with the
    look-ups by code (the same counter) and logged like them (``via="upload"``, the file's SHA-256 as the code)."""
    form = VerifyDocumentForm(request.POST or None, request.FILES or None)
    check = None
    if request.method == "POST":
        if certs.rate_limited(client_ip(request)):
            return render(request, "assessments/verify_document.html", {
                "form": VerifyDocumentForm(),
                "error": _("Too many look-ups from your address. Please wait a minute.")}, status=429)
        if form.is_valid():
            upload = form.cleaned_data["berkas"]
            upload.seek(0)
            check = check_signed_document(upload.read())
            number = check.certificate.get("number") if check.certificate else None
            cert = Certificate.objects.filter(number=number).first() if number else None
            VerificationLookup.objects.create(code=check.sha256[:64], certificate=cert, via="upload",
                                              ip_address=client_ip(request),
                                              user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])
    return render(request, "assessments/verify_document.html", {"form": form, "check": check},
                  status=400 if request.method == "POST" and not form.is_valid() else 200)
