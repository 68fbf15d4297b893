"""Electronic signatures (PAdES) on the documents the portal issues.

- :mod:`.backends`: who signs, from ``ESIGN_BACKEND`` — ``none``, ``pkcs12`` (``ESIGN_PKCS12_PATH`` and
  ``ESIGN_PKCS12_PASSWORD``) or ``bsre`` (BSrE's remote signing API, ``ESIGN_BSRE_*``).
- :mod:`.offices`: one signer per signing office: the LSP head (the backend above), each head of an agency and the
  Sekretaris Daerah (their own PKCS#12 files in ``ESIGN_SIGNER_DIR``), so each paper carries its signer's signature.
- :mod:`.pades`: the signature itself (pyHanko), with a visible block: signer, time in WIB, reason.
- :mod:`.services`: :func:`document_sign` signs after rendering and records every attempt; a failure returns the
  document unsigned with the reason kept on the record, never an error instead of the document.
- :mod:`.validation`: pyHanko's validator against ``ESIGN_TRUST_ROOTS`` (authentic, modified, untrusted, unsigned).
- :mod:`.democa`: the demo CA and signers ``load_demo`` creates under ``var/esign`` (tests make their own).

Apps import the names from the submodules (the package imports no Django models at import time).
"""
