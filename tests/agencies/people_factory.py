"""Staff of an agency with certificates in a chosen state, for the tests of the agency's view of its people (and
the browser test): a profile naming the agency and the position, and certificates made as the list tests make
them (an event, a participant decided K, the certificate row with its dates and status)."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from applicants.models import Application, Status
from assessments.certificates.models import Certificate
from assessments.certificates.services.reminders import add_months
from assessments.events.models.events import Event
from assessments.events.models.participants import Participant
from certportal.accounts.models import Role
from tests.applicants.factories import ProfileFactory, make_nip
from tests.assessments.factories import SiteFactory
from tests.factories import UserFactory

SERIAL = itertools.count(500)


def staff(agency, name: str, position: str):
    """A civil servant of ``agency`` (their profile names it) holding ``position``."""
    user = UserFactory(full_name=name, roles=[Role.APPLICANT])
    ProfileFactory(user=user, full_name=name, nip=make_nip(serial=next(SERIAL) % 1000), org_unit=agency.name,
                   position=position)
    return user


def application(user, scheme, status: str = Status.SUBMITTED) -> Application:
    profile = user.applicant_profile
    return Application.objects.create(applicant=user, scheme=scheme, status=status, experienced=True,
                                      applicant_name=profile.full_name, nip=profile.nip, org_unit=profile.org_unit,
                                      submitted_at=timezone.now(), profile_data=profile.snapshot())


def certificate(user, scheme, *, issued_on: datetime.date | None = None, years: int = 3, status: str = "issued",
                suspended_until: datetime.date | None = None) -> Certificate:
    today = timezone.localdate()
    issued_on = issued_on or today
    app = application(user, scheme, Status.CERTIFIED)
    event = Event.objects.create(scheme=scheme, test_site=SiteFactory(), starts_at=timezone.now())
    p = Participant.objects.create(event=event, application=app, decision="K")
    expires_on = add_months(issued_on, 12 * years)
    return Certificate.objects.create(
        participant=p, application=app, number=f"{p.pk}/SK/{issued_on.year}", year=issued_on.year, sequence=p.pk,
        verification_code=f"PEOPLE{p.pk:010d}", issued_on=issued_on, expires_on=expires_on, status=status,
        suspended_until=suspended_until, holder_name=user.applicant_profile.full_name,
        holder_nip=user.applicant_profile.nip, holder_unit=user.applicant_profile.org_unit,
        scheme_code=scheme.code, scheme_name=scheme.name)
