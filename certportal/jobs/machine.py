"""The job's machine, declared once for every kind: queued → running → done | failed; failed → queued."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from certportal.workflow import Machine, Transition

from .models import JobStatus

S = JobStatus


def job_machine(model, *, labels: dict[str, object], states=None, by_requester: bool = False,
                retry_roles: tuple[str, ...] = (), retry_allowed: Callable | None = None, retry_url: str = "",
                retry_button: object = "", refused=None, extra: list[Transition] | None = None,
                other_labels: dict[str, object] | None = None, retry_guard: Callable | None = None) -> Machine:
    """The four transitions of a job, declared once. ``labels`` names them for the model's history
    (``{"started": ..., "finished": ..., "failed": ..., "retried": ...}``).

    The worker's moves (started, finished, failed) are the portal's own (``system``: audited as "system"), or,
    with ``by_requester``, taken on behalf of the person who asked (audited with their name, as exports always
    were). ``retried`` is a person's: the requester (``by_requester``), or ``retry_roles``/``retry_allowed``;
    ``retry_guard(job, user, at)`` says why it cannot be retried now (an upload whose file is gone)."""

    def requester(user, job) -> bool:
        return user.pk == job.created_by_id

    worker = {"allowed": requester} if by_requester else {"system": True}
    retry_check = retry_allowed or (requester if by_requester and not retry_roles else None)
    transitions = [
        Transition("started", {S.QUEUED}, S.RUNNING, labels["started"], stamp="started_at", **worker),
        Transition("finished", {S.RUNNING}, S.DONE, labels["finished"], stamp="finished_at", **worker),
        Transition("failed", {S.QUEUED, S.RUNNING}, S.FAILED, labels["failed"], needs_reason=True,
                   stamp="finished_at", **worker),
        Transition("retried", {S.FAILED}, S.QUEUED, labels["retried"], retry_button or _("Try again"),
                   roles=retry_roles, allowed=retry_check, url_name=retry_url, guard=retry_guard),
        *(extra or []),
    ]
    # "resumed": a task took the running job over from a worker that died (certportal.jobs.claim); not a move
    labels = {"resumed": _("resumed after its worker stopped"), **(other_labels or {})}
    return Machine(model=model, states=states or JobStatus, refused=refused, transitions=transitions, labels=labels)
