"""Who signs: nobody (``none``), a PKCS#12 file held by the portal (``pkcs12``), or BSrE's remote signing service
(``bsre``), chosen by ``ESIGN_BACKEND``. Each backend takes PDF bytes and returns them signed, or raises
:class:`SigningError` with a message a person can act on.

The BSrE adapter follows the shape of BSrE's esign-client API: ``POST {ESIGN_BSRE_URL}/api/sign/pdf`` as
multipart form data (``file``, ``nik``, ``passphrase``, ``tampilan`` = ``visible``, ``page``, ``xAxis``, ``yAxis``,
``width``, ``height``, ``reason``, ``location``, ``text``) with HTTP basic authentication (the client account); the
answer is the signed PDF (``application/pdf``) or a JSON error ``{"error": "...", "status_code": 2031}``.
"""

from __future__ import annotations

import base64
import functools
import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from certportal.errors import ErrorCode, PortalError

from .pades import STAMP_TEXT, sign_with_signer, signature_box, wib_time


class SigningError(PortalError):
    """The document could not be signed; the message says why (in the reader's language)."""


class NoSigner:
    name = "none"

    def sign(self, pdf: bytes, *, reason: str, location: str = "") -> bytes:
        return pdf


class Pkcs12Signer:
    """The LSP's own key and certificate in a PKCS#12 file (``ESIGN_PKCS12_PATH``, ``ESIGN_PKCS12_PASSWORD``)."""

    name = "pkcs12"

    def __init__(self, path: str | Path, password: str, signer_name: str = "", *, office: str = ""):
        self.path, self.password, self.signer_name, self.office = Path(path), password, signer_name, office

    @functools.cached_property
    def signer(self):
        from pyhanko.sign import signers

        try:
            data = self.path.read_bytes()
        except OSError:
            if self.office:
                raise SigningError(_("The signing key of %(office)s, %(path)s, cannot be read (ESIGN_SIGNER_DIR).")
                                   % {"office": self.office, "path": self.path}, code=ErrorCode.ESIGN_NO_KEY) from None
            raise SigningError(_("The signing key file %(path)s cannot be read (ESIGN_PKCS12_PATH).")
                               % {"path": self.path}, code=ErrorCode.ESIGN_NO_KEY) from None
        try:
            return signers.SimpleSigner.load_pkcs12_data(data, [], passphrase=self.password.encode() or None)
        except (ValueError, TypeError):
            if self.office:
                raise SigningError(_("The signing key of %(office)s cannot be opened: the password "
                                     "(ESIGN_SIGNER_PASSWORD) is wrong or the file is not PKCS#12.")
                                   % {"office": self.office}, code=ErrorCode.ESIGN_BAD_KEY) from None
            raise SigningError(_("The signing key file cannot be opened: the password (ESIGN_PKCS12_PASSWORD) is "
                                 "wrong or the file is not PKCS#12."), code=ErrorCode.ESIGN_BAD_KEY) from None

    def display_name(self) -> str:
        if self.signer_name:
            return self.signer_name
        subject = self.signer.signing_cert.subject.native
        return subject.get("common_name") or self.signer.signing_cert.subject.human_friendly

    def sign(self, pdf: bytes, *, reason: str, location: str = "") -> bytes:
        return sign_with_signer(pdf, self.signer, signer_name=self.display_name(), reason=reason, location=location)


