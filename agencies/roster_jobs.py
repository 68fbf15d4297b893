"""Roster imports as background jobs (the core's job base, certportal.jobs), the way decrees are imported:

    upload (kept in private storage; the same file sent again while its job runs is given that job) → a worker
    reads and checks every row (progress; a refused file fails the job with its reason) → the preview: how many
    people are added, changed, unchanged and, for the whole province's roster, no longer on it, and every faulty
    row's message → the LSP admin or a BKPSDM officer imports it (only a file without a faulty row: nothing is ever
    half-imported) → the worker checks the rows again (as the preview kept them: the file is parsed once) against
    the portal as it is then, and writes them in one transaction, updating by NIP, with one
    :class:`~agencies.models.RosterChange` per person changed → applied (the result says what changed).

Running the same file again changes nothing (every row unchanged). Every step is audited: the upload (who, which
file), the confirmation (who), the worker's moves and the result (what changed); the history of each person is
kept in their roster changes, linked to the import.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certportal import outbox
from certportal.accounts.models import Role
from certportal.errors import TransitionRefused
from certportal.jobs import imports
from certportal.jobs import registry as jobs
from certportal.jobs.machine import job_machine
from certportal.jobs.tasks import TRANSIENT
from certportal.jobs.uploads import file_kept, start_upload_job
from certportal.workflow import Transition, transition

from . import roster_import as reading
from .models import RosterImport, RosterSource
from .roster_apply import compare, write

S = RosterImport.Status
ROLES = (Role.LSP_ADMIN, Role.VERIFIER)  # the LSP admin, or the BKPSDM's officer
TASK = "agencies.tasks.roster_import"
PROGRESS_EVERY = 2_000
MAX_PROBLEMS = 500  # faulty rows listed in the preview (all are counted)


class RosterImportError(TransitionRefused):
    """A refused roster import action, with a message for the user."""


def _clean_file(job: RosterImport, user, at) -> str | None:
    faulty = (job.preview or {}).get("faulty", 0)
    if faulty:
        return _("%(count)s rows of the file have problems: correct the file and upload it again; nothing is "
                 "imported from a file with a faulty row.") % {"count": faulty}
    return None


MACHINE = job_machine(
    RosterImport, states=S, refused=RosterImportError, retry_roles=ROLES, retry_guard=file_kept,
    retry_button=gettext_lazy("Read the file again"),
    labels={"started": gettext_lazy("roster reading started"), "finished": gettext_lazy("roster read"),
            "failed": gettext_lazy("roster import failed"), "retried": gettext_lazy("roster reading retried")},
    other_labels={"uploaded": gettext_lazy("roster uploaded")},
    extra=[
        Transition("confirmed", {S.DONE}, S.QUEUED, gettext_lazy("roster import confirmed"),
                   gettext_lazy("Import the roster"), ROLES, guard=_clean_file),
        Transition("applied", {S.RUNNING}, S.APPLIED, gettext_lazy("roster imported"), system=True,
                   stamp="finished_at"),
        Transition("discarded", {S.DONE, S.FAILED}, S.DISCARDED, gettext_lazy("roster import discarded"),
                   gettext_lazy("Discard"), ROLES),
    ],
)


def may_import(user) -> bool:
    return user.is_authenticated and user.has_role(*ROLES)


def start(*, data: bytes, filename: str, actor, whole: bool = False) -> RosterImport:
    """Keep the upload and queue its reading (after commit, through the outbox). The same file sent again by the
    same person while its job is queued or being read is given that job."""
    if not may_import(actor):
        raise RosterImportError(_("Only the LSP administrator or a BKPSDM officer imports the roster."))
    digest = hashlib.sha256((b"whole\0" if whole else b"part\0") + data).hexdigest()
    job = RosterImport(filename=filename[:200], created_by=actor, digest=digest, whole=whole,
                       language=translation.get_language() or "id")
    return start_upload_job(job, data=data, stored_name="roster.xlsx" if data.startswith(b"PK") else "roster.csv",
                            task=TASK, note=job.filename + (" · " + _("the whole province") if whole else ""))


def _progress(job_id: int, done: int, total: int) -> None:
    RosterImport.objects.filter(pk=job_id).update(done=done, total=total, moved_at=timezone.now())


def _read(job: RosterImport) -> list:
    """The file's rows as read (before :func:`agencies.roster_import.check`): parsed from the stored upload, or,
    once the preview parsed it, from what it kept (an XLSX of 50,000 rows is parsed once, not twice)."""
    storage, kept = job.file.storage, f"{job.file.name}.rows.json.gz"
    if job.confirmed and storage.exists(kept):
        with storage.open(kept, "rb") as f:
            return [reading.Row(line=line, values=values, problems=problems)
                    for line, values, problems in json.loads(gzip.decompress(f.read()))]
    with job.file.open("rb") as f:
        data = f.read()
    rows = []
    for row in reading.read(data, job.filename):
        rows.append(row)
        if len(rows) % PROGRESS_EVERY == 0:  # the rows read so far (the total is not known before the end)
            _progress(job.pk, len(rows), len(rows) + PROGRESS_EVERY)
    if not rows:
        raise reading.RosterRefused(_("The file has no people below its header row."))
    if storage.exists(kept):
        storage.delete(kept)
    storage.save(kept, ContentFile(gzip.compress(json.dumps(
        [(r.line, r.values, r.problems) for r in rows]).encode())))
    return rows


def checked_rows(job: RosterImport, rows: list, *, today: datetime.date) -> list:
    """Every row checked (:func:`agencies.roster_import.check`) against the portal as it is now."""
    agencies, seen = reading.agency_index(), {}
    for done, row in enumerate(rows, start=1):
        reading.check(row, agencies=agencies, seen=seen, today=today)
        if done % PROGRESS_EVERY == 0:
            _progress(job.pk, done, len(rows))
    return rows


def preview_of(rows: list, *, whole: bool) -> dict:
    faulty = [r for r in rows if r.problems]
    counts = compare([r for r in rows if not r.problems], whole=whole)
    return {"rows": len(rows), "faulty": len(faulty), **counts,
            "problems": [{"line": r.line, "nip": r.values.get("nip", "")[:18], "name": r.values.get("name", "")[:80],
                          "problems": r.problems} for r in faulty[:MAX_PROBLEMS]]}


def run(job_id: int) -> RosterImport | None:
    """The task: check the stored file and keep the preview, or (once confirmed) write it. A job already done,
    failed or applied is left alone (a repeated delivery); a running one is read again (a retry)."""
    job = RosterImport.objects.filter(pk=job_id, status__in=(S.QUEUED, S.RUNNING)).first()
    if job is None:
        return None
    if job.status == S.QUEUED:
        job = transition(job, "started", user=None, attempts=job.attempts + 1, moved_at=timezone.now())
    today = timezone.localdate(job.created_at)
    try:
        with translation.override(job.language):
            rows = checked_rows(job, _read(job), today=today)
            if job.confirmed:
                return _apply(job, rows)
            preview = preview_of(rows, whole=job.whole)
    except TRANSIENT:
        raise  # the task retries; when its retries run out, the job base fails the job with the reason
    except reading.RosterRefused as exc:
        return jobs.fail(RosterImport, job.pk, str(exc))
    job.refresh_from_db()
    if job.status != S.RUNNING:
        return job  # failed meanwhile (the sweep)
    return transition(job, "finished", user=None, preview=preview, done=len(rows), total=len(rows),
                      moved_at=timezone.now())


def _apply(job: RosterImport, rows: list) -> RosterImport:
    faulty = sum(1 for r in rows if r.problems)
    if faulty:  # the portal changed since the preview (an agency renamed...): nothing is written
        return jobs.fail(RosterImport, job.pk, _(
            "Since the preview, %(count)s rows have problems (read the file again to see them); nothing was "
            "imported.") % {"count": faulty})
    with transaction.atomic():
        counts = write(rows, job=job, whole=job.whole, source=RosterSource.SIASN)
        result = _("%(added)s added, %(changed)s changed, %(unchanged)s unchanged, %(left)s no longer on the "
                   "roster.") % counts
        job = transition(job, "applied", user=None, reason=result, result=result, done=len(rows),
                         total=len(rows), moved_at=timezone.now())
    _forget_rows(job)
    return job


def _forget_rows(job: RosterImport) -> None:
    """The rows the preview kept are not needed once the import is applied or discarded (the upload stays)."""
    kept = f"{job.file.name}.rows.json.gz"
    if job.file.name and job.file.storage.exists(kept):
        job.file.storage.delete(kept)


def confirm(job: RosterImport, *, actor, ip: str | None = None) -> RosterImport:
    """done → queued (confirmed): the worker writes the file (read again and checked again) in one transaction.
    The move every import of an uploaded file shares (:func:`certportal.jobs.imports.import_confirm`)."""
    return imports.import_confirm(job, actor=actor, ip=ip, task=TASK)


def discard(job: RosterImport, *, actor, ip: str | None = None) -> RosterImport:
    job = transition(job, "discarded", user=actor, ip=ip, moved_at=timezone.now())
    _forget_rows(job)
    return job


def retry(job: RosterImport, *, actor, ip: str | None = None) -> RosterImport:
    """failed → queued: the stored file is read and checked again (a preview again, never written directly)."""
    try:
        with transaction.atomic():
            job = transition(job, "retried", user=actor, ip=ip, reason=job.error, error="", done=0, total=0,
                             preview=None, confirmed=False, finished_at=None, moved_at=timezone.now())
            outbox.enqueue(TASK, job_id=job.pk)
    except IntegrityError:
        raise RosterImportError(_("This file is already being read again: follow that import.")) from None
    return job
