"""Print jobs: an LSP admin prints a whole event; background tasks issue what is missing and render it all as
ONE PDF, with progress on the job row.

A job is a state machine of the workflow core (:data:`assessments.certificates.workflow.PRINT_JOB`):
``queued → running → done | failed`` and ``failed → queued`` (the LSP admin retries); every change goes through
``transition()`` and is audited on the job, and a failure keeps its reason on the row. Before a job starts,
:func:`print_plan` says who will be printed and who is skipped and why (a suspended, withdrawn or expired
certificate, obligations not accepted, no decision...); the job runs the same plan and keeps the skipped list,
so a job that produced nothing says so instead of offering an empty PDF.

The work is split so that it runs in ordinary prefork workers (no pool inside a worker): :func:`print_job_run`
issues the documents and cuts the event into chunks, each chunk is rendered by its own task
(:func:`print_job_render_chunk`, any worker, in parallel), and the task that finishes the last chunk merges the
parts with pikepdf. Task requests go through the core's outbox, so a broker that is down delays a job but never
loses it. A database that blinks is retried by the task (the error propagates); any other error fails the job
with its reason, and so does a task whose retries ran out; :func:`print_jobs_sweep` (beat) fails jobs that
stopped moving (the job base's one sweep, certportal.jobs).
"""

from __future__ import annotations

import datetime
import logging
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.certificates.models import PrintJob, ResultLetter
from assessments.certificates.services.issue import certificate_issue, result_letter_issue
from assessments.certificates.services.rendering import merge_pdfs, render_chunk, split_contiguous
from assessments.certificates.services.signed import signed_print_pdf
from assessments.certificates.workflow import PRINT_JOB, issue_refusal, letter_refusal, not_printable
from assessments.errors import AssessmentError
from assessments.events.models import Participant, Result
from certportal import dates, outbox
from certportal.accounts.models import Role
from certportal.audit.services import audit_record
from certportal.jobs import claim
from certportal.jobs import registry as jobs
from certportal.jobs.tasks import TRANSIENT
from certportal.signing.backends import SigningError
from certportal.workflow import transition

log = logging.getLogger(__name__)
S = PrintJob.Status
# A database that blinks (connection lost, deadlock victim): worth a retry by the task, not a failed job yet
# (TRANSIENT, the job base's expected errors).
RUN_TASK = "assessments.tasks.run_print_job"
CHUNK_TASK = "assessments.tasks.render_print_chunk"


class PrintJobStateError(AssessmentError):
    pass


# --- the plan: who is printed, who is skipped and why ----------------------------------------------------

SKIP_CODES = ("no_decision", "not_competent", "obligations", "withdrawn", "suspended", "expired", "refused")


@dataclass
class PrintPlan:
    printed: list[Participant] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {"participant": pk, "name": ..., "code": ..., "detail": ...}


def skip_reason(entry: dict) -> str:
    """Why a participant was skipped, in the reader's language (the job stores codes, not sentences)."""
    code, detail = entry.get("code"), entry.get("detail") or ""
    day = _date(detail)
    texts = {
        "no_decision": _("no certification decision yet"),
        "not_competent": _("decided not yet competent (BK): receives a result letter"),
        "obligations": _("has not accepted the certificate-holder obligations"),
        "withdrawn": _("the certificate is withdrawn"),
        "suspended": (_("the certificate is suspended until %(date)s") % {"date": day}) if day
        else _("the certificate is suspended"),
        "expired": _("the certificate expired on %(date)s") % {"date": day},
    }
    return texts.get(code) or detail or str(code)


def _date(value: str) -> str:
    return dates.day(value) if value else ""


def _skip(plan: PrintPlan, p: Participant, code: str, detail: str = "") -> None:
    plan.skipped.append({"participant": p.pk, "name": p.name, "code": code, "detail": detail})


def _plan_certificate(plan: PrintPlan, p: Participant, at: datetime.datetime) -> None:
    if not p.decision:
        return _skip(plan, p, "no_decision")
    if p.decision != Result.K:
        return _skip(plan, p, "not_competent")
    cert = p.certificates.first()  # the newest: a correcting certificate comes before the one it replaced
    if cert is not None:
        state = cert.state(timezone.localtime(at).date())
        if not_printable(cert, timezone.localtime(at).date()):
            until = None if cert.suspended_until_lifted else cert.suspended_until  # "until further notice"
            detail = {"suspended": until, "expired": cert.expires_on}.get(state)
            return _skip(plan, p, state, detail.isoformat() if detail else "")
        plan.printed.append(p)
        return None
    if p.obligations_accepted_at is None:
        return _skip(plan, p, "obligations")
    refusal = issue_refusal(p, at=at)
    if refusal:
        return _skip(plan, p, "refused", refusal)
    plan.printed.append(p)
    return None


