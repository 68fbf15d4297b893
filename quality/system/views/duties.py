"""The LSP's periodic duties: each with its due date, the roles that own it and its state (later, due soon,
overdue). The LSP admin, quality and the supervisor read them all; the head of a test site reads those they own."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from certportal.accounts.models import Role
from certportal.permissions import role_required

from .. import selectors
from ..duties import REMIND_DAYS_BEFORE, all_duties, owns


@role_required(*selectors.DUTY_READERS)
def duty_list(request):
    today = timezone.localdate()
    duties = all_duties(today)
    if not request.user.has_role(*selectors.READERS):
        duties = [d for d in duties if owns(request.user, d)]
    rows = [{"duty": d, "stage": d.stage(today), "link": d.may_open(request.user),
             "roles": ", ".join(str(Role(r).label) for r in d.roles)} for d in duties]
    return render(request, "quality/system/duties.html", {"rows": rows, "days": REMIND_DAYS_BEFORE,
                                                          "reader": request.user.has_role(*selectors.READERS)})
