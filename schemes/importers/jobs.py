"""Decree imports as stored background jobs (issue 15 point 4), one flow for SKKNI and KKNI decrees:

    upload (checked by certportal.files, kept in private storage) → a worker parses it (progress per page; a
    format error fails the job at once with its reason, a database that blinks is retried) → the LSP admin reviews
    the stored parse → applies it (one transaction: the importer's save) or discards it.

The job is the core's background job (certportal.jobs): its four transitions are the base's, plus "applied" and
"discarded" by an LSP admin. Failed and parsed imports wait on the LSP admin's home work queue.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from certportal import outbox
from certportal.accounts.models import Role
from certportal.errors import PortalError, TransitionRefused
from certportal.jobs import claim
from certportal.jobs import registry as jobs
from certportal.jobs.machine import job_machine
from certportal.jobs.tasks import TRANSIENT
from certportal.jobs.uploads import start_upload_job
from certportal.workflow import Transition, transition

from ..models import ImportJob
from .kkni import KkniFormatError, parse_kkni
from .kkni_load import save_kkni
from .skkni import SkkniFormatError, parse_skkni, read_text, save_skkni, with_warning

log = logging.getLogger(__name__)
S = ImportJob.Status
ADMIN = (Role.LSP_ADMIN,)
PARSE_TASK = "schemes.tasks.parse_decree"


class ImportError_(PortalError):  # noqa: N801 (ImportError is Python's)
    """A refused import action, with a message for the user."""


class ImportRefused(ImportError_, TransitionRefused):
    """A refused transition (the workflow core raises it: the machine's ``refused``)."""


MACHINE = job_machine(
    ImportJob, states=S, refused=ImportRefused, retry_roles=ADMIN, retry_url="",
    retry_button=gettext_lazy("Read the decree again"),
    labels={"started": gettext_lazy("decree reading started"), "finished": gettext_lazy("decree read"),
            "failed": gettext_lazy("decree reading failed"), "retried": gettext_lazy("decree reading retried")},
    other_labels={"uploaded": gettext_lazy("decree uploaded")},
    extra=[
        Transition("applied", {S.DONE}, S.APPLIED, gettext_lazy("decree imported"), gettext_lazy("Import"), ADMIN,
                   stamp="finished_at"),
        Transition("discarded", {S.DONE, S.FAILED}, S.DISCARDED, gettext_lazy("decree import discarded"),
                   gettext_lazy("Discard"), ADMIN),
    ],
)


@dataclass(frozen=True)
class Importer:
    parse: Callable[[str], dict]
    save: Callable  # save(parsed, actor=...) -> result with .message
    errors: tuple[type[Exception], ...]


IMPORTERS = {
    ImportJob.Kind.SKKNI: Importer(parse_skkni, save_skkni, (SkkniFormatError,)),
    ImportJob.Kind.KKNI: Importer(parse_kkni, save_kkni, (KkniFormatError, SkkniFormatError)),
}


def import_start(*, kind: str, data: bytes, filename: str, actor, links_removed: int = 0) -> ImportJob:
    """Keep the checked upload (``data``: what certportal.files.read_document_upload returned) and queue its
    reading; the request is handed to a worker after commit, through the outbox. The links to web addresses the
    check removed from the PDF (``links_removed``) are recorded in the audit note. The same file sent again by the
    same person while its job is queued or being read is given that job (issue 45 item 4)."""
    if not actor.has_role(Role.LSP_ADMIN):
        raise ImportError_(_("Only an LSP administrator imports decrees."))
    digest = hashlib.sha256(kind.encode() + b"\0" + data).hexdigest()
    job = ImportJob(kind=kind, filename=filename[:200], created_by=actor, digest=digest,
                    language=translation.get_language() or "id")
    note = job.filename
    if links_removed:
        note = ngettext("%(name)s (%(count)s link to a web address removed from the PDF)",
                        "%(name)s (%(count)s links to web addresses removed from the PDF)",
                        links_removed) % {"name": note, "count": links_removed}
    return start_upload_job(job, data=data, stored_name="decree.pdf" if data.startswith(b"%PDF") else "decree.txt",
                            task=PARSE_TASK, note=note)


def _progress(job_id: int) -> Callable[[int, int], None]:
    def step(done: int, total: int) -> None:  # a page read: the job's heartbeat
        claim.beat(ImportJob, job_id, done=done, total=total)

    return step


def import_run(job_id: int) -> ImportJob | None:
    """The task: read the stored decree and keep the parse for the review. It takes a queued job, a running one
    whose worker died (its heartbeat stopped: read again from the start, nothing was kept before the end) or its
    own earlier try (a retry after a database error); a job already read, failed or applied, or being read by
    another task (a copy of the message handed out twice), is left alone (certportal.jobs.claim)."""
    job = claim.take(ImportJob, job_id)
    if job is None:
        return None
    importer = IMPORTERS[job.kind]
    try:
        with translation.override(job.language):
            with job.file.open("rb") as f:
                data = f.read()
            text, dropped = read_text(data, _progress(job.pk))  # without what cannot be stored: a warning says so
            parsed = with_warning(importer.parse(text), dropped)
    except TRANSIENT:
        raise  # the task retries; when its retries run out, the job base fails the job with the reason
    except importer.errors as exc:
        return jobs.fail(ImportJob, job.pk, str(exc))
    job.refresh_from_db()
    if not claim.still_ours(ImportJob, job.pk):
        return job  # failed meanwhile (the sweep), or taken over by another task while this one was silent
    return transition(job, "finished", user=None, parsed=parsed, done=max(job.done, 1), total=max(job.total, 1),
                      moved_at=timezone.now())


@transaction.atomic
def import_apply(job: ImportJob, *, actor, ip: str | None = None) -> ImportJob:
    """done → applied: the importer saves the stored parse, in the same transaction as the job's arrow."""
    job = transition(job, "applied", user=actor, ip=ip, moved_at=timezone.now())
    result = IMPORTERS[job.kind].save(job.parsed, actor=actor)  # said in the confirming admin's language
    ImportJob.objects.filter(pk=job.pk).update(result=result.message)
    job.result = result.message
    return job


def import_discard(job: ImportJob, *, actor, ip: str | None = None) -> ImportJob:
    return transition(job, "discarded", user=actor, ip=ip, moved_at=timezone.now())


def import_retry(job: ImportJob, *, actor, ip: str | None = None) -> ImportJob:
    """failed → queued: the stored decree is read again (e.g. after a worker outage); refused while the same file
    is being read by another of the person's jobs."""
    try:
        with transaction.atomic():
            job = transition(job, "retried", user=actor, ip=ip, reason=job.error, error="", done=0, total=0,
                             parsed=None, finished_at=None, moved_at=timezone.now())
            outbox.enqueue(PARSE_TASK, job_id=job.pk)
    except IntegrityError:
        raise ImportError_(_("This decree is already being read again: follow that import.")) from None
    return job


def waiting() -> dict[str, int]:
    """Imports waiting for an LSP admin: read and to review, or failed."""
    counts = dict.fromkeys(ImportJob.WAITING, 0)
    for row in ImportJob.objects.filter(status__in=ImportJob.WAITING).values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts
