"""Public certificate verification: by code (form), by QR (the code in the address) and as JSON.

Shows the holder name, scheme, number, dates and status, nothing else personal; look-ups are rate-limited per
address and logged."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from assessments.certificates import services as certs
from assessments.certificates.forms import VerifyDocumentForm, VerifyForm
from assessments.certificates.models import Certificate, VerificationLookup
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
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        code = form.cleaned_data["kode"].strip().upper().replace(" ", "").replace("-", "")
        from django.urls import reverse

        return redirect(reverse("assessments:verify-code", kwargs={"code": code or "-"}) + "?src=form")
    return render(request, "assessments/verify.html", {"form": form})


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
                                                       "searched": code}, status=200 if cert else 404)


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
