"""What operators see: a request id on every log line, JSON logs on demand, task failures, the worker heartbeat.

- :class:`RequestIdMiddleware` honours an incoming ``X-Request-ID`` (a proxy's, e.g. nginx ``$request_id``) or makes
  one, sends it back in the response, and logs one line per request (``certportal.request``: request id, user id,
  method, path, status, duration). :class:`RequestIdFilter` puts the id on every record logged meanwhile.
- ``LOG_FORMAT=json`` switches the console to one JSON object per line (python-json-logger), see settings.
- A Celery task that fails is logged with the task's id, its name and the job's id (the first argument: our tasks
  take the id of the row they work on).
- The worker stamps a heartbeat in the broker's Redis (shared by every host) once a minute, via beat;
  ``/healthz`` reports its age.
"""

import contextvars
import logging
import re
import time
import uuid

from celery.signals import task_failure
from django.conf import settings

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")  # anything else (spaces, newlines, huge) is replaced
HEARTBEAT_KEY = "certportal:worker-heartbeat"
request_log = logging.getLogger("certportal.request")
task_log = logging.getLogger("certportal.tasks")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get() or "-"
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            request_log.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"request_id": request_id, "user_id": user.pk if user and user.is_authenticated else None,
                       "method": request.method, "path": request.path, "status": response.status_code,
                       "duration_ms": round((time.monotonic() - started) * 1000, 1)})
            return response
        finally:
            request_id_var.reset(token)


@task_failure.connect
def log_task_failure(sender=None, task_id=None, exception=None, args=None, einfo=None, **kwargs):
    job_id = args[0] if args and isinstance(args[0], int) else None
    task_log.error("task %s failed for job %s: %r", getattr(sender, "name", sender), job_id, exception,
                   exc_info=einfo.exc_info if einfo else None,
                   extra={"task_id": task_id, "task": getattr(sender, "name", str(sender)), "job_id": job_id})


def storage_status() -> str:
    """'ok' when a probe object can be written, read back and deleted in the private storage, else 'down'."""
    from django.core.files.base import ContentFile

    from .files import private_storage

    probe = f"healthz/{uuid.uuid4().hex}"
    try:
        name = private_storage.save(probe, ContentFile(b"ok"))
        try:
            with private_storage.open(name, "rb") as fh:
                ok = fh.read() == b"ok"
        finally:
            private_storage.delete(name)
        return "ok" if ok else "down"
    except Exception:
        logging.getLogger(__name__).exception("private storage probe failed")
        return "down"


def _broker():
    import redis

    return redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)


def heartbeat_stamp() -> float:
    now = time.time()
    _broker().set(HEARTBEAT_KEY, repr(now), ex=24 * 3600)
    return now


def worker_status() -> tuple[str, float | None]:
    """('eager', None) without a broker; ('ok'|'stale', age in seconds); ('missing', None) before any beat."""
    if not settings.CELERY_BROKER_URL:
        return "eager", None
    try:
        value = _broker().get(HEARTBEAT_KEY)
    except Exception:
        return "missing", None
    if value is None:
        return "missing", None
    age = max(time.time() - float(value), 0.0)
    return ("stale" if age > settings.WORKER_HEARTBEAT_STALE_SECONDS else "ok"), round(age, 1)
