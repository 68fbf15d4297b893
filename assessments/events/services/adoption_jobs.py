"""Imports of the LSP's assessors and test sites as background jobs, the certificate register's way (the core's
import moves, :mod:`certportal.jobs.imports`):

    upload (the kind chosen; kept in private storage; the same file sent twice while it is read is one job) → a
    worker reads and checks every row (progress; a refused file fails the job with its reason) → the LSP admin reads
    the preview (every faulty row with its problems, every change a row would make) → imports it ("confirmed":
    queued again, "importing"; the click writes nothing) → a worker checks the rows again against the portal as it
    is then (progress) and writes them in one transaction, every row or none → applied; or the LSP admin discards
    it.

Every arrow is audited (who, when, from, to); the upload's row names the file, its size and digest, the result's row
says what the import changed, and every assessor or test site created or changed has its own rows naming the file
and its line (:mod:`.adoption_assessors`, :mod:`.adoption_sites`). The same file imported again changes nothing.
"""

from __future__ import annotations

import hashlib

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.errors import AssessmentError, AssessmentRefused
from assessments.events.models import AdoptionImport
from certportal.accounts.models import Role
from certportal.jobs import imports
from certportal.jobs.machine import job_machine
from certportal.jobs.uploads import file_kept, start_upload_job
from certportal.workflow import Transition

from . import adoption_assessors, adoption_sites
from .adoption_read import AdoptionRefused, recheck

S = AdoptionImport.Status
ADMIN = (Role.LSP_ADMIN,)
READ_TASK = "assessments.tasks.read_adoption"
APPLY_TASK = "assessments.tasks.apply_adoption"
KINDS = {AdoptionImport.Kind.ASSESSORS: adoption_assessors, AdoptionImport.Kind.TEST_SITES: adoption_sites}

MACHINE = job_machine(
    AdoptionImport, states=S, refused=AssessmentRefused, retry_roles=ADMIN, retry_guard=file_kept,
    retry_button=gettext_lazy("Read the file again"),
    labels={"started": gettext_lazy("adoption file reading started"), "finished": gettext_lazy("adoption file read"),
            "failed": gettext_lazy("adoption file reading failed"),
            "retried": gettext_lazy("adoption file reading retried")},
    other_labels={"uploaded": gettext_lazy("adoption file uploaded")},
    extra=[
        Transition("confirmed", {S.DONE}, S.QUEUED, gettext_lazy("adoption import confirmed"),
                   gettext_lazy("Import"), ADMIN, guard=lambda job, user, at: imports.faulty_refusal(job)),
        Transition("applied", {S.RUNNING}, S.APPLIED, gettext_lazy("adoption file imported"), system=True,
                   stamp="finished_at"),
        Transition("discarded", {S.DONE, S.FAILED}, S.DISCARDED, gettext_lazy("adoption import discarded"),
                   gettext_lazy("Discard"), ADMIN),
    ],
)


def adoption_start(*, kind: str, data: bytes, filename: str, actor) -> AdoptionImport:
    """Keep the upload and queue its reading. The same file sent again as the same kind by the same person while
    it is queued or read is given that job."""
    if not actor.has_role(Role.LSP_ADMIN):
        raise AssessmentError(_("Only an LSP administrator imports assessors and test sites."))
    if kind not in KINDS:
        raise AssessmentError(_("Choose what the file holds: assessors or test sites."))
    digest = hashlib.sha256(kind.encode() + b"\n" + data).hexdigest()
    job = AdoptionImport(kind=kind, filename=filename[:200], created_by=actor, digest=digest,
                         language=translation.get_language() or "id")
    return start_upload_job(job, data=data, stored_name=f"{kind}.xlsx" if data.startswith(b"PK") else f"{kind}.csv",
                            task=READ_TASK, note=f"{kind}: {job.filename} ({len(data)} B, sha256 {digest[:16]})")


def adoption_run(job_id: int) -> AdoptionImport | None:
    """The task: read and check the stored file; the preview is kept for the review."""
    job = AdoptionImport.objects.filter(pk=job_id).only("kind").first()
    if job is None:
        return None
    rows = KINDS[job.kind]
    return imports.import_read(
        AdoptionImport, job_id, read=rows.read, refused=AdoptionRefused,
        check=lambda found, progress: rows.check_rows(found, today=timezone.localdate(), progress=progress))


def adoption_confirm(job: AdoptionImport, *, actor, ip: str | None = None) -> AdoptionImport:
    """done → queued ("importing"): the worker (:func:`adoption_write`) writes the file; nothing is written in
    the request."""
    return imports.import_confirm(job, actor=actor, ip=ip, task=APPLY_TASK)


def adoption_write(job_id: int) -> AdoptionImport | None:
    """The task once confirmed: the rows checked again (progress), then every row written in one transaction, or
    none → applied. A job already applied, failed or discarded is left alone (a repeated delivery)."""
    job = AdoptionImport.objects.filter(pk=job_id).only("kind").first()
    if job is None:
        return None
    rows = KINDS[job.kind]
    return imports.import_write(
        AdoptionImport, job_id, summary=_summary,
        check=lambda job, progress: recheck(job.rows or [], rows.DERIVED, rows.check_rows,
                                            today=timezone.localdate(), progress=progress),
        write=lambda job: rows.import_rows(job.rows or [], actor=job.confirmed_by, today=timezone.localdate(),
                                           source={"file": job.filename, "import": str(job.public_id)}),
        clash=_("Another import wrote some of these records meanwhile; nothing was imported from this file. "
                "Read it again and import it: what is already there is left as it is."))


def _summary(counts: dict) -> str:
    """What the import changed, for the audit trail (stored as written: figures)."""
    return (f"new={counts['new']} changed={counts['changed']} unchanged={counts['unchanged']} "
            f"accounts={counts['accounts']} rows={counts['rows']}")


def adoption_discard(job: AdoptionImport, *, actor, ip: str | None = None) -> AdoptionImport:
    return imports.import_discard(job, actor=actor, ip=ip)


def adoption_retry(job: AdoptionImport, *, actor, ip: str | None = None) -> AdoptionImport:
    return imports.import_retry(job, actor=actor, ip=ip, task=READ_TASK)


def machines() -> list:
    from certportal.workflow import register_labels

    register_labels({MACHINE.code("result"): gettext_lazy("what the adoption import changed")})
    return [MACHINE]
