"""Decree imports for the LSP admin, one flow for SKKNI and KKNI decrees (issue 15 point 4):

    upload → a background job reads the stored decree (progress; a failure shows its reason and may be retried)
    → the review page reads the stored parse → confirm applies it (one transaction, audited) or discard.

The upload goes through the portal's safe file checks (certportal.files) and is kept in private storage; nothing is
written to the catalogue before the confirmation. Every page is the LSP admin's (any LSP admin: the imports wait on
their shared work queue).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from certportal.accounts.models import Role
from certportal.net import client_ip
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_service

from ..forms import KkniUploadForm, SkkniUploadForm
from ..importers import jobs
from ..importers.kkni_load import fingerprint
from ..models import Decree, ImportJob, Unit

lsp_admin = role_required(Role.LSP_ADMIN)
K = ImportJob.Kind
FLOWS = {
    K.SKKNI: {"form": SkkniUploadForm, "template": "schemes/manage/skkni_upload.html", "done": "schemes:manage-units"},
    K.KKNI: {"form": KkniUploadForm, "template": "schemes/manage/kkni_upload.html",
             "done": "schemes:manage-qualifications"},
}


def _recent(kind: str):
    return ImportJob.objects.filter(kind=kind).select_related("created_by")[:5]


@lsp_admin
def upload(request, kind: str):
    """Step 1, the same for both kinds: a checked upload is stored and handed to a worker."""
    flow = FLOWS[kind]
    form = flow["form"](request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = None

        def start():
            nonlocal job
            job = jobs.import_start(kind=kind, data=form.content, filename=form.cleaned_data["file"].name,
                                    actor=request.user, links_removed=form.links_removed)
            return job

        if run_service(request, start, success=_("The decree is uploaded; it is being read in the background.")):
            if form.links_removed:
                messages.info(request, ngettext(
                    "%(count)s link to a web address was removed from the PDF before it was kept (a link in an "
                    "uploaded file is never followed from the portal); the text is unchanged.",
                    "%(count)s links to web addresses were removed from the PDF before it was kept (a link in an "
                    "uploaded file is never followed from the portal); the text is unchanged.",
                    form.links_removed) % {"count": form.links_removed})
            return redirect(job)
    return render(request, flow["template"], {"form": form, "recent": _recent(kind)})


@never_cache
@lsp_admin
def import_list(request):
    """Every decree import, those waiting for an LSP admin (to review, or failed) first."""
    waiting = ImportJob.objects.filter(status__in=ImportJob.WAITING).select_related("created_by")
    others = ImportJob.objects.exclude(status__in=ImportJob.WAITING).select_related("created_by")[:30]
    return render(request, "schemes/manage/import_list.html", {"waiting": waiting, "others": others})


def _review_context(job: ImportJob) -> dict:
    """What the review of the stored parse shows, per kind."""
    parsed = job.parsed or {}
    if job.kind == K.SKKNI:
        codes = [u["code"] for u in parsed.get("units", [])]
        return {"existing": set(Unit.objects.filter(code__in=codes).values_list("code", flat=True))}
    d = parsed["decree"]
    existing = Decree.objects.filter(kind=Decree.Kind.KKNI, number=d["number"], year=d["year"]).first()
    qualifications = {q["letter"]: q["title"] for q in parsed["qualifications"]}
    variants = [{**v, "titles": [{**t, "names": [f"{x} · {qualifications.get(x, '')}" for x in t["qualifications"]]}
                                 for t in v["titles"]]} for v in parsed.get("title_variants", [])]
    return {"existing": existing, "variants": variants,
            "unchanged": bool(existing and existing.fingerprint == fingerprint(parsed))}


def _job(public_id) -> ImportJob:
    return get_object_or_404(ImportJob.objects.select_related("created_by"), public_id=public_id)


@never_cache
@lsp_admin
def import_detail(request, public_id):
    """The job's page: progress while it is read, the reason when it failed, the review when it is read."""
    job = _job(public_id)
    context = {"job": job, "parsed": job.parsed, "actions": allowed_actions(job, request.user)}
    if job.status == ImportJob.Status.DONE:
        context.update(_review_context(job))
    return render(request, "schemes/manage/import_detail.html", context)


# lazy: said in the language of whoever acts (a gettext here would freeze the default, Indonesian, at import)
ACTIONS = {
    "applied": (jobs.import_apply, None),
    "discarded": (jobs.import_discard, gettext_lazy("Import discarded; nothing was written.")),
    "retried": (jobs.import_retry, gettext_lazy("The decree is being read again.")),
}


@require_POST
@lsp_admin
def import_action(request, public_id, action: str):
    if action not in ACTIONS:
        raise Http404
    job = _job(public_id)
    service, message = ACTIONS[action]
    done_url = FLOWS[job.kind]["done"] if action == "applied" else None
    result = run_action(request, lambda _data: service(job, actor=request.user, ip=client_ip(request)),
                        success=message or (lambda j: j.result), redirect_to=job)
    if action == "applied" and job.status != ImportJob.Status.DONE:
        return redirect(done_url)
    return result
