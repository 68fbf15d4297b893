"""Test settings: SQLite in memory unless DATABASE_URL points elsewhere (CI uses PostgreSQL)."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-only-" + "x" * 50  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
CREDENTIAL_KEY_DIR = str(BASE_DIR / "var" / "test-credentials")
CREDENTIAL_KEY_CREATE = True
# Tests run tasks in-process unless a test starts a real worker (see tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = True
EMBEDDED_TASKS = "inline"  # a test that proves the embedded runner's thread asks for it (tests/core/test_embedded_tasks.py)
TEST_REDIS_URL = env("REDIS_URL", default="") or env("CELERY_BROKER_URL", default="")
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    # A test's commit does not wait for its write-ahead log to reach the disk: nothing of a test run needs to
    # survive a crash of the machine, and the suite commits thousands of times (each transactional test's flush,
    # the migrations of each test database).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