def _plan_letter(plan: PrintPlan, p: Participant, at: datetime.datetime) -> None:
    if not p.decision:
        return _skip(plan, p, "no_decision")
    if not ResultLetter.objects.filter(participant=p).exists():
        refusal = letter_refusal(p, on=timezone.localtime(at).date(), at=at)
        if refusal:
            return _skip(plan, p, "refused", refusal)
    plan.printed.append(p)
    return None


def print_plan(event, kind: str, *, at: datetime.datetime | None = None) -> PrintPlan:
    """Who a print job of ``kind`` for ``event`` would print now, and who it would skip and why."""
    at = at or timezone.now()
    plan = PrintPlan()
    participants = (event.participants.select_related("application__applicant", "event")
                    .prefetch_related("certificates").order_by("application__applicant_name", "pk"))
    for p in participants:
        (_plan_certificate if kind == PrintJob.Kind.CERTIFICATES else _plan_letter)(plan, p, at)
    return plan


# --- the job's transitions ----------------------------------------------------------------------------------

def _system(job_id: int, action: str, *, reason: str = "", **changes) -> PrintJob:
    """A move the portal itself makes (worker, beat); raises PrintJobStateError when the job is elsewhere."""
    job = PrintJob.objects.get(pk=job_id)
    try:
        return transition(job, action, user=None, reason=reason, moved_at=timezone.now(), **changes)
    except AssessmentError as exc:
        raise PrintJobStateError(exc.message, code=exc.code, action=exc.action) from exc


def print_job_start(event, *, actor, kind: str) -> PrintJob:
    if not actor.has_role(Role.LSP_ADMIN):
        raise AssessmentError(_("Only an LSP administrator issues and prints documents."))
    if not event.participants.exclude(decision="").exists():
        raise AssessmentError(_("No participant of this event has a certification decision yet."))
    job = _active(event, kind)
    if job is not None:
        return job  # a second click: the job already printing this event
    try:
        with transaction.atomic():
            job = PrintJob.objects.create(event=event, kind=kind, created_by=actor)
            audit_record(actor=actor, obj=job, action=PRINT_JOB.code("created"), to_state=S.QUEUED, note=kind)
            outbox.enqueue(RUN_TASK, job_id=job.pk)  # same transaction: the request is never lost
    except IntegrityError:  # the same click a moment earlier (the partial unique constraint of PrintJob)
        job = _active(event, kind)
        if job is None:
            raise
    return job


def _active(event, kind: str) -> PrintJob | None:
    return PrintJob.objects.filter(event=event, kind=kind, status__in=(S.QUEUED, S.RUNNING)).first()


def print_job_retry(job: PrintJob, *, actor, ip: str | None = None) -> PrintJob:
    """failed → queued, by an LSP administrator: everything starts again (issuing is idempotent). Refused while
    another job prints the same event and kind."""
    try:
        with transaction.atomic():
            job = transition(job, "retried", user=actor, ip=ip, reason=job.error, error="", done=0, total=0,
                             parts=[], parts_total=0, chunks=[], claims={}, finished_at=None, skipped=[],
                             moved_at=timezone.now())
            outbox.enqueue(RUN_TASK, job_id=job.pk)
    except IntegrityError:
        raise AssessmentError(_("This event is already being printed: follow that job.")) from None
    return job


def print_job_fail(job_id: int, reason: str, *, actor=None) -> PrintJob | None:
    """queued|running → failed with ``reason`` (the portal's move: ``actor`` is ignored, the audit row says
    "system"); None when the job had already finished or failed, or does not exist."""
    return jobs.fail(PrintJob, job_id, reason)


