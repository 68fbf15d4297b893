"""What waits for the LSP admin in schemes, for the home page (registered with :mod:`certportal.workqueue`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from certportal.workqueue import WorkItem


def lsp_admin(user) -> list[WorkItem]:
    """Decree imports waiting: read and to review and confirm, or failed (shown first, as overdue are)."""
    from .importers.jobs import waiting

    counts = waiting()
    return [WorkItem(_("Decree imports waiting"), sum(counts.values()), reverse("schemes:manage-imports"),
                     counts["failed"], "decree-imports")]
