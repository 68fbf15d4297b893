"""``load_demo``: the demo CA and signer under ``var/esign`` so that `make run`'s documents are signed; the other
signing offices' demo keys (:func:`office_key`) are issued by the apps whose people sign (the agencies' demo)."""

from pathlib import Path

from django.conf import settings

from .democa import ensure_demo_office, ensure_demo_signer
from .offices import key_path


def _demo_folder() -> Path:
    return Path(settings.BASE_DIR) / "var" / "esign"


def load(stdout) -> None:
    key = Path(settings.ESIGN_PKCS12_PATH)
    # Only the demo key's own place: a real signer configured elsewhere is never touched.
    if settings.ESIGN_BACKEND != "pkcs12" or key.resolve().parent != _demo_folder().resolve():
        return
    signer = ensure_demo_signer(_demo_folder())
    stdout.write(f"E-signatures: demo CA {signer.ca_pem} and signer {signer.p12} (documents are signed with them)")


def office_key(office: str, *, common_name: str, title: str, organisation: str) -> Path | None:
    """The demo key of a signing office (its certificate names ``common_name``, ``title``, ``organisation``),
    issued by the demo CA, when the offices' keys live in the demo's own folder; never a real office's key."""
    folder = _demo_folder()
    if settings.ESIGN_BACKEND != "pkcs12" or key_path(office).resolve().parent != (folder / "signers").resolve():
        return None
    return ensure_demo_office(folder, office, common_name=common_name, title=title, organisation=organisation)
