from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import services


def inbox(request):
    page = Paginator(request.user.notifications.all(), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_POST
def mark_read(request):
    pk = request.POST.get("id")
    services.mark_read(request.user, int(pk) if pk and pk.isdigit() else None)
    return redirect("notifications:inbox")
