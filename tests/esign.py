"""Electronic-signature helpers for tests: a throw-away CA and signer per test, and a stand-in for BSrE's remote
signing service (a real HTTP server on 127.0.0.1 that signs with that CA), so the adapter is tested over HTTP."""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from certportal.signing.democa import DEMO_PASSWORD, ensure_demo_office, ensure_demo_signer
from certportal.signing.validation import trust_roots, validate_pdf


def throwaway_signer(tmp_path, settings):
    """The portal signs with a CA made for this test only (PKCS#12 backend) and trusts only that CA."""
    signer = ensure_demo_signer(tmp_path / "esign")
    settings.ESIGN_BACKEND = "pkcs12"
    settings.ESIGN_PKCS12_PATH = str(signer.p12)
    settings.ESIGN_PKCS12_PASSWORD = DEMO_PASSWORD
    settings.ESIGN_SIGNER_NAME = "Dra. Kepala LSP"
    settings.ESIGN_TRUST_ROOTS = [str(signer.ca_pem)]
    settings.ESIGN_SIGNER_DIR = str(tmp_path / "esign" / "signers")  # the other offices' keys: office_key()
    settings.ESIGN_SIGNER_PASSWORD = DEMO_PASSWORD
    return signer


def office_key(tmp_path, office: str, common_name: str, title: str, organisation: str = "Pemerintah Provinsi Uji"):
    """The key of one signing office (certportal.signing.offices) from the throw-away CA of
    :func:`throwaway_signer`, where its settings look for it."""
    return ensure_demo_office(tmp_path / "esign", office, common_name=common_name, title=title,
                              organisation=organisation)


def validate_against(pdf: bytes, ca_pem: Path):
    return validate_pdf(pdf, roots=trust_roots([ca_pem]))


def one_byte_changed(pdf: bytes) -> bytes:
    """The same file with one byte of the signed content changed: a digit of the document's first object number
    line... simply the middle of the first page's content, far from the signature's own bytes."""
    at = pdf.index(b"/Producer") + 12  # a letter inside the producer's name, in the signed part of the file
    changed = bytearray(pdf)
    changed[at] = ord("X") if changed[at] != ord("X") else ord("Y")
    return bytes(changed)


@dataclass
class BsreStandIn:
    """BSrE's esign-client API as this portal calls it: ``POST /api/sign/pdf``, basic auth, multipart form."""

    p12: Path
    user: str = "portal-client"
    password: str = "client-secret"  # noqa: S105
    nik: str = "3171234567890001"
    passphrase: str = "Passphrase-Benar"  # noqa: S105
    delay: float = 0.0
    requests: list = field(default_factory=list)

    def start(self) -> str:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stand_in.handle(self, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, handler, body: bytes) -> None:
        auth = handler.headers.get("Authorization", "")
        expected = "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        form = _parse_multipart(handler.headers["Content-Type"], body)
        self.requests.append({"path": handler.path, "fields": {k: v for k, v in form.items() if k != "file"}})
        if handler.path != "/api/sign/pdf":
            return _answer(handler, 404, {"error": "Not found", "status_code": 404})
        if auth != expected:
            return _answer(handler, 401, {"error": "Unauthorized", "status_code": 401})
        if form.get("nik") != self.nik:
            return _answer(handler, 400, {"error": "NIK tidak terdaftar", "status_code": 2011})
        if form.get("passphrase") != self.passphrase:
            return _answer(handler, 400, {"error": "Passphrase anda salah", "status_code": 2031})
        if self.delay:
            time.sleep(self.delay)
        signed = self._sign(form)
        handler.send_response(200)
        handler.send_header("Content-Type", "application/pdf")
        handler.send_header("Content-Length", str(len(signed)))
        handler.end_headers()
        handler.wfile.write(signed)

    def _sign(self, form: dict) -> bytes:
        from pyhanko.sign import signers

        from certportal.signing.pades import sign_with_signer

        signer = signers.SimpleSigner.load_pkcs12_data(self.p12.read_bytes(), [], passphrase=DEMO_PASSWORD.encode())
        x, y, w, h = (int(float(form[k])) for k in ("xAxis", "yAxis", "width", "height"))
        return sign_with_signer(form["file"], signer, signer_name="Penandatangan BSrE", reason=form["reason"],
                                location=form.get("location", ""), page=int(form["page"]) - 1,
                                box=(x, y, x + w, y + h))


def _parse_multipart(content_type: str, body: bytes) -> dict:
    """The form's fields, the file as bytes (split on the boundary by hand: binary parts stay byte for byte)."""
    boundary = content_type.split("boundary=", 1)[1].strip().encode()
    out = {}
    for part in body.split(b"--" + boundary)[1:-1]:
        head, _sep, payload = part[2:].partition(b"\r\n\r\n")
        name = re.search(rb'name="([^"]+)"', head).group(1).decode()
        payload = payload[:-2]  # the CRLF before the next boundary
        out[name] = payload if name == "file" else payload.decode()
    return out


def _answer(handler, status: int, data: dict) -> None:
    body = json.dumps(data).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
