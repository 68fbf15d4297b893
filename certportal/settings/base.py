"""Shared settings, read from the environment with defaults that need nothing installed.

Defaults give a working local portal: SQLite in the project folder, Celery tasks run in-process,
e-mail printed to the console. Production (``certportal.settings.prod``) refuses to start without a real
``SECRET_KEY`` and allowed hosts.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from .environment import BASE_DIR, ENV_FILE, env  # noqa: F401 - ENV_FILE is read by the deploy checks

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
# Rotating the key: put the old one here (comma-separated) so sessions, password-reset links and signed values
# made with it stay valid while they expire; remove it after SESSION_COOKIE_AGE (two weeks).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The portal's address in e-mails, QR codes and the demo's printout. Unset, it follows the port `make run PORT=…`
# serves on (PORT, default 8000) on this machine.
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip("/")

INSTALLED_APPS = [
    # core first: its templates and translations are the base every app builds on
    "certportal.apps.CoreConfig",
    "certportal.accounts",
    "certportal.audit",
    "certportal.notifications",
    "certportal.outbox",
    "certportal.sla",
    "certportal.jobs",
    "certportal.exportjobs",
    "certportal.signing",
    "certportal.lsp",
    # domain apps, in dependency order (demo and reference data load in this order too)
    "schemes",
    "applicants",
    "assessments",
    "complaints",
    "agencies",
    "quality",
    # third party
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "csp",
    "ninja",
    # django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "certportal.observability.RequestIdMiddleware",  # first: its id and duration cover everything below
    # request latency for /metrics, which it answers itself (before host validation, as /healthz; certportal/metrics.py)
    "certportal.metrics.RequestMetricsMiddleware",
    # /healthz answers container probes before host validation (they call 127.0.0.1, not the site's name)
    "certportal.middleware.HealthzMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # the client's address behind TRUSTED_PROXY_COUNT proxies, for limits, lockouts and the audit trail
    "certportal.net.ClientAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # a cookie with a control character is dropped before the session reads it (certportal/inputguard.py)
    "certportal.inputguard.CookieGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "certportal.accounts.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # every private download (a file, a PDF, a credential, an export, a personal-data ZIP) is sent no-store
    "certportal.middleware.PrivateDownloadMiddleware",
    "certportal.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "certportal.accounts.sessions.SessionLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # NUL and other control characters, bytes that are not UTF-8, overlong input: 400 before any view (one guard)
    "certportal.inputguard.InputGuardMiddleware",
    # a view whose database connection broke in flight: one retry of a read, else 503 (certportal/dbdown.py)
    "certportal.dbdown.DatabaseUnavailableMiddleware",
    # axes last, as its documentation asks
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "certportal.urls"
WSGI_APPLICATION = "certportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # the project's templates, then those of the assessments app's rooms (names stay "assessments/…")
        "DIRS": [BASE_DIR / "templates", *(BASE_DIR / "assessments" / room / "templates"
                                           for room in ("events", "instruments", "certificates"))],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "certportal.context_processors.portal",
            ],
            # |day and |wib (certportal/dates.py): the one date style a person reads, in every template
            "builtins": ["certportal.dates", "certportal.sentences"],
        },
    },
]

# --- database ---------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Keep PostgreSQL connections open between requests: a new connection costs more than a page's queries.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves a handful of people at once (a demo for a room, a small LSP). SQLite has one
    # writer at a time: a transaction that read first and then wants to write while another writes is refused at
    # once ("database is locked", a 500), whatever the timeout. So every transaction takes the write lock when it
    # begins (IMMEDIATE) and waits up to SQLITE_BUSY_SECONDS for it; write-ahead logging lets pages be read while
    # someone writes. Django 5.1+ reads these OPTIONS.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": env.float("SQLITE_BUSY_SECONDS", default=20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "public-home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
# Sessions end after this long without a request, and this long after logging in at most (OWASP ASVS 3.3).
# Applicants fill long forms about themselves only: a longer idle limit (see certportal/accounts/sessions.py).
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
STAFF_SESSION_MAX_HOURS = env.int("STAFF_SESSION_MAX_HOURS", default=12)
APPLICANT_SESSION_IDLE_MINUTES = env.int("APPLICANT_SESSION_IDLE_MINUTES", default=120)
APPLICANT_SESSION_MAX_HOURS = env.int("APPLICANT_SESSION_MAX_HOURS", default=24)
SESSION_COOKIE_AGE = max(STAFF_SESSION_MAX_HOURS, APPLICANT_SESSION_MAX_HOURS) * 3600
EMAIL_CONFIRMATION_MAX_AGE = 60 * 60 * 24 * 7  # a week to confirm an address

# Lock an account+address pair for 15 minutes after 5 failed logins (django-axes).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ...and every login from an address that failed this many times across accounts within the same window
# (password spraying: certportal.accounts.spraying). An office behind one address stays well under it.
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Every part of the portal reads the client address the same way (see certportal/net.py).
AXES_CLIENT_IP_CALLABLE = "certportal.net.client_ip"

# --- reverse proxy -----------------------------------------------------------------
# Proxies in front of the portal that append to X-Forwarded-For (one nginx: 1). 0 = use the connection's address.
# The client address is the TRUSTED_PROXY_COUNT-th from the right; the portal must not be reachable around them.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- i18n -----------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"  # log lines give their times in it too (certportal/logrules.py)
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
FORMAT_MODULE_PATH = ["certportal.formats"]

# --- static and private media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even before collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Private files (dossiers, attachments, issued PDFs) live outside any served folder and are only
# ever sent through views that check who is asking. There is deliberately no MEDIA_URL.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
# Set a bucket to keep private files in S3-compatible object storage instead (several web/worker hosts share it).
# Objects are private; downloads still stream through the portal's permission-checked views (certportal/files.py).
PRIVATE_STORAGE_S3_BUCKET = env("PRIVATE_STORAGE_S3_BUCKET", default="")
PRIVATE_STORAGE_S3_ENDPOINT_URL = env("PRIVATE_STORAGE_S3_ENDPOINT_URL", default="")  # empty = AWS itself
PRIVATE_STORAGE_S3_ACCESS_KEY_ID = env("PRIVATE_STORAGE_S3_ACCESS_KEY_ID", default="")
PRIVATE_STORAGE_S3_SECRET_ACCESS_KEY = env("PRIVATE_STORAGE_S3_SECRET_ACCESS_KEY", default="")
PRIVATE_STORAGE_S3_REGION = env("PRIVATE_STORAGE_S3_REGION", default="")
PRIVATE_STORAGE_S3_PREFIX = env("PRIVATE_STORAGE_S3_PREFIX", default="")  # key prefix inside the bucket
PRIVATE_STORAGE_S3_ADDRESSING_STYLE = env("PRIVATE_STORAGE_S3_ADDRESSING_STYLE", default="path")  # MinIO needs path
MAX_UPLOAD_MB = env.float("MAX_UPLOAD_MB", default=5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- e-mail -----------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Portal Sertifikasi <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that is down or refuses is tried again this many times (backoff 1, 2, 4... seconds); then the
# e-mail is marked failed in the outbox, for the LSP admin to send again (/surel-gagal/).
EMAIL_SEND_RETRIES = env.int("EMAIL_SEND_RETRIES", default=5)

# --- celery -------------------------------------------------------------------------
# Without a broker URL, tasks run in-process at once (eagerly): the local portal needs no Redis.
CELERY_BROKER_URL = env("REDIS_URL", default="") or env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Without a broker, where a server runs its tasks: "thread" (the default), on EMBEDDED_TASK_THREADS threads beside
# it after the request's commit, so no click waits for a PDF and the job's page shows its progress; "inline", in
# the request after its commit (certportal.outbox.embedded). Management commands and the tests run them inline.
EMBEDDED_TASKS = env("EMBEDDED_TASKS", default="thread")
EMBEDDED_TASK_THREADS = env.int("EMBEDDED_TASK_THREADS", default=2)
CELERY_RESULT_BACKEND = CELERY_BROKER_URL or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down must not hold a request: connecting and publishing give up within about a second
# (BROKER_TIMEOUT_SECONDS); the request stays in the outbox (certportal.outbox) and is relayed later.
BROKER_TIMEOUT_SECONDS = env.float("BROKER_TIMEOUT_SECONDS", default=1.0)
# A task taken by a worker that then died (kill -9, power lost) waits in Redis' "unacked" set and is handed out
# again once BROKER_VISIBILITY_TIMEOUT_SECONDS have passed since it was delivered (kombu's default: one hour); each
# worker looks for such tasks every BROKER_RESTORE_SECONDS. The timeout exceeds the longest task (an event's ZIP of
# assessment files, minutes); a job task that outlives it anyway is safe: the copy handed out again finds the job's
# heartbeat fresh and leaves it (certportal.jobs). A job whose worker died is resumed sooner by the job sweep.
# The look takes a lock in Redis that would outlive a worker killed while holding it for kombu's default five
# minutes, during which no worker hands anything out again: it expires after two intervals here.
BROKER_VISIBILITY_TIMEOUT_SECONDS = env.int("BROKER_VISIBILITY_TIMEOUT_SECONDS", default=1800)
BROKER_RESTORE_SECONDS = env.int("BROKER_RESTORE_SECONDS", default=30)
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
                                   "socket_timeout": BROKER_TIMEOUT_SECONDS * 2, "max_retries": 0,
                                   "retry_on_timeout": False, "visibility_timeout": BROKER_VISIBILITY_TIMEOUT_SECONDS,
                                   "unacked_restore_interval": BROKER_RESTORE_SECONDS, "unacked_restore_throttle": 1,
                                   "unacked_mutex_expire": max(5, 2 * BROKER_RESTORE_SECONDS)}
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
# The result store (the same Redis) is also reached when a task is published: no 20 reconnect attempts there.
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 0}}
CELERY_BEAT_SCHEDULE: dict = {}



def fail_soft_cache(config: dict) -> dict:
    """A Redis cache (CACHE_URL, in production REDIS_URL by default) through certportal.cache.FailSoftRedisCache:
    Redis down, every cache call degrades to a miss and the page is computed from the database (runbook)."""
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        config = {**config, "BACKEND": "certportal.cache.FailSoftRedisCache"}
    return config


CACHES = {"default": fail_soft_cache(env.cache("CACHE_URL", default="locmemcache://"))}
# A Redis cache gives up on a call after CACHE_TIMEOUT_SECONDS, then leaves Redis alone for CACHE_RETRY_SECONDS.
CACHE_TIMEOUT_SECONDS = env.float("CACHE_TIMEOUT_SECONDS", default=1.0)
CACHE_RETRY_SECONDS = env.float("CACHE_RETRY_SECONDS", default=5.0)

# --- forms and UI -------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Widgets drawn by Django's own Jinja2 templates of them (pages stay Django's): its template language includes two
# templates per option of a select, a third of a filtered list's CPU (issue 47; docs/benchmarks.md)
FORM_RENDERER = "django.forms.renderers.Jinja2"
PORTAL_NAME = env("PORTAL_NAME", default="Portal Sertifikasi Kompetensi ASN")
PORTAL_AGENCY = env("PORTAL_AGENCY", default="BKPSDM")
# The privacy notice (/privasi/): who controls the personal data (UU 27/2022) and where a person asks about it.
PRIVACY_CONTROLLER = env("PRIVACY_CONTROLLER", default="") or PORTAL_AGENCY
PRIVACY_CONTACT_EMAIL = env("PRIVACY_CONTACT_EMAIL", default="")
PRIVACY_CONTACT_ADDRESS = env("PRIVACY_CONTACT_ADDRESS", default="")
# Records retention (ISO/IEC 17024 7.4, UU 27/2022; quality.retention): the years each kind of record keeps the
# person's data after it ended, shown in the privacy notice. Past it, the LSP admin's yearly disposal list, once
# approved, anonymises the person (the audit trail keeps its rows, with a pseudonym). A certificate stays as it is
# while it can be verified, and for RETENTION_CERTIFICATE_YEARS after its expiry.
RETENTION_APPLICANT_YEARS = env.int("RETENTION_APPLICANT_YEARS", default=5)  # after the last application ended
RETENTION_COMPLAINT_YEARS = env.int("RETENTION_COMPLAINT_YEARS", default=3)  # after the complaint was closed
RETENTION_CERTIFICATE_YEARS = env.int("RETENTION_CERTIFICATE_YEARS", default=5)  # after the certificate expired
# A misuse report's reporter (name, contact, address, evidence files): after the report was handled.
RETENTION_MISUSE_YEARS = env.int("RETENTION_MISUSE_YEARS", default=3)
# An applicant account that never applied (account and profile): after its last log-in, or its registration.
RETENTION_UNUSED_ACCOUNT_YEARS = env.int("RETENTION_UNUSED_ACCOUNT_YEARS", default=2)
# An uploaded import file (the roster from SIASN, the LSP's certificate register, its assessors and test sites) and its
# stored reading: after the import ended (imported, discarded or failed). What it imported stays; the audit trail
# keeps who imported which file.
RETENTION_IMPORT_FILE_YEARS = env.int("RETENTION_IMPORT_FILE_YEARS", default=2)

# --- security headers (strict values are switched on in prod) --------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

# LOG_FORMAT=json: one JSON object per line (for a log shipper); default: readable text. Every line carries the
# request id (X-Request-ID). One line per request (certportal.request) is written in JSON mode, where the
# proxy's and gunicorn's access logs may not reach the shipper; in text mode runserver/gunicorn already show it.
LOG_FORMAT = env("LOG_FORMAT", default="text")
PDF_LIBRARY_LOGGERS = ("weasyprint", "fontTools", "pikepdf")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "certportal.observability.RequestIdFilter"},
                "redact": {"()": "certportal.observability.RedactFilter"}},
    # Times in ISO 8601 with the offset; one-time links and secrets [redacted] in every line (docs/security.md).
    "formatters": {
        "text": {"()": "certportal.observability.TextFormatter",
                 "fmt": "%(asctime)s %(levelname)s %(processName)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "certportal.observability.JsonFormatter",
                 "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                 "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id", "redact"],
                             "formatter": "json" if LOG_FORMAT == "json" else "text"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"},
                "certportal.request": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
                # the PDF libraries' progress (WeasyPrint: eight lines a document, fontTools' subsetting, pikepdf's
                # start): `make run`'s demo printed about sixty such lines over the confirmation e-mail a newcomer
                # looks for; their warnings and errors still show
                **{name: {"level": "WARNING"} for name in PDF_LIBRARY_LOGGERS}},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs through LOGGING above too (its times, ids, redaction)
if CELERY_TASK_ALWAYS_EAGER:  # in-process tasks: no "Task ... succeeded" line per e-mail in the console
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}

# --- operations ---
# /metrics (Prometheus' text format, certportal/metrics.py) answers only a scraper that sends
# "Authorization: Bearer <METRICS_TOKEN>"; unset, the address does not exist (404).
METRICS_TOKEN = env("METRICS_TOKEN", default="")
# The worker stamps a heartbeat every WORKER_HEARTBEAT_SECONDS (beat schedules it); /healthz calls it "stale"
# past WORKER_HEARTBEAT_STALE_SECONDS (default 5 minutes) but stays 200: see certportal/views.py healthz.
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=60)
WORKER_HEARTBEAT_STALE_SECONDS = env.int("WORKER_HEARTBEAT_STALE_SECONDS", default=300)
CELERY_BEAT_SCHEDULE["worker-heartbeat"] = {"task": "certportal.tasks.heartbeat", "schedule": WORKER_HEARTBEAT_SECONDS,
                                            "options": {"expires": WORKER_HEARTBEAT_SECONDS}}

# --- complaints ---
# Public complaint form: at most this many filings per address per hour (0 = no limit).
COMPLAINTS_PUBLIC_PER_HOUR = env.int("COMPLAINTS_PUBLIC_PER_HOUR", default=10)
# Tracking look-ups (tracking number + e-mail or phone) per address per hour (0 = no limit).
COMPLAINTS_TRACK_LOOKUPS_PER_HOUR = env.int("COMPLAINTS_TRACK_LOOKUPS_PER_HOUR", default=20)

# --- sla ---
# The reminder sweep (due-soon warnings, breach notices, escalations) runs every SLA_SWEEP_MINUTES (default 15;
# fractions allowed, e.g. 0.1 in the production smoke test).
SLA_SWEEP_SECONDS = max(env.float("SLA_SWEEP_MINUTES", default=15) * 60, 1.0)
# The supervisor dashboard's figures are the same for every reader: kept this many seconds (every clock saved or
# deleted refreshes them; 0 = off).
SLA_DASHBOARD_CACHE_SECONDS = env.int("SLA_DASHBOARD_CACHE_SECONDS", default=60)
# Report figures that are the same for every reader (complaint report, satisfaction index): kept this long, and
# forgotten at once by any change of what they count (certportal/figures.py).
REPORT_FIGURES_CACHE_SECONDS = env.int("REPORT_FIGURES_CACHE_SECONDS", default=60)
CELERY_BEAT_SCHEDULE["sla-sweep"] = {
    "task": "certportal.sla.tasks.sweep",
    "schedule": SLA_SWEEP_SECONDS,
    "options": {"expires": SLA_SWEEP_SECONDS},
}

# --- outbox ---
# Every OUTBOX_RELAY_SECONDS (default 60) beat hands over the task requests a broker outage left pending.
CELERY_BEAT_SCHEDULE["outbox-relay"] = {"task": "certportal.outbox.tasks.relay",
                                        "schedule": env.int("OUTBOX_RELAY_SECONDS", default=60),
                                        "options": {"expires": env.int("OUTBOX_RELAY_SECONDS", default=60)}}
# A request the broker refused OUTBOX_MAX_ATTEMPTS times, or still waiting to be handed over after
# OUTBOX_PENDING_MINUTES, is marked failed (shown to the LSP admin at /surel-gagal/, who may send it again).
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_PENDING_MINUTES = env.int("OUTBOX_PENDING_MINUTES", default=24 * 60)

# --- assessments ---
# Days after the certification decision within which a "not yet competent" participant may appeal.
ASSESSMENT_APPEAL_WINDOW_DAYS = env.int("ASSESSMENT_APPEAL_WINDOW_DAYS", default=14)
# Certificate / result-letter numbers: {seq} (sequence per year), {year}, {month}.
ASSESSMENT_CERTIFICATE_NUMBER_FORMAT = env("ASSESSMENT_CERTIFICATE_NUMBER_FORMAT",
                                           default="{seq:05d}/SKK/LSP-BPSDM/{year}")
ASSESSMENT_LETTER_NUMBER_FORMAT = env("ASSESSMENT_LETTER_NUMBER_FORMAT", default="{seq:05d}/SKHUK/LSP-BPSDM/{year}")
ASSESSMENT_LSP_NAME = env("ASSESSMENT_LSP_NAME", default="LSP BPSDM Provinsi DKI Jakarta")
# Seed 001 item 2.8: the certificate is handed over by the BKPSDM officer (the verifier). Where the LSP admin must
# hand over too, this is switched on; the public service-standard page says which holds.
ASSESSMENT_LSP_ADMIN_HANDS_OVER = env.bool("ASSESSMENT_LSP_ADMIN_HANDS_OVER", default=False)
# Public certificate look-ups per IP address per minute (0 = no limit); worker processes for event printing.
ASSESSMENT_VERIFY_PER_MINUTE = env.int("ASSESSMENT_VERIFY_PER_MINUTE", default=30)
# Look-ups by certificate number and holder's name or NIP that match nothing, per address per hour (0 = no limit).
ASSESSMENT_VERIFY_NUMBER_MISSES_PER_HOUR = env.int("ASSESSMENT_VERIFY_NUMBER_MISSES_PER_HOUR", default=10)
# Reports of certificate or mark misuse from the public verification page, per address per hour (issue 30).
ASSESSMENT_MISUSE_REPORTS_PER_HOUR = env.int("ASSESSMENT_MISUSE_REPORTS_PER_HOUR", default=5)
# Holders are reminded this many months before their certificate expires, once each (by the SLA sweep).
ASSESSMENT_EXPIRY_REMINDER_MONTHS = [int(m) for m in env.list("ASSESSMENT_EXPIRY_REMINDER_MONTHS", default=["6", "3"])]
# Surveillance (schemes set to yearly): days after each anniversary before missing evidence is put to the admin.
ASSESSMENT_SURVEILLANCE_GRACE_DAYS = env.int("ASSESSMENT_SURVEILLANCE_GRACE_DAYS", default=30)
# The employers' API (/api/v1/): calls per token per minute (0 = no limit).
ASSESSMENT_API_PER_MINUTE = env.int("ASSESSMENT_API_PER_MINUTE", default=60)
# A token expires this many days after it is issued or renewed; it is locked (and the LSP admins told) when its
# look-ups find nothing more than ASSESSMENT_API_MISSES_PER_DAY times in one day.
ASSESSMENT_API_TOKEN_DAYS = env.int("ASSESSMENT_API_TOKEN_DAYS", default=365)
ASSESSMENT_API_MISSES_PER_DAY = env.int("ASSESSMENT_API_MISSES_PER_DAY", default=25)
# Printing a whole event: chunks of at most ASSESSMENT_PRINT_CHUNK documents, rendered by separate tasks, their
# number rounded up to a multiple of ASSESSMENT_PRINT_PROCESSES (the worker processes expected to share it).
ASSESSMENT_PRINT_PROCESSES = env.int("ASSESSMENT_PRINT_PROCESSES", default=1)
ASSESSMENT_PRINT_CHUNK = env.int("ASSESSMENT_PRINT_CHUNK", default=50)
# A print job still queued (no worker took it) or running without progress after this many minutes is failed
# with the reason by a periodic check (every 5 minutes); the LSP admin may retry it.
ASSESSMENT_PRINT_QUEUED_MINUTES = env.int("ASSESSMENT_PRINT_QUEUED_MINUTES", default=30)
ASSESSMENT_PRINT_RUNNING_MINUTES = env.int("ASSESSMENT_PRINT_RUNNING_MINUTES", default=15)
# Electronic signatures (PAdES) on certificates, result letters and berita acara: none | pkcs12 | bsre.
ESIGN_BACKEND = env("ESIGN_BACKEND", default="none")
ESIGN_SIGNER_NAME = env("ESIGN_SIGNER_NAME", default="")  # printed in the signature block (default: the key's name)
ESIGN_LOCATION = env("ESIGN_LOCATION", default="Jakarta")
ESIGN_PKCS12_PATH = env("ESIGN_PKCS12_PATH", default=str(BASE_DIR / "var" / "esign" / "signer.p12"))
ESIGN_PKCS12_PASSWORD = env("ESIGN_PKCS12_PASSWORD", default="")
# The other signing offices' keys (the heads of agencies, the Sekretaris Daerah: certportal/signing/offices.py), one
# PKCS#12 file per office named after it, e.g. kepala-dinas-kesehatan.p12, sekretaris-daerah.p12; and their password.
ESIGN_SIGNER_DIR = env("ESIGN_SIGNER_DIR", default=str(BASE_DIR / "var" / "esign" / "signers"))
ESIGN_SIGNER_PASSWORD = env("ESIGN_SIGNER_PASSWORD", default="")
# BSrE remote signing (esign-client API shape): base URL, the client account, the signer's NIK and passphrase.
ESIGN_BSRE_URL = env("ESIGN_BSRE_URL", default="")
ESIGN_BSRE_USER = env("ESIGN_BSRE_USER", default="")
ESIGN_BSRE_PASSWORD = env("ESIGN_BSRE_PASSWORD", default="")
ESIGN_BSRE_NIK = env("ESIGN_BSRE_NIK", default="")
ESIGN_BSRE_PASSPHRASE = env("ESIGN_BSRE_PASSPHRASE", default="")
ESIGN_BSRE_TIMEOUT = env.float("ESIGN_BSRE_TIMEOUT", default=20.0)
# Root certificates (PEM files, comma-separated) a signature must chain to for the public page to call it authentic.
ESIGN_TRUST_ROOTS = env.list("ESIGN_TRUST_ROOTS", default=[str(BASE_DIR / "var" / "esign" / "ca.pem")])
# Open Badges 3.0 credentials (issue 31): the LSP's Ed25519 keys (JWK files; the newest signs, all stay published);
# made on first use only where CREDENTIAL_KEY_CREATE is on (development, demo, tests).
CREDENTIAL_KEY_DIR = env("CREDENTIAL_KEY_DIR", default=str(BASE_DIR / "var" / "credentials"))
CREDENTIAL_KEY_CREATE = env.bool("CREDENTIAL_KEY_CREATE", default=False)
CREDENTIAL_UPLOAD_MAX_BYTES = env.int("CREDENTIAL_UPLOAD_MAX_BYTES", default=256 * 1024)
# Background exports (issue 17): an export of more rows than this runs as a Celery job with a progress page.
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=20_000)
EXPORT_JOB_QUEUED_MINUTES = env.int("EXPORT_JOB_QUEUED_MINUTES", default=30)
EXPORT_JOB_RUNNING_MINUTES = env.int("EXPORT_JOB_RUNNING_MINUTES", default=15)
# A running job whose heartbeat (its last part done) is older than JOB_HEARTBEAT_STALE_SECONDS has lost its worker:
# the next task that comes for it (handed out again by Redis, or sent by the sweep) takes it over and resumes it
# from the parts already done. No part of a job (a print chunk, a page of a decree, a file of a ZIP) may take longer.
# A job taken over JOB_MAX_ATTEMPTS times (it kills its worker each time) is failed with the reason.
JOB_HEARTBEAT_STALE_SECONDS = env.int("JOB_HEARTBEAT_STALE_SECONDS", default=300)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)
# One sweep (certportal.jobs) resumes every background job (print, export, decree import) whose worker died and
# fails those that no worker took within their kind's limit.
CELERY_BEAT_SCHEDULE["background-job-sweep"] = {"task": "certportal.jobs.tasks.sweep", "schedule": 300,
                                                "options": {"expires": 300}}
from .jobs import *  # noqa: E402,F401,F403 - each import job's limits (certportal/settings/jobs.py)

# --- applicants ---
# The verifier queue caches its counts per status this many seconds (every status change refreshes them; 0 = off).
APPLICANTS_QUEUE_COUNTS_SECONDS = env.int("APPLICANTS_QUEUE_COUNTS_SECONDS", default=60)
# The completeness check (seed 001 step 2) the portal promises: this many working days after (re)submission.
# The queue shows the date for new and resubmitted dossiers (the service clock starts only once complete).
APPLICANTS_COMPLETENESS_DAYS = env.int("APPLICANTS_COMPLETENESS_DAYS", default=3)
# Verifiers get the day's new and resubmitted dossiers as one e-mail (each may switch it off on the queue).
# The LSP's periodic duties (reports to BNSP, internal audit, management review, threat analysis, TUK verification):
# once a day their owners are reminded before each is due and once it is overdue (quality.system.duties).
CELERY_BEAT_SCHEDULE["quality-duty-reminders"] = {"task": "quality.system.tasks.remind_duties",
                                                  "schedule": 24 * 3600, "options": {"expires": 3600}}
CELERY_BEAT_SCHEDULE["applicants-verifier-digest"] = {"task": "applicants.tasks.verifier_digest",
                                                      "schedule": 24 * 3600, "options": {"expires": 3600}}
# Once a night the agency stamped on each application is checked against the roster's rule and healed where two
# changes at once left it stale (agencies.roster.heal).
CELERY_BEAT_SCHEDULE["agencies-restamp"] = {"task": "agencies.tasks.restamp", "schedule": 24 * 3600,
                                            "options": {"expires": 3600}}
