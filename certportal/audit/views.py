from django.contrib.auth import get_user_model
from django.shortcuts import render

from certportal.pagination import CappedPaginator
from certportal.permissions import role_required
from certportal.roles import Role

from .drawing import form_html, rows_html
from .filters import AuditFilter
from .models import AuditEntry


@role_required(Role.LSP_ADMIN, Role.SUPERVISOR)
def search(request):
    f = AuditFilter(request.GET or None, queryset=AuditEntry.objects.select_related("content_type"))
    qs = f.qs if f.is_bound else AuditEntry.objects.select_related("content_type")
    page = CappedPaginator(qs, 50).get_page(request.GET.get("page"))
    actor = ""
    if f.is_bound and f.form.is_valid() and f.form.cleaned_data.get("actor"):  # the person picked by id
        found = get_user_model().objects.filter(pk=f.form.cleaned_data["actor"]).values_list(
            "full_name", "email").first()
        actor = (found[0] or found[1]) if found else "—"
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "audit/search.html", {"filter": f, "page": page, "params": params.urlencode(),
                                                 "actor": actor, "rows": rows_html(page),
                                                 "form_fields": form_html(f.form)})
