"""Who signs which paper: one signer per signing office, each with its own key and certificate, so that a verifier
reads from the signature who signed (issue 43).

- the head of the LSP (:data:`LSP_HEAD`): certificates, result letters, decision letters, berita acara. Its key is
  the one ``ESIGN_BACKEND`` names (``ESIGN_PKCS12_PATH``, or BSrE);
- the head of an agency (:func:`agency_head`, ``kepala-<the agency's name as a slug>``) and the Sekretaris Daerah
  (:data:`REGIONAL_SECRETARY`): the agencies' letters. Each is a PKCS#12 file named after the office in
  ``ESIGN_SIGNER_DIR`` (``kepala-dinas-kesehatan.p12``, ``sekretaris-daerah.p12``), protected by
  ``ESIGN_SIGNER_PASSWORD``. An office without its file gets its letters without a PAdES signature (the typed
  signature stands; the record says which file is missing), never another office's signature.

The certificate's subject names the signer (common name), their position (title) and their organisation; the
public check of a PDF reads them from the signature.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.text import slugify

LSP_HEAD = "lsp"
REGIONAL_SECRETARY = "sekretaris-daerah"


def agency_head(agency_name: str) -> str:
    """The office of the head of an agency: ``kepala-dinas-kesehatan`` for Dinas Kesehatan."""
    return f"kepala-{slugify(agency_name)}"


def key_path(office: str) -> Path:
    return Path(settings.ESIGN_SIGNER_DIR) / f"{office}.p12"


def office_signer(office: str = LSP_HEAD):
    """The signer of ``office``: the configured backend for the LSP head, the office's own key file otherwise."""
    from .backends import NoSigner, Pkcs12Signer, configured_signer

    if office == LSP_HEAD:
        return configured_signer()
    if settings.ESIGN_BACKEND == "none":
        return NoSigner()
    return Pkcs12Signer(key_path(office), settings.ESIGN_SIGNER_PASSWORD, office=office)
