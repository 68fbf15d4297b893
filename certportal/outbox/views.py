"""The failed-messages page of the LSP admin (/surel-gagal/): what failed and why, and "send again"."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from certportal.pagination import CappedPaginator
from certportal.permissions import role_required
from certportal.roles import Role
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action

from . import services
from .models import OutboxMessage


@never_cache
@role_required(Role.LSP_ADMIN)
def failed(request):
    qs = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).order_by("-failed_at", "-id")
    page = CappedPaginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(message, allowed_actions(message, request.user)["resent"]) for message in page]
    return render(request, "outbox/failed.html", {"page": page, "rows": rows})


@require_POST
@role_required(Role.LSP_ADMIN)
def resend(request, pk):
    message = get_object_or_404(OutboxMessage, pk=pk)
    return run_action(request, lambda _data: services.resend(message, user=request.user),
                      success=_("%(message)s is queued to be sent again.") % {"message": message}, redirect_to="outbox:failed")


@require_POST
@role_required(Role.LSP_ADMIN)
def resend_all(request):
    def success(count: int) -> str:
        return ngettext("%(count)s message is queued to be sent again.",
                        "%(count)s messages are queued to be sent again.", count) % {"count": count}

    return run_action(request, lambda _data: services.resend_all(user=request.user), success=success,
                      redirect_to="outbox:failed")
