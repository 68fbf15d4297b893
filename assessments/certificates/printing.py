"""Print jobs: an LSP admin prints a whole event; a Celery task issues what is missing and renders it all as
ONE PDF, with progress on the job row."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal.accounts.models import Role
from certportal.audit.services import audit_record

from ..models import PrintJob, Result
from ..services import AssessmentError
from .issue import certificate_issue, result_letter_issue
from .rendering import render_many


def print_job_start(event, *, actor, kind: str) -> PrintJob:
    if not actor.has_role(Role.LSP_ADMIN):
        raise AssessmentError(_("Only an LSP administrator issues and prints documents."))
    if not event.participants.exclude(decision="").exists():
        raise AssessmentError(_("No participant of this event has a certification decision yet."))
    with transaction.atomic():
        job = PrintJob.objects.create(event=event, kind=kind, created_by=actor)
        audit_record(actor=actor, obj=event, action="print started", note=kind)
        from ..tasks import run_print_job

        transaction.on_commit(lambda: run_print_job.delay(job.pk))
    return job


def print_job_run(job_id: int) -> PrintJob:
    """Issue what is missing for the event, then render it all as ONE PDF. Running it twice changes nothing."""
    from django.core.files.base import ContentFile

    job = PrintJob.objects.select_related("event", "created_by").get(pk=job_id)
    if job.status == PrintJob.Status.DONE:
        return job
    PrintJob.objects.filter(pk=job.pk).update(status=PrintJob.Status.RUNNING, done=0)
    try:
        ids = _issue_for_event(job)
        PrintJob.objects.filter(pk=job.pk).update(total=len(ids))
        done = {"n": 0}

        def progress(n: int) -> None:
            done["n"] += n
            PrintJob.objects.filter(pk=job.pk).update(done=done["n"])

        pdf = render_many(job.kind, ids, processes=settings.ASSESSMENT_PRINT_PROCESSES, progress=progress)
        job.refresh_from_db()
        job.file.save(f"event-{job.event_id}-{job.kind}.pdf", ContentFile(pdf), save=False)
        job.status, job.done, job.total, job.finished_at = PrintJob.Status.DONE, len(ids), len(ids), timezone.now()
        job.save()
    except AssessmentError as exc:
        PrintJob.objects.filter(pk=job.pk).update(status=PrintJob.Status.FAILED, error=str(exc))
    return PrintJob.objects.get(pk=job.pk)


def _issue_for_event(job: PrintJob) -> list[int]:
    actor = job.created_by
    participants = job.event.participants.exclude(decision="").select_related("application")
    if job.kind == PrintJob.Kind.CERTIFICATES:
        ids = []
        for p in participants.filter(decision=Result.K):
            if p.obligations_accepted_at or p.certificates.exists():
                ids.append(certificate_issue(p, actor=actor).pk)
        return ids
    return [result_letter_issue(p, actor=actor).pk for p in participants]
