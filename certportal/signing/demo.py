"""``load_demo``: the demo CA and signer under ``var/esign`` so that `make run`'s documents are signed."""

from pathlib import Path

from django.conf import settings

from .democa import ensure_demo_signer


def load(stdout) -> None:
    demo_folder = Path(settings.BASE_DIR) / "var" / "esign"
    key = Path(settings.ESIGN_PKCS12_PATH)
    # Only the demo key's own place: a real signer configured elsewhere is never touched.
    if settings.ESIGN_BACKEND != "pkcs12" or key.resolve().parent != demo_folder.resolve():
        return
    signer = ensure_demo_signer(demo_folder)
    stdout.write(f"E-signatures: demo CA {signer.ca_pem} and signer {signer.p12} (documents are signed with them)")
