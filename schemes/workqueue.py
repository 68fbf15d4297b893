"""What waits for the LSP admin in schemes, for the home page (registered with :mod:`certportal.workqueue`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from certportal.workqueue import WorkItem, reads


@reads("schemes.Decree", "schemes.ImportJob", "schemes.Qualification", "schemes.Scheme")
def lsp_admin(user) -> list[WorkItem]:
    """Decree imports waiting: read and to review and confirm, or failed (shown first, as overdue are)."""
    from .importers.jobs import waiting

    counts = waiting()
    return [WorkItem(_("Decree imports waiting"), sum(counts.values()), reverse("schemes:manage-imports"),
                     counts["failed"], "decree-imports"), *_decree_life()]


def _decree_life() -> list[WorkItem]:
    """A decree past its review date (Kepmenaker 3/2021: every five years), and current schemes resting on a revoked
    or not-yet-in-force decree: shown only when there are some, in red."""
    from django.utils import timezone

    from .models import Decree, Scheme
    from .selectors import reviews_overdue, scheme_decree_problem

    today = timezone.localdate()
    items = []
    overdue = list(reviews_overdue(today))
    if overdue:
        label = _("Decree reviews overdue: %(decrees)s") % {"decrees": ", ".join(map(str, overdue))}
        items.append(WorkItem(label, len(overdue), reverse("schemes:manage-decrees"), len(overdue), "decree-reviews"))
    decrees = list(Decree.objects.all())
    schemes = Scheme.objects.filter(is_current=True).select_related("decree", "qualification__decree")
    flagged = [s for s in schemes if (s.decree_id or s.qualification_id) and scheme_decree_problem(s, today, decrees)]
    if flagged:
        items.append(WorkItem(_("Schemes resting on a revoked or not-yet-in-force decree"), len(flagged),
                              reverse("schemes:manage-schemes"), len(flagged), "scheme-decrees"))
    return items
