"""The issuer's ``image`` in the credentials: the LSP's logo of the day of issue (frozen in the certificate's
snapshot; logos are never overwritten), published at a URL that carries a signed token of the stored file's name
(nobody can ask for another stored file), served only when the bytes are a PNG or a JPEG, with that type and
``nosniff``. No logo: no ``image``."""

from __future__ import annotations

from django.core import signing
from django.http import Http404, HttpResponse
from django.urls import reverse

from certportal.lsp.services import logo_data_uri

LOGO_SALT = "assessments.credential.logo"
TYPES = {"png": "image/png", "jpeg": "image/jpeg"}


def _kind(name: str) -> str:
    uri = logo_data_uri(name) if name else ""
    return "png" if uri.startswith("data:image/png") else "jpeg" if uri.startswith("data:image/jpeg") else ""


def image(snapshot: dict, site) -> dict | None:
    """The OB 3.0 ``Image`` of the LSP logo named in ``snapshot`` (``site`` makes the absolute URL), or None."""
    name = (snapshot.get("lsp") or {}).get("logo") or ""
    kind = _kind(name)
    if not kind:
        return None
    token = signing.dumps(name, salt=LOGO_SALT)
    url = site(reverse("assessments:credential-logo", kwargs={"token": token, "ext": "png" if kind == "png" else "jpg"}))
    return {"id": url, "type": "Image", "caption": "LSP logo"}


def response(token: str, ext: str) -> HttpResponse:
    try:
        name = signing.loads(token, salt=LOGO_SALT)
    except signing.BadSignature:
        raise Http404 from None
    import base64

    kind = _kind(str(name))
    if not kind or ext != ("png" if kind == "png" else "jpg"):
        raise Http404
    data = base64.b64decode(logo_data_uri(str(name)).split(",", 1)[1])
    served = HttpResponse(data, content_type=TYPES[kind])
    served["X-Content-Type-Options"] = "nosniff"
    served["Cache-Control"] = "public, max-age=86400"
    served["Access-Control-Allow-Origin"] = "*"
    served["Content-Disposition"] = f'inline; filename="lsp-logo.{ext}"'
    served._csp_update = {"sandbox": []}
    return served
