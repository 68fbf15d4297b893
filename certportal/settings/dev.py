"""Local development: debug pages, a generated secret key kept in ``var/secret_key``."""

import secrets

from .base import *  # noqa: F403
from .base import BASE_DIR, CACHES, env

DEBUG = env.bool("DEBUG", default=True)


def _local_secret_key() -> str:
    """A random key generated once per checkout, so that sessions survive a restart."""
    path = BASE_DIR / "var" / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default="") or _local_secret_key()

# Without CACHE_URL the cache is this process's memory: room for the kept detail pages (a body per reader and
# record, certportal.kept_pages) beside the queues and figures, where Django's 300 entries would drop a third at once.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": 5000, **CACHES["default"].get("OPTIONS", {})}


# `make run` signs the demo documents with the demo signer that `load_demo` creates under var/esign.
ESIGN_BACKEND = env("ESIGN_BACKEND", default="pkcs12")
ESIGN_PKCS12_PASSWORD = env("ESIGN_PKCS12_PASSWORD", default="demo-esign")
ESIGN_SIGNER_PASSWORD = env("ESIGN_SIGNER_PASSWORD", default="demo-esign")  # the demo offices' keys (var/esign/signers)
CREDENTIAL_KEY_CREATE = env.bool("CREDENTIAL_KEY_CREATE", default=True)  # the demo's credential key under var/
