"""The LSP profile page (LSP admin only) and its logo, served privately."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from certportal.files import private_file_response
from certportal.permissions import role_required

from . import services
from .forms import ProfileForm


@role_required(Role.LSP_ADMIN)
def profile(request):
    current = services.current_profile()
    initial = {f: getattr(current, f) for f in services.TEXT_FIELDS}
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.TEXT_FIELDS}
        logo = form.cleaned_data.get("logo")
        try:
            services.profile_update(actor=request.user, logo=logo or None,
                                    logo_kind=getattr(form, "logo_kind", ""), **data)
        except services.LspProfileError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The LSP profile was saved. Documents issued from now on print it; "
                                        "documents already issued keep what they were issued with."))
            return redirect("lsp:profile")
    last = AuditEntry.objects.for_object(current).first() if current.pk and current.updated_at else None
    return render(request, "lsp/profile.html", {"form": form, "profile": current, "last_change": last,
                                                "title": _("LSP profile")})


@role_required(Role.LSP_ADMIN)
def logo(request):
    current = services.current_profile()
    if not current.logo:
        raise Http404
    return private_file_response(current.logo, "logo-lsp.png")
