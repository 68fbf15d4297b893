"""What operators see: a request id on every log line, JSON logs on demand, task failures, the worker heartbeat.

- :class:`RequestIdMiddleware` honours an incoming ``X-Request-ID`` (a proxy's, e.g. nginx ``$request_id``) or makes
  one, sends it back in the response, and logs one line per request (``certportal.request``: request id, user id,
  method, path, status, duration). :class:`RequestIdFilter` puts the id on every record logged meanwhile.
- ``LOG_FORMAT=json`` switches the console to one JSON object per line (python-json-logger), see settings. Either
  way each line's time is ISO 8601 with its offset (:class:`TextFormatter`, :class:`JsonFormatter`), and one-time
  links and secrets are replaced by ``[redacted]`` in the finished line (certportal/logrules.py).
- :class:`RedactFilter` drops a Celery task's arguments from its log records (an e-mail's recipients, body and
  links): the task's name and id say which one it was (the id is ``outbox-<row>`` for what the outbox sent).
- The request id travels with every task published while serving a request (a ``request_id`` message header,
  :func:`pass_request_id`) and is the id of the worker's lines while it runs the task (:func:`take_request_id`);
  audit entries keep it too (``AuditEntry.request_id``).
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

from celery.signals import before_task_publish, task_failure, task_postrun, task_prerun
from django.conf import settings
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from .logrules import iso_time, redact

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")  # anything else (spaces, newlines, huge) is replaced
HEARTBEAT_KEY = "certportal:worker-heartbeat"
request_log = logging.getLogger("certportal.request")
task_log = logging.getLogger("certportal.tasks")


class _IsoTime:
    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging's name)
        """ISO 8601 with the offset, in the portal's zone: 2026-11-26T17:08:03.272+07:00."""
        return iso_time(record.created)


class TextFormatter(_IsoTime, logging.Formatter):
    def format(self, record):
        return redact(super().format(record))


class JsonFormatter(_IsoTime, _JsonFormatter):
    def format(self, record):
        return redact(super().format(record))


class RedactFilter(logging.Filter):
    """A task's arguments never reach a log line: Celery passes them in the record's ``data`` (which the JSON
    formatter writes out) and its formatting arguments."""

    HIDDEN = ("args", "kwargs")

    def filter(self, record: logging.LogRecord) -> bool:
        data = getattr(record, "data", None)
        if isinstance(data, dict) and any(k in data for k in self.HIDDEN):
            record.data = {k: v for k, v in data.items() if k not in self.HIDDEN}
        if isinstance(record.args, dict) and any(k in record.args for k in self.HIDDEN):
            record.args = {**record.args, **dict.fromkeys(self.HIDDEN, "[hidden]")}
        return True


def hidden_arguments(kwargs: dict) -> str:
    """What the broker, the worker's logs and ``celery inspect`` show of a task's arguments: their names only."""
    return "{" + ", ".join(f"{name!r}: '[hidden]'" for name in kwargs) + "}"


@before_task_publish.connect
def pass_request_id(headers=None, **kwargs):
    request_id = request_id_var.get()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


@task_prerun.connect
def take_request_id(task=None, **kwargs):
    """A worker runs a task under the id of the request that published it (or none: a periodic task's); a task
    run in-process keeps the request's id, which is already set."""
    request = getattr(task, "request", None)
    if request is not None and not request.is_eager:
        request_id_var.set(request.get("request_id") or "")


@task_postrun.connect
def drop_request_id(task=None, **kwargs):
    request = getattr(task, "request", None)
    if request is not None and not request.is_eager:
        request_id_var.set("")


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