class BsreSigner:
    """BSrE (Balai Besar Sertifikasi Elektronik) remote signing: the key never leaves BSrE; the signer's NIK and
    passphrase authorise each signature."""

    name = "bsre"

    def __init__(self, *, url: str, user: str, password: str, nik: str, passphrase: str, timeout: float,
                 signer_name: str = ""):
        self.url, self.user, self.password = url.rstrip("/"), user, password
        self.nik, self.passphrase, self.timeout, self.signer_name = nik, passphrase, timeout, signer_name

    def sign(self, pdf: bytes, *, reason: str, location: str = "") -> bytes:
        page, (x0, y0, x1, y1) = signature_box(pdf)
        text = STAMP_TEXT % {"signer": self.signer_name, "when": wib_time(), "reason": reason}
        fields = {"nik": self.nik, "passphrase": self.passphrase, "tampilan": "visible", "page": str(page + 1),
                  "xAxis": str(x0), "yAxis": str(y0), "width": str(x1 - x0), "height": str(y1 - y0),
                  "reason": reason, "location": location, "text": text}
        body, content_type = _multipart(fields, pdf)
        if not self.url.startswith(("https://", "http://")):
            raise SigningError(_("ESIGN_BSRE_URL must be the http(s) address of the BSrE signing service."),
                               code=ErrorCode.ESIGN_NO_URL)
        url = f"{self.url}/api/sign/pdf"
        request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310 - scheme checked
            "Content-Type": content_type, "Accept": "application/pdf, application/json",
            "Authorization": "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - scheme checked
                data = response.read()
        except urllib.error.HTTPError as exc:
            raise self._refusal(exc.code, exc.read()) from None
        except TimeoutError:
            raise SigningError(_("The BSrE signing service did not answer within %(seconds)s seconds; the document "
                                 "was not signed. Try again later.") % {"seconds": f"{self.timeout:g}"},
                               code=ErrorCode.ESIGN_TIMEOUT) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise SigningError(_("The BSrE signing service did not answer within %(seconds)s seconds; the "
                                     "document was not signed. Try again later.")
                                   % {"seconds": f"{self.timeout:g}"}, code=ErrorCode.ESIGN_TIMEOUT) from None
            raise SigningError(_("The BSrE signing service cannot be reached (%(reason)s); the document was not "
                                 "signed.") % {"reason": reason}, code=ErrorCode.ESIGN_UNREACHABLE) from None
        if not data.startswith(b"%PDF-"):
            raise SigningError(_("The BSrE signing service answered with something that is not a PDF; the document "
                                 "was not signed."), code=ErrorCode.ESIGN_BAD_ANSWER)
        return data

    def _refusal(self, status: int, body: bytes) -> SigningError:
        try:
            answer = json.loads(body.decode("utf-8", "replace"))
        except ValueError:
            answer = {}
        said = str(answer.get("error") or answer.get("message") or "")[:200] if isinstance(answer, dict) else ""
        code = answer.get("status_code") if isinstance(answer, dict) else None
        if status == 401:
            return SigningError(_("The BSrE signing service refused the portal's client account (ESIGN_BSRE_USER, "
                                  "ESIGN_BSRE_PASSWORD)."), code=ErrorCode.ESIGN_CLIENT_REFUSED)
        if code == 2031 or "passphrase" in said.lower():
            return SigningError(_("BSrE refused the signer's passphrase (ESIGN_BSRE_PASSPHRASE); the document was not "
                                  "signed. BSrE said: %(said)s") % {"said": said}, code=ErrorCode.ESIGN_WRONG_PASSPHRASE)
        if code == 2011 or "nik" in said.lower():
            return SigningError(_("BSrE does not know the signer's NIK (ESIGN_BSRE_NIK) or has no certificate for it; "
                                  "the document was not signed. BSrE said: %(said)s") % {"said": said},
                                code=ErrorCode.ESIGN_UNKNOWN_NIK)
        return SigningError(_("The BSrE signing service refused the document (HTTP %(status)s): %(said)s")
                            % {"status": status, "said": said or "-"}, code=ErrorCode.ESIGN_REFUSED)


def _multipart(fields: dict[str, str], pdf: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="document.pdf"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + pdf + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def configured_signer():
    """The backend ``ESIGN_BACKEND`` names, built from the settings."""
    backend = settings.ESIGN_BACKEND
    if backend == "pkcs12":
        return Pkcs12Signer(settings.ESIGN_PKCS12_PATH, settings.ESIGN_PKCS12_PASSWORD, settings.ESIGN_SIGNER_NAME)
    if backend == "bsre":
        return BsreSigner(url=settings.ESIGN_BSRE_URL, user=settings.ESIGN_BSRE_USER,
                          password=settings.ESIGN_BSRE_PASSWORD, nik=settings.ESIGN_BSRE_NIK,
                          passphrase=settings.ESIGN_BSRE_PASSPHRASE, timeout=settings.ESIGN_BSRE_TIMEOUT,
                          signer_name=settings.ESIGN_SIGNER_NAME)
    return NoSigner()
