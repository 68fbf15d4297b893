"""The province's roster of civil servants for the LSP admin and the BKPSDM's officers (issue 48): the upload,
each import's page (progress, the preview with every faulty row's message, the result) and one person's history.

Only the LSP admin and verifiers (the BKPSDM) see these pages; an agency's own officers see their people through
the people pages, which follow the roster (``agencies.roster``).
"""

from django.conf import settings
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from certportal.accounts.models import Role
from certportal.net import client_ip
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_service

from .. import roster_jobs
from ..forms import RosterUploadForm
from ..models import RosterEntry, RosterImport, RosterStatus

roster_keepers = role_required(Role.LSP_ADMIN, Role.VERIFIER)


@never_cache
@roster_keepers
def roster(request):
    """The roster's counts, the upload, the recent imports, a look-up by NIP."""
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, job = form.cleaned_data["file"], None

        def begin():
            nonlocal job
            job = roster_jobs.start(data=upload.read(), filename=str(upload.name), actor=request.user,
                                    whole=form.cleaned_data["whole"])
            return job

        if run_service(request, begin, success=_("The file is uploaded; it is being checked in the background.")):
            return redirect(job)
    nip = "".join(ch for ch in request.GET.get("nip", "") if ch.isdigit())[:18]
    if nip and RosterEntry.objects.filter(nip=nip).exists():
        return redirect("agencies:roster-entry", nip=nip)
    counts = dict(RosterEntry.objects.values_list("status").annotate(n=Count("pk")))
    return render(request, "agencies/roster/roster.html", {
        "form": form, "counts": [(s.label, counts.get(s.value, 0)) for s in RosterStatus],
        "total": sum(counts.values()), "searched": nip, "siasn": bool(settings.SIASN_API_URL),
        "imports": RosterImport.objects.select_related("created_by")[:20]})


@require_POST
@roster_keepers
def roster_fetch(request):
    """One NIP fetched from SIASN's web service and written to the roster (``agencies.siasn``)."""
    from .. import siasn

    nip = "".join(ch for ch in request.POST.get("nip", "") if ch.isdigit())[:18]
    entry = None

    def fetch():
        nonlocal entry
        entry = siasn.fetch(nip, actor=request.user)
        return entry

    if run_service(request, fetch, success=_("Fetched from SIASN.")):
        return redirect("agencies:roster-entry", nip=entry.nip)
    return redirect("agencies:roster")


@never_cache
@roster_keepers
def roster_entry(request, nip: str):
    entry = get_object_or_404(RosterEntry.objects.select_related("agency"), nip=nip)
    changes = entry.changes.select_related("job", "job__created_by")[:100]
    return render(request, "agencies/roster/entry.html", {"entry": entry, "changes": changes})


def _job(public_id) -> RosterImport:
    return get_object_or_404(RosterImport.objects.select_related("created_by"), public_id=public_id)


@never_cache
@roster_keepers
def roster_import(request, public_id):
    job = _job(public_id)
    return render(request, "agencies/roster/import.html", {
        "job": job, "preview": job.preview or {}, "actions": allowed_actions(job, request.user)})


ACTIONS = {
    "confirmed": (roster_jobs.confirm, gettext_lazy("The roster is being imported in the background.")),
    "discarded": (roster_jobs.discard, gettext_lazy("Import discarded; nothing was written.")),
    "retried": (roster_jobs.retry, gettext_lazy("The file is being checked again.")),
}


@require_POST
@roster_keepers
def roster_import_action(request, public_id, action: str):
    if action not in ACTIONS:
        raise Http404
    job = _job(public_id)
    service, message = ACTIONS[action]
    return run_action(request, lambda _data: service(job, actor=request.user, ip=client_ip(request)),
                      success=message, redirect_to=job)
