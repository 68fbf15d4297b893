"""The LSP admin's work queue: failed e-mails and tasks (registered with :mod:`certportal.workqueue`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from certportal.workqueue import WorkItem, reads

from .models import OutboxMessage


@reads("outbox.OutboxMessage")
def lsp_admin(user) -> list[WorkItem]:
    """Failed messages, shown first (in red) while there are any, so a lost e-mail is noticed."""
    failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count()
    return [WorkItem(_("Failed e-mails"), failed, reverse("outbox:failed"), failed, "failed-outbox")]