def print_job_run(job_id: int) -> PrintJob:
    """queued → running: issue what is missing, then hand the chunks to tasks. It also takes over a running job
    whose worker died (its heartbeat stopped, certportal.jobs.claim): before its chunks were handed out, issuing
    starts again (issuing is idempotent); after, the chunks not yet rendered are sent again (and the merge done
    when none is left). A copy of the message while the job is alive, or a job done or failed, changes nothing;
    a run retried after a database error picks up where it stopped."""
    job = claim.take(PrintJob, job_id)
    if job is None:
        return PrintJob.objects.get(pk=job_id)
    if job.parts_total:
        return _resume_chunks(job)
    try:
        ids, skipped = _issue_for_event(job)
        chunks = _chunks(ids)
        with transaction.atomic():
            PrintJob.objects.filter(pk=job.pk).update(total=len(ids), parts_total=len(chunks), parts=[],
                                                      chunks=chunks, claims={}, skipped=skipped,
                                                      moved_at=timezone.now())
            for index, chunk in enumerate(chunks):
                outbox.enqueue(CHUNK_TASK, job_id=job.pk, index=index, ids=chunk)
        if not chunks:
            _system(job.pk, "finished", reason=_("Nothing was printed: every participant was skipped."), done=0)
    except TRANSIENT:
        raise  # the task retries; when its retries run out, it fails the job (assessments.tasks)
    except AssessmentError as exc:
        print_job_fail(job.pk, str(exc))
    except Exception as exc:
        print_job_fail(job.pk, _("Unexpected error: %(error)s") % {"error": exc})
        raise  # logged by the worker with the task and job id
    return PrintJob.objects.get(pk=job.pk)


def _chunks(ids: list[int]) -> list[list[int]]:
    """Contiguous runs of at most ASSESSMENT_PRINT_CHUNK documents, as many as a multiple of the workers."""
    if not ids:
        return []
    workers = max(1, settings.ASSESSMENT_PRINT_PROCESSES)
    parts = math.ceil(len(ids) / max(1, settings.ASSESSMENT_PRINT_CHUNK))
    return split_contiguous(ids, math.ceil(parts / workers) * workers)


def _part_name(job_id: int, index: int) -> str:
    return f"print-parts/job-{job_id}/{index:04d}.pdf"


def _resume_chunks(job: PrintJob) -> PrintJob:
    """A job taken over after its chunks were handed out: send again the chunks not rendered (each is rendered
    by whichever copy takes it first), or merge when every chunk is done."""
    missing = [i for i in range(job.parts_total) if i not in job.parts]
    if len(job.chunks) < job.parts_total:  # a job cut before its chunks were kept: they cannot be sent again
        print_job_fail(job.pk, _("The worker stopped while printing and this job cannot be resumed: retry it."))
        return PrintJob.objects.get(pk=job.pk)
    log.warning("Print job %s resumed: %s of %s parts to render again", job.pk, len(missing), job.parts_total)
    with transaction.atomic():
        for index in missing:
            outbox.enqueue(CHUNK_TASK, job_id=job.pk, index=index, ids=job.chunks[index])
    if not missing:
        _merge(job.pk)
    return PrintJob.objects.get(pk=job.pk)


def _take_part(job_id: int, part: str) -> PrintJob | None:
    """The job, with ``part`` (a chunk's index, or "merge") now held by this task; None when the part is done, or
    held by a task still alive, or the job is no longer running (certportal.jobs.claim)."""
    with transaction.atomic():
        job = PrintJob.objects.select_for_update().get(pk=job_id)
        ready = len(job.parts) == job.parts_total if part == "merge" else int(part) not in job.parts
        if job.status != S.RUNNING or not ready:
            return None
        holder, since = job.claims.get(part) or ("", None)
        if since is not None and not claim.may_take_over(holder, datetime.datetime.fromtimestamp(since, datetime.UTC)):
            return None  # a live task renders it
        now = timezone.now()
        job.claims = {**job.claims, part: [claim.mark(), now.timestamp()]}
        job.moved_at = now
        job.save(update_fields=["claims", "moved_at"])
    return job


def _holds(job: PrintJob, part: str) -> bool:
    return (job.claims.get(part) or [""])[0] == claim.mark()


