"""The LSP admin's queue: the declarations of interest due (missing, or ending within 30 days)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal.workqueue import WorkItem, reads

from .rules import due_people


@reads("accounts.User", "accounts.UserRole", "quality.Declaration")
def lsp_admin(user) -> list[WorkItem]:
    today = timezone.localdate()
    counts = due_people(today).aggregate(due=Count("pk"), missing=Count("pk", filter=Q(declared_until__isnull=True)))
    return [WorkItem(_("Declarations of interest due"), counts["due"],
                     reverse("quality:impartiality") + "#declarations", counts["missing"], "declarations-due")]
