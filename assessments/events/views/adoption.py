"""The LSP admin's imports of assessors and test sites (a province switching on with its history):

    upload (the kind chosen; XLSX or CSV) → a background job reads and checks every row (progress) → the preview
    shows every faulty row with its problems and what the others would change → import (a background job again:
    progress, then every row or none, audited) or discard.

Every page is the LSP admin's; anyone else is refused (403), the job pages answer 404 to an unknown id.
"""

from django import forms
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from assessments.events.models import AdoptionImport
from assessments.events.services import adoption_jobs
from certportal.accounts.models import Role
from certportal.jobs import imports
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_service

lsp_admin = role_required(Role.LSP_ADMIN)


class AdoptionUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("The file holds"), choices=AdoptionImport.Kind.choices,
                             widget=forms.RadioSelect)
    file = forms.FileField(label=gettext_lazy("The file (XLSX or CSV)"), help_text=gettext_lazy(
        "One assessor or test site per row; the first row names the columns. Nothing is imported before you read "
        "the preview and confirm it."))


def _columns() -> list[dict]:
    return [{"kind": kind.label, "columns": [
        {"label": label, "names": names, "required": key in module.REQUIRED}
        for key, (label, names) in module.COLUMNS.items()]} for kind, module in (
        (AdoptionImport.Kind.ASSESSORS, adoption_jobs.adoption_assessors),
        (AdoptionImport.Kind.TEST_SITES, adoption_jobs.adoption_sites))]


@lsp_admin
def adoption(request):
    """The upload form, the columns each file has, and the imports so far."""
    form = AdoptionUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, started = form.cleaned_data["file"], {}

        def start():
            started["job"] = adoption_jobs.adoption_start(kind=form.cleaned_data["kind"], data=upload.read(),
                                                          filename=str(upload.name), actor=request.user)
            return started["job"]

        if run_service(request, start, success=_("The file is uploaded; it is read and checked in the "
                                                 "background.")):
            return redirect(started["job"])
    return render(request, "assessments/adoption.html", {
        "form": form, "kinds": _columns(),
        "imports": AdoptionImport.objects.select_related("created_by").defer("rows")[:20]})


def _job(public_id) -> AdoptionImport:
    return get_object_or_404(AdoptionImport.objects.select_related("created_by"), public_id=public_id)


@never_cache
@lsp_admin
def adoption_import(request, public_id):
    """The job: progress while it is read or imported, the reason when it failed, the preview when it is read."""
    job = _job(public_id)
    return render(request, "assessments/adoption_import.html", {
        "job": job, "actions": allowed_actions(job, request.user), "assessors": job.kind == job.Kind.ASSESSORS,
        **imports.preview(job)})


ACTIONS = {
    "confirmed": (adoption_jobs.adoption_confirm, gettext_lazy("The file is being imported in the background.")),
    "discarded": (adoption_jobs.adoption_discard, gettext_lazy("Import discarded; nothing was written.")),
    "retried": (adoption_jobs.adoption_retry, gettext_lazy("The file is being read again.")),
}


@require_POST
@lsp_admin
def adoption_action(request, public_id, action: str):
    return imports.import_action(request, _job(public_id), action, ACTIONS)
