"""Imports of the LSP's certificate register as background jobs (the core's job base, certportal.jobs):

    upload (kept in private storage; the same file sent twice while it is read is one job) → a worker reads and
    checks every row (progress; a refused file fails the job with its reason) → the LSP admin reads the preview
    (every faulty row with its problems) → imports it ("confirmed": queued again, "importing"; the click writes
    nothing) → a worker checks the rows again against the portal as it is then (progress) and writes them in one
    transaction, every row or none → applied; or the LSP admin discards it.

Every arrow is audited (who, when, from, to); the upload's row names the file, the import's row says what it did
(new certificates, those already imported, holders linked), and each certificate imported or linked has its own
row naming the file and its line (:mod:`.register`).
"""

from __future__ import annotations

import hashlib

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.certificates.register_models import RegisterImport
from assessments.errors import AssessmentError, AssessmentRefused
from certportal.accounts.models import Role
from certportal.jobs import imports
from certportal.jobs.machine import job_machine
from certportal.jobs.uploads import file_kept, start_upload_job
from certportal.workflow import Transition

from .register import check_rows, import_rows, recheck
from .register_read import RegisterRefused, read_register

S = RegisterImport.Status
ADMIN = (Role.LSP_ADMIN,)
READ_TASK = "assessments.tasks.read_register"
APPLY_TASK = "assessments.tasks.apply_register"

MACHINE = job_machine(
    RegisterImport, states=S, refused=AssessmentRefused, retry_roles=ADMIN, retry_guard=file_kept,
    retry_button=gettext_lazy("Read the register again"),
    labels={"started": gettext_lazy("register reading started"), "finished": gettext_lazy("register read"),
            "failed": gettext_lazy("register reading failed"), "retried": gettext_lazy("register reading retried")},
    other_labels={"uploaded": gettext_lazy("register uploaded")},
    extra=[
        Transition("confirmed", {S.DONE}, S.QUEUED, gettext_lazy("register import confirmed"),
                   gettext_lazy("Import"), ADMIN, guard=lambda job, user, at: imports.faulty_refusal(job)),
        Transition("applied", {S.RUNNING}, S.APPLIED, gettext_lazy("register imported"), system=True,
                   stamp="finished_at"),
        Transition("discarded", {S.DONE, S.FAILED}, S.DISCARDED, gettext_lazy("register import discarded"),
                   gettext_lazy("Discard"), ADMIN),
    ],
)


def register_start(*, data: bytes, filename: str, actor) -> RegisterImport:
    """Keep the upload and queue its reading (handed to a worker after commit, through the outbox). The same file
    sent again by the same person while it is queued or read is given that job."""
    if not actor.has_role(Role.LSP_ADMIN):
        raise AssessmentError(_("Only an LSP administrator imports the certificate register."))
    digest = hashlib.sha256(data).hexdigest()
    job = RegisterImport(filename=filename[:200], created_by=actor, digest=digest,
                         language=translation.get_language() or "id")
    return start_upload_job(job, data=data,
                            stored_name="register.xlsx" if data.startswith(b"PK") else "register.csv",
                            task=READ_TASK, note=f"{job.filename} ({len(data)} B, sha256 {digest[:16]})")


def register_run(job_id: int) -> RegisterImport | None:
    """The task: read and check the stored register; the preview is kept for the review. A job already read,
    failed or applied is left alone (a repeated delivery)."""
    return imports.import_read(
        RegisterImport, job_id, read=read_register, refused=RegisterRefused,
        check=lambda rows, progress: check_rows(rows, today=timezone.localdate(), progress=progress))


def register_confirm(job: RegisterImport, *, actor, ip: str | None = None) -> RegisterImport:
    """done → queued ("importing"): the worker (:func:`register_write`) writes the register; nothing is written
    in the request."""
    return imports.import_confirm(job, actor=actor, ip=ip, task=APPLY_TASK)


def register_write(job_id: int) -> RegisterImport | None:
    """The task once confirmed: the rows checked again (progress), then every row imported in one transaction,
    or none → applied. Two imports of the same numbers at once: the second finds them imported (the years'
    sequences are locked first), or, for numbers outside the portal's format, fails with the clash and may be read
    and imported again. A job already applied, failed or discarded is left alone (a repeated delivery)."""
    return imports.import_write(
        RegisterImport, job_id, summary=_summary,
        check=lambda job, progress: recheck(job.rows or [], today=timezone.localdate(), progress=progress),
        write=lambda job: import_rows(job.rows or [], actor=job.confirmed_by, today=timezone.localdate(),
                                      source={"file": job.filename, "import": str(job.public_id)}),
        clash=_("Another import wrote some of these certificates meanwhile; nothing was imported from this file. "
                "Read it again and import it: what is already there is left as it is."))


def _summary(counts: dict) -> str:
    """What the import changed, for the audit trail (stored as written: figures and codes)."""
    return f"new={counts['new']} unchanged={counts['unchanged']} linked={counts['linked']} rows={counts['rows']}"


def register_discard(job: RegisterImport, *, actor, ip: str | None = None) -> RegisterImport:
    return imports.import_discard(job, actor=actor, ip=ip)


def register_retry(job: RegisterImport, *, actor, ip: str | None = None) -> RegisterImport:
    return imports.import_retry(job, actor=actor, ip=ip, task=READ_TASK)


def machines() -> list:
    from certportal.workflow import register_labels

    register_labels({MACHINE.code("result"): gettext_lazy("what the register import changed")})
    return [MACHINE]