def print_job_render_chunk(job_id: int, index: int, ids: list[int]) -> PrintJob:
    """Render one chunk and store it, once: a chunk done or being rendered by a live task is left alone (a copy
    of the message). The task that completes the last chunk merges them into the job's PDF."""
    from certportal.files import private_storage

    try:
        job = _take_part(job_id, str(index))
        if job is not None:
            pdf = render_chunk(job.kind, ids)
            name = _part_name(job_id, index)
            if private_storage.exists(name):
                private_storage.delete(name)
            private_storage.save(name, ContentFile(pdf))
            _record_part(job_id, index, len(ids))
        _merge(job_id)
    except SigningError as exc:
        _unsigned(job_id, exc)
    except TRANSIENT:
        raise  # the task retries; when its retries run out, it fails the job (assessments.tasks)
    except Exception as exc:
        print_job_fail(job_id, _("Unexpected error: %(error)s") % {"error": exc})
        raise
    return PrintJob.objects.get(pk=job_id)


def _record_part(job_id: int, index: int, count: int) -> None:
    with transaction.atomic():
        job = PrintJob.objects.select_for_update().get(pk=job_id)
        if job.status != S.RUNNING or index in job.parts or not _holds(job, str(index)):
            return  # taken over meanwhile: the task that took it records it
        job.parts = sorted([*job.parts, index])
        job.done, job.moved_at = job.done + count, timezone.now()
        job.save(update_fields=["parts", "done", "moved_at"])
    log.info("Print job %s: part %s rendered", job_id, index)


def _merge(job_id: int) -> None:
    """Once every chunk is rendered: merge, sign and finish, by one task (the merge is a part of its own)."""
    from certportal.files import private_storage

    job = _take_part(job_id, "merge")
    if job is None:
        return
    _finish(job_id, merge_pdfs([_read_part(job_id, i) for i in range(job.parts_total)]))
    for i in range(job.parts_total):
        private_storage.delete(_part_name(job_id, i))


def _read_part(job_id: int, index: int) -> bytes:
    from certportal.files import private_storage

    with private_storage.open(_part_name(job_id, index)) as f:
        return f.read()


def _finish(job_id: int, pdf: bytes) -> None:
    """running → done with the merged PDF, signed (PAdES) by the portal's signer like each certificate or letter
    downloaded alone (:mod:`.signed`): the print carries the LSP's signature over every page of the event. When
    signing is configured and fails, :class:`SigningError` leaves here and no file is stored (see :func:`_unsigned`)."""
    job = PrintJob.objects.select_related("event__scheme", "created_by").get(pk=job_id)
    with translation.override(job.requester_language):  # the signer's refusal, read by the LSP admin
        pdf = signed_print_pdf(pdf, job)
    job.file.save(f"event-{job.event_id}-{job.kind}.pdf", ContentFile(pdf), save=False)
    _system(job_id, "finished", file=job.file.name, done=job.total)


def _unsigned(job_id: int, exc: SigningError) -> None:
    """The print could not be signed although signing is configured: the job fails with why (in its requester's
    language, on the event's page where the LSP admin retries it), an ERROR line is logged, the parts are
    dropped and no unsigned PDF is kept or offered (issue 45 item 9)."""
    from certportal.files import private_storage

    job = PrintJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(job.requester_language):
        reason = _("The print was not signed, so it is not offered: %(error)s Put the signing key back (or "
                   "correct the signer's settings) and retry the job.") % {"error": exc.message}
    log.error("Print job %s failed: the PDF could not be signed (%s)", job_id, exc.message)
    print_job_fail(job_id, reason)
    for i in range(job.parts_total):
        if private_storage.exists(_part_name(job_id, i)):
            private_storage.delete(_part_name(job_id, i))


def print_jobs_sweep(now: datetime.datetime | None = None) -> int:
    """Fail every print job that has not moved for too long: the one sweep of the job base (certportal.jobs),
    for this kind only. The LSP admin sees the reason and may retry. Returns how many were failed."""
    return jobs.sweep(now, model=PrintJob)


def _issue_for_event(job: PrintJob) -> tuple[list[int], list[dict]]:
    """Issue what is missing for the job's plan; the ids to print in order, and who was skipped and why."""
    actor = job.created_by
    plan = print_plan(job.event, job.kind)
    issue = certificate_issue if job.kind == PrintJob.Kind.CERTIFICATES else result_letter_issue
    ids = []
    for p in plan.printed:
        try:
            ids.append(issue(p, actor=actor).pk)
        except AssessmentError as exc:  # changed since the plan was made (e.g. the decision was corrected)
            _skip(plan, p, "refused", exc.message)
    return ids, plan.skipped
