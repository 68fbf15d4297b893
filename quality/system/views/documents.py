"""The LSP's controlled documents: the register (with the version in force on a date the reader picks), a document's
page with all its versions (superseded ones kept), a new document, a new version, its approval and its file."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certportal import kept_pages
from certportal.accounts.models import Role
from certportal.files import private_file_response
from certportal.net import client_ip
from certportal.pagination import CappedPaginator
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_form
from quality.kept_pages import DOCUMENTS

from .. import selectors, services
from ..forms import DocumentForm, OnDateForm, VersionForm
from ..models import ControlledDocument, DocumentVersion
from ..workflow import VERIFIERS

PAGE_SIZE = 50


def _on_date(request):
    form = OnDateForm(request.GET or None)
    on = form.cleaned_data.get("on") if form.is_valid() else None
    return form, on or timezone.localdate()


@role_required(*selectors.READERS)
def document_list(request):
    """The register, 50 documents a page by code (its pages keep the date asked for), kept per reader."""
    def draw() -> dict:
        form, on = _on_date(request)
        page = CappedPaginator(selectors.documents_in_force(on), PAGE_SIZE).get_page(request.GET.get("page"))
        asked = form.is_valid() and form.cleaned_data.get("on")
        return {"documents": selectors.with_version_in_force(page.object_list), "page": page, "on": on,
                "date_form": form, "params": urlencode({"on": request.GET["on"]}) if asked else "",
                "today": timezone.localdate()}

    return kept_pages.page(request, "quality/system/document_list.html", DOCUMENTS, kept_pages.WHOLE, draw)


@role_required(*selectors.READERS)
def document_detail(request, pk: int):
    document = get_object_or_404(ControlledDocument.objects.select_related("created_by"), pk=pk)
    form, on = _on_date(request)
    today = timezone.localdate()
    versions = selectors.versions_with_standing(document, today)
    return render(request, "quality/system/document_detail.html", {
        "document": document, "versions": [(v, allowed_actions(v, request.user)) for v in versions],
        "on": on, "date_form": form, "in_force_on": selectors.version_in_force(document, on), "today": today,
        "in_force": selectors.version_in_force(document, today),
        "may_upload": request.user.has_role(*VERIFIERS)})


@role_required(Role.LSP_ADMIN, Role.QUALITY)
def document_create(request):
    form = DocumentForm(request.POST or None)
    return run_form(request, form, lambda d: services.document_create(actor=request.user, ip=client_ip(request), **d),
                    success=_("The document is registered: upload its first version."), redirect_to=lambda d: d,
                    template="core/form_page.html", context={"title": _("Register a controlled document")})


@role_required(Role.LSP_ADMIN, Role.QUALITY)
def version_upload(request, pk: int):
    document = get_object_or_404(ControlledDocument, pk=pk)
    form = VersionForm(request.POST or None, request.FILES or None)
    return run_form(request, form, lambda d: services.version_upload(
        document, actor=request.user, ip=client_ip(request), label=d["label"], effective_on=d["effective_on"],
        summary=d["summary"], upload=d["file"]),
                    success=_("The version is uploaded; someone else approves it."), redirect_to=document,
                    template="core/form_page.html",
                    context={"title": _("New version of %(document)s") % {"document": document}})


@role_required(Role.LSP_ADMIN, Role.QUALITY)
@require_POST
def version_approve(request, pk: int):
    version = get_object_or_404(DocumentVersion.objects.select_related("document"), pk=pk)
    return run_action(request, lambda d: services.version_approve(version, actor=request.user, ip=client_ip(request)),
                      success=_("Version approved."), redirect_to=version.document)


@role_required(*selectors.READERS)
def version_file(request, pk: int):
    version = get_object_or_404(DocumentVersion.objects.select_related("document"), pk=pk)
    return private_file_response(version.file, f"{version.document.code} {version.label}.pdf")
