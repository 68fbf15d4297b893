"""Write task requests in the caller's transaction; publish them after commit; relay what is left; record what
failed, and send it again when the LSP admin asks.

A message fails (``pending | sent → failed``, a transition of the workflow core, audited with the reason) when
  * the broker refused it ``OUTBOX_MAX_ATTEMPTS`` times (the relay counts the attempts);
  * the task it carried failed for good, after its own retries: the worker's ``on_failure`` finds the row by the
    task id ``outbox-<pk>`` the relay gives it (:class:`certportal.outbox.tasks.OutboxTask`); in eager mode (no
    broker) the task runs inside the relay, which records the failure itself;
  * it waited longer than ``OUTBOX_PENDING_MINUTES`` to be handed over (the periodic relay's check).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certportal.errors import PortalError
from certportal.observability import hidden_arguments
from certportal.workflow import transition

from . import embedded
from .models import OutboxMessage

log = logging.getLogger(__name__)
S = OutboxMessage.Status
Failure = OutboxMessage.Failure
TASK_ID_PREFIX = "outbox-"
RESEND_ALL_LIMIT = 500  # messages "send all again" takes at a time (the button stays while more are failed)


def enqueue(task: str, **kwargs) -> OutboxMessage:
    """Record a request for ``task(**kwargs)`` (JSON-serialisable arguments) and publish it after commit.

    Without a broker the task runs in this process after commit: on a thread beside the server when the process
    serves pages (``certportal.outbox.embedded``), else in the caller, as ``.delay()`` would in eager mode.
    """
    message = OutboxMessage.objects.create(task=task, kwargs=kwargs)
    transaction.on_commit(lambda: _after_commit(message.pk))
    return message


def _eager() -> bool:
    from celery import current_app

    return bool(settings.CELERY_TASK_ALWAYS_EAGER or current_app.conf.task_always_eager)


def _after_commit(pk: int) -> None:
    if _eager() and embedded.in_background():
        embedded.submit(pk)  # no broker, a server: a thread beside it runs the task, the request answers now
        return
    if relay(pk) and not _eager():
        relay_pending(limit=20)  # the broker answers: also hand over what an outage left behind


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def relay(pk: int) -> bool:
    """Publish message ``pk`` once. False when the broker refused it (relaying more now is pointless); True
    otherwise: sent (now or already), held by another relay, or failed for good by its task (eager mode)."""
    with transaction.atomic():
        message = (OutboxMessage.objects.select_for_update(skip_locked=True)
                   .filter(pk=pk, status=S.PENDING).first())
        if message is None:
            return True  # sent or failed already, or another relay holds it right now
        attempts = message.attempts + 1
        try:
            _publish(message)
        except Exception as exc:
            if _eager():  # no broker: the task itself ran here, and failed after its own retries
                fail(message.pk, Failure.TASK, _error_text(exc), attempts=attempts)
                return True
            log.warning("Outbox message %s not handed over (attempt %s): %s", pk, attempts, exc)
            if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                fail(message.pk, Failure.BROKER, _error_text(exc), attempts=attempts)
            else:
                OutboxMessage.objects.filter(pk=pk).update(attempts=attempts, last_error=_error_text(exc))
            return False
        # The hand-over is a plain UPDATE, not a transition: it happens for every e-mail and task of the portal,
        # is nobody's decision, and the row lock already makes it once-only (failures and resends are audited).
        OutboxMessage.objects.filter(pk=pk).update(status=S.SENT, sent_at=timezone.now(), attempts=attempts,
                                                   last_error="")
    return True


def _publish(message: OutboxMessage) -> None:
    import importlib

    module, name = message.task.rsplit(".", 1)
    task = getattr(importlib.import_module(module), name)  # imports (so registers) the task's module
    if _eager():
        # No savepoint of its own: what the task recorded before it failed stays, as a worker's commits would
        # (a job task's on_failure marks its job failed, and that must not be rolled back with the error).
        task.apply(kwargs=message.kwargs, throw=True)
        return
    # The message id is the row's: a worker can tell a re-published request from a new one, and a task that
    # fails for good finds its row (OutboxTask.on_failure). The outcome lives on the rows the task changes, so no
    # result is kept (publishing then never touches the result store).
    # Its arguments (an e-mail's recipients, body and links) are shown by name only: the worker's logs and
    # `celery inspect` print this instead (certportal.observability).
    task.apply_async(kwargs=message.kwargs, task_id=f"{TASK_ID_PREFIX}{message.pk}", retry=False,
                     ignore_result=True, kwargsrepr=hidden_arguments(message.kwargs))


def relay_pending(*, limit: int = 500) -> int:
    """Hand over pending messages, oldest first; stop at the first the broker refuses. Returns how many went."""
    sent = 0
    for pk in OutboxMessage.objects.filter(status=S.PENDING).values_list("pk", flat=True)[:limit]:
        if not relay(pk):
            break
        sent += 1
    return sent


# --- failures ---------------------------------------------------------------------------------------------------


def fail(pk: int, failure: str, error: str = "", *, attempts: int | None = None, note: str = "") -> OutboxMessage | None:
    """pending | sent → failed, the portal's own move, with the kind of ``failure`` and the technical ``error``.
    None when the message does not exist or is failed already (a second report of the same failure)."""
    message = OutboxMessage.objects.filter(pk=pk, status__in=(S.PENDING, S.SENT)).first()
    if message is None:
        return None
    changes = {"failure": failure, "last_error": error[:2000]}
    if attempts is not None:
        changes["attempts"] = attempts
    with translation.override(settings.LANGUAGE_CODE):  # the audit note, in the portal's language
        reason = " ".join(part for part in (str(Failure(failure).label) + ".", note, error) if part)
    try:
        return transition(message, "failed", user=None, reason=reason[:4000], **changes)
    except PortalError:  # failed or resent meanwhile
        return None


def fail_task(task_id: str | None, exc: BaseException) -> OutboxMessage | None:
    """The task published as ``outbox-<pk>`` failed for good (its retries spent, or an error it does not expect)."""
    if not task_id or not task_id.startswith(TASK_ID_PREFIX) or not task_id[len(TASK_ID_PREFIX):].isdigit():
        return None  # not published by the outbox (called directly, or eagerly inside the relay)
    pk = int(task_id[len(TASK_ID_PREFIX):])
    log.warning("Outbox message %s: its task failed for good: %s", pk, exc)
    return fail(pk, Failure.TASK, _error_text(exc))


def fail_stale(now: datetime.datetime | None = None) -> int:
    """Fail what waited more than ``OUTBOX_PENDING_MINUTES`` to be handed over (since it was written or sent
    again): a broker down that long, or a row every relay skipped. Returns how many."""
    minutes = settings.OUTBOX_PENDING_MINUTES
    limit = (now or timezone.now()) - datetime.timedelta(minutes=minutes)
    failed = 0
    stale = OutboxMessage.objects.filter(status=S.PENDING, moved_at__lt=limit).values_list("pk", "last_error")
    for pk, error in stale[:1000]:
        with translation.override(settings.LANGUAGE_CODE):
            note = _("Not handed over within %(minutes)s minutes.") % {"minutes": minutes}
        failed += fail(pk, Failure.STALE, error, note=note) is not None
    if failed:
        log.warning("Outbox: %s message(s) waited too long and are marked failed", failed)
    return failed


# --- send again (the LSP admin) ---------------------------------------------------------------------------------


def _refuse_unless_failed(message: OutboxMessage) -> None:
    from .workflow import OutboxError

    if message.status == S.PENDING:
        raise OutboxError(_("%(message)s is already waiting to be sent again.") % {"message": message},
                          action="outbox.outboxmessage.resent")
    if message.status == S.SENT:
        raise OutboxError(_("%(message)s was sent again already.") % {"message": message},
                          action="outbox.outboxmessage.resent")


def _relay_after_commit(pks: list[int]) -> None:
    def run():
        for pk in pks:
            if _eager() and embedded.in_background():
                embedded.submit(pk)
            elif not relay(pk):
                break  # the broker is down: the periodic relay sends them once it is back

    transaction.on_commit(run)


@transaction.atomic
def resend(message: OutboxMessage, *, user) -> OutboxMessage:
    """failed → pending (audited), then handed to the broker after commit, as a new request would be."""
    _refuse_unless_failed(message)
    message = transition(message, "resent", user=user, attempts=0, failure="", last_error="", failed_at=None)
    _relay_after_commit([message.pk])
    return message


@transaction.atomic
def resend_all(*, user) -> int:
    """Send every failed message again (oldest first, at most RESEND_ALL_LIMIT at a time). Returns how many."""
    pks = list(OutboxMessage.objects.filter(status=S.FAILED).order_by("id").values_list("pk", flat=True)
               [:RESEND_ALL_LIMIT])
    resent = []
    for message in OutboxMessage.objects.filter(pk__in=pks).order_by("id"):
        try:
            transition(message, "resent", user=user, attempts=0, failure="", last_error="", failed_at=None)
        except PortalError:  # sent again by someone else meanwhile
            continue
        resent.append(message.pk)
    _relay_after_commit(resent)
    return len(resent)
