"""The embedded runner: without a broker (``make run``), background work runs on a thread beside the server.

A task request is handed over after the request's commit, as with a broker, but to a small pool of threads in the
server's own process (``EMBEDDED_TASK_THREADS``, 2) instead of Redis: the page answers at once and the job's page
follows its progress, as it does with a worker. On its thread the task runs as a worker runs it: outside any
transaction (its progress is seen at once), with the task id ``outbox-<pk>`` (a task that fails for good marks
its outbox row or its job failed, ``on_failure``), and with its own database connection, closed afterwards.

The runner serves only in a process that serves pages: ``certportal.wsgi`` (used by ``runserver`` and gunicorn)
calls :func:`activate`. A management command (``load_demo``, ``migrate``) and the test suite run what they
enqueue in the caller, after commit, as before (``EMBEDDED_TASKS=inline`` does the same for the server).

A request whose thread never ran (the server stopped first) stays ``pending`` in the outbox; the next task the
server runs takes it too (:func:`drain`). A task stopped halfway by the server's end is left as a worker killed
mid-task leaves it (its job "running"; the requester may start it again once the sweep or a retry allows).
"""

from __future__ import annotations

import importlib
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connections
from django.db.models import F
from django.utils import timezone

from .models import OutboxMessage

log = logging.getLogger(__name__)
S = OutboxMessage.Status
TASK_ID_PREFIX = "outbox-"
DRAIN_LIMIT = 100  # requests left pending by a stopped server, taken after each task

_lock = threading.Lock()
_state: dict = {"active": False, "executor": None}


def activate() -> None:
    """This process serves pages: run background work beside it (when the settings ask for threads)."""
    _state["active"] = True


def deactivate() -> None:
    """Stop taking work (the tasks already running finish); for tests and a server that stops."""
    with _lock:
        _state["active"] = False
        executor, _state["executor"] = _state["executor"], None
    if executor is not None:
        executor.shutdown(wait=True)


def in_background() -> bool:
    return bool(_state["active"]) and getattr(settings, "EMBEDDED_TASKS", "inline") == "thread"


def _executor() -> ThreadPoolExecutor:
    with _lock:
        if _state["executor"] is None:
            _state["executor"] = ThreadPoolExecutor(max_workers=max(1, settings.EMBEDDED_TASK_THREADS),
                                                    thread_name_prefix="embedded-task")
        return _state["executor"]


def submit(pk: int) -> Future:
    """Run outbox message ``pk`` on a thread beside the server (then whatever else waits)."""
    return _executor().submit(_work, pk)


def _work(pk: int) -> None:
    close_old_connections()
    try:
        run(pk)
        drain()
    except Exception:  # a database that blinked: the rows stay pending and the next task takes them
        log.exception("Embedded task runner: outbox message %s", pk)
    finally:
        connections.close_all()  # this thread's connections only


def _claim(pk: int) -> OutboxMessage | None:
    """pending → sent, once: the update's condition makes two threads (or a relay) take a row once."""
    claimed = OutboxMessage.objects.filter(pk=pk, status=S.PENDING).update(
        status=S.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="")
    return OutboxMessage.objects.filter(pk=pk).first() if claimed else None


def run(pk: int) -> bool:
    """Run message ``pk``'s task here, as a worker would. False when the row was taken already."""
    message = _claim(pk)
    if message is None:
        return False
    module, name = message.task.rsplit(".", 1)
    task = getattr(importlib.import_module(module), name)
    result = task.apply(kwargs=message.kwargs, task_id=f"{TASK_ID_PREFIX}{pk}", throw=False)
    if result.failed():  # its on_failure recorded it (the outbox row, or the job); the log says so as a worker's
        log.warning("Embedded task %s (outbox message %s) failed: %s", message.task, pk, result.result)
    return True


def drain(limit: int = DRAIN_LIMIT) -> int:
    """Run the requests still pending (oldest first): those a stopped server never ran."""
    ran = 0
    for pk in OutboxMessage.objects.filter(status=S.PENDING).order_by("id").values_list("pk", flat=True)[:limit]:
        ran += run(pk)
    return ran
