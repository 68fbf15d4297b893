"""The LSP admin's import of the certificate register (certificates issued on paper before the portal):

    upload (XLSX or CSV) → a background job reads and checks every row (progress) → the preview shows every faulty
    row with its problems and what the others would do → import (a background job again: progress, then every
    row or none, audited) or discard.

Every page is the LSP admin's; anyone else is refused (403), the job pages answer 404 to an unknown id.
"""

from django import forms
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from assessments.certificates.register_models import RegisterImport
from assessments.certificates.services import register_jobs
from assessments.certificates.services.register_read import COLUMNS, REQUIRED
from certportal.accounts.models import Role
from certportal.jobs import imports
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_service

lsp_admin = role_required(Role.LSP_ADMIN)


class RegisterUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("The register (XLSX or CSV)"), help_text=gettext_lazy(
        "One certificate per row; the first row names the columns. Nothing is imported before you read the "
        "preview and confirm it."))


@lsp_admin
def register(request):
    """The upload form, the columns a register has, and the imports so far."""
    form = RegisterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        started: dict = {}

        def start():
            started["job"] = register_jobs.register_start(data=upload.read(), filename=str(upload.name),
                                                          actor=request.user)
            return started["job"]

        if run_service(request, start, success=_("The register is uploaded; it is read and checked in the "
                                                 "background.")):
            return redirect(started["job"])
    columns = [{"label": label, "names": names, "required": key in REQUIRED} for key, (label, names) in
               COLUMNS.items()]
    return render(request, "assessments/register.html", {
        "form": form, "columns": columns,
        "imports": RegisterImport.objects.select_related("created_by").defer("rows")[:20]})


def _job(public_id) -> RegisterImport:
    return get_object_or_404(RegisterImport.objects.select_related("created_by"), public_id=public_id)


@never_cache
@lsp_admin
def register_import(request, public_id):
    """The job: progress while it is read or imported, the reason when it failed, the preview when it is read."""
    job = _job(public_id)
    return render(request, "assessments/register_import.html", {
        "job": job, "actions": allowed_actions(job, request.user), **imports.preview(job)})


ACTIONS = {
    "confirmed": (register_jobs.register_confirm, gettext_lazy("The register is being imported in the background.")),
    "discarded": (register_jobs.register_discard, gettext_lazy("Import discarded; nothing was written.")),
    "retried": (register_jobs.register_retry, gettext_lazy("The register is being read again.")),
}


@require_POST
@lsp_admin
def register_action(request, public_id, action: str):
    return imports.import_action(request, _job(public_id), action, ACTIONS)
