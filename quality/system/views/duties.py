"""The LSP's periodic duties: each with its due date, the roles that own it and its state (later, due soon,
overdue). The LSP admin, quality and the supervisor read them all; the head of a test site reads those they own."""

from __future__ import annotations

from django.utils import timezone

from certportal import kept_pages
from certportal.accounts.models import Role
from certportal.permissions import role_required
from quality.kept_pages import DUTIES

from .. import selectors
from ..duties import REMIND_DAYS_BEFORE, all_duties, owns


@role_required(*selectors.DUTY_READERS)
def duty_list(request):
    """Kept per reader (``quality.kept_pages``): the duties are worked out from a dozen tables."""
    reader = request.user.has_role(*selectors.READERS)

    def draw() -> dict:
        today = timezone.localdate()
        duties = all_duties(today)
        if not reader:
            duties = [d for d in duties if owns(request.user, d)]
        return {"rows": [{"duty": d, "stage": d.stage(today), "link": d.may_open(request.user),
                          "roles": ", ".join(str(Role(r).label) for r in d.roles)} for d in duties]}

    return kept_pages.page(request, "quality/system/duties.html", DUTIES, kept_pages.WHOLE, draw,
                           around={"days": REMIND_DAYS_BEFORE, "reader": reader})
