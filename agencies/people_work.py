"""The work the agency's view of its people puts on the officer's and the head's home page: their people's
certificates that end within six months (to propose them for re-certification in time) and surveillance due."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal.workqueue import WorkItem

from . import people


def expiring(user) -> list[WorkItem]:
    scope = people.scope_of(user)
    if scope.nobody:
        return []
    today = timezone.localdate()
    certificates = people.certificates_for(scope)
    soon = certificates.filter(people.group_filter("expiring", today)).count()
    due = len(people.surveillance_due(certificates, today))
    url = reverse("agencies:people-certificates")
    return [WorkItem(_("Our people's certificates expiring within 6 months"), soon, f"{url}?group=expiring", 0,
                     "people-expiring"),
            WorkItem(_("Our people's surveillance due"), due, f"{url}?group=surveillance", 0, "people-surveillance")]
