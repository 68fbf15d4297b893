"""The work the agency's view of its people puts on the officer's and the head's home page: their people's
certificates that end within six months (to propose them for re-certification in time) and surveillance due."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal import figures
from certportal.workqueue import WorkItem, reads

from . import people
from .roster import FIGURES


def _counts(scope: people.Scope, today) -> tuple[int, int]:
    certificates = people.certificates_for(scope)
    return (certificates.filter(people.group_filter("expiring", today)).count(),
            len(people.surveillance_due(certificates, today)))


@reads("accounts.User", "agencies.AgencyMembership", "agencies.RosterEntry", "applicants.Agency",
       "applicants.ApplicantProfile", "applicants.Application", "assessments.Certificate",
       "assessments.SurveillanceReport", "schemes.Scheme")
def expiring(user) -> list[WorkItem]:
    scope = people.scope_of(user)
    if scope.nobody:
        return []
    today = timezone.localdate()
    # every certificate of the agency's people read (the surveillance due is worked out in Python): counted once a
    # minute and day per agency, the same for its officer and its head
    key = ("expiring", scope.agency.pk if scope.agency else "all", today)
    soon, due = figures.kept(FIGURES, key, lambda: _counts(scope, today))
    url = reverse("agencies:people-certificates")
    return [WorkItem(_("Our people's certificates expiring within 6 months"), soon, f"{url}?group=expiring", 0,
                     "people-expiring"),
            WorkItem(_("Our people's surveillance due"), due, f"{url}?group=surveillance", 0, "people-surveillance")]
