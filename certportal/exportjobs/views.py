"""The job's page (progress, then the file or the reason), the download and the retry: the requester's only."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from certportal import exports
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action

from . import documents, services
from .models import ExportJob


def _own(request, public_id) -> ExportJob:
    """Another person's job does not exist for this reader (404, not 403: its id tells nothing), nor a document
    its requester may no longer read."""
    job = get_object_or_404(ExportJob, public_id=public_id, created_by=request.user)
    if not documents.may_read(job, request.user):
        raise Http404
    return job


@never_cache
@login_required
def detail(request, public_id):
    job = _own(request, public_id)
    return render(request, "exportjobs/detail.html", {"job": job, "actions": allowed_actions(job, request.user),
                                                      "document": documents.is_document(job)})


@never_cache
@login_required
def download(request, public_id):
    job = _own(request, public_id)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    content_type = documents.CONTENT_TYPES.get(job.fmt) or (exports.CSV_TYPE if job.fmt == "csv"
                                                             else exports.XLSX_TYPE)
    documents.document_downloaded(job, request.user)  # a confidential document: its download is on the record
    response = FileResponse(job.file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, job.filename)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def retry(request, public_id):
    job = _own(request, public_id)
    return run_action(request, lambda _data: services.export_retry(job, user=request.user),
                      success=_("The export is queued again."), redirect_to=job)
