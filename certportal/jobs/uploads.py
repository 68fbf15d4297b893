"""Starting a job on an uploaded file once (the decree, roster and certificate-register imports): the same file sent
again by the same person while a job of it is queued or being read is given that job, a double click included."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from certportal import outbox
from certportal.audit.services import audit_record
from certportal.workflow import machine_for

from .models import JobStatus


def file_kept(job, user, at) -> str | None:
    """The guard of reading an upload again: refused once its file was deleted at the end of its retention period
    (``quality.retention``, through ``certportal.personal_data.register_upload``)."""
    if job.file:
        return None
    return _("The uploaded file was deleted at the end of its retention period: upload the file again.")


def active_upload(model, actor, digest: str) -> Any:
    """The job of ``model`` that ``actor`` started on the file of ``digest`` and that is still queued or running."""
    return model.objects.filter(created_by=actor, digest=digest,
                                status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).first()


def start_upload_job(job, *, data: bytes, stored_name: str, task: str, note: str) -> Any:
    """Keep ``data`` on ``job`` (unsaved, with ``created_by`` and ``digest`` set), record the upload (``<model>.
    uploaded``, with ``note``) and hand ``task(job_id=...)`` to a worker after commit; or the job already started on
    the same file (the models' partial unique constraint on the person and digest of an active job settles a race)."""
    model, actor = type(job), job.created_by
    found = active_upload(model, actor, job.digest)
    if found is not None:
        return found
    job.file.save(stored_name, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            job.save()
            audit_record(actor=actor, obj=job, action=machine_for(model).code("uploaded"), to_state=JobStatus.QUEUED,
                         note=note)
            outbox.enqueue(task, job_id=job.pk)
    except IntegrityError:  # the same click a moment earlier
        job.file.delete(save=False)
        found = active_upload(model, actor, job.digest)
        if found is None:
            raise
        return found
    return job
