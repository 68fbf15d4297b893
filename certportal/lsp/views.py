"""The LSP profile page (LSP admin only) and its logo, served privately."""

from django.http import Http404
from django.utils.translation import gettext as _

from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from certportal.files import private_file_response
from certportal.permissions import role_required
from certportal.workflow.views import run_form

from . import services
from .forms import ProfileForm


@role_required(Role.LSP_ADMIN)
def profile(request):
    current = services.current_profile()
    initial = {f: getattr(current, f) for f in (*services.TEXT_FIELDS, *services.CHANNEL_FIELDS,
                                                 *services.LICENCE_DATES, "licence_scope")}
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)

    def page() -> dict:
        last = AuditEntry.objects.for_object(current).first() if current.pk and current.updated_at else None
        return {"profile": current, "last_change": last, "title": _("LSP profile")}

    return run_form(request, form, lambda data: services.profile_update(
        actor=request.user, logo=data.get("logo") or None, logo_kind=getattr(form, "logo_kind", ""),
        licence_document=data.get("licence_document") or None, licence_scope=data["licence_scope"],
        **{f: data[f] for f in (*services.TEXT_FIELDS, *services.CHANNEL_FIELDS, *services.LICENCE_DATES)}),
        success=_("The LSP profile was saved. Documents issued from now on print it; documents already issued keep "
                  "what they were issued with."),
        redirect_to="lsp:profile", template="lsp/profile.html", context=page)


@role_required(Role.LSP_ADMIN)
def logo(request):
    current = services.current_profile()
    if not current.logo:
        raise Http404
    return private_file_response(current.logo, "logo-lsp.png")


@role_required(Role.LSP_ADMIN)
def licence(request):
    current = services.current_profile()
    if not current.licence_document:
        raise Http404
    return private_file_response(current.licence_document, "lisensi-bnsp.pdf")
