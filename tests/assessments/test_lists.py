"""List pages run a constant number of queries whatever the page size."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.certificates.models import Certificate
from assessments.events.models import Appeal, Event, EventAssessor, Participant

from .factories import make_application

pytestmark = pytest.mark.django_db


def _events(n, scheme, site, assessor):
    events = Event.objects.bulk_create([Event(scheme=scheme, test_site=site, starts_at=timezone.now())
                                        for _ in range(n)])
    EventAssessor.objects.bulk_create([EventAssessor(event=e, assessor=assessor) for e in events])
    return events


def _certificates(n, scheme, site):
    event = Event.objects.create(scheme=scheme, test_site=site, starts_at=timezone.now())
    today = timezone.localdate()
    for i in range(n):
        app = make_application(scheme)
        p = Participant.objects.create(event=event, application=app, decision="BK" if i % 2 else "K")
        Certificate.objects.create(participant=p, application=app, number=f"{p.pk}/T/{today.year}", year=today.year,
                                   sequence=p.pk, verification_code=f"CODE{p.pk:012d}", issued_on=today,
                                   expires_on=today, holder_name=app.applicant_name, scheme_code=scheme.code,
                                   scheme_name=scheme.name)
        if i % 2:
            Appeal.objects.create(participant=p, grounds="Alasan")


@pytest.mark.parametrize("url_name,who", [("assessments:events", "lina"), ("assessments:assessor-home", "asa"),
                                          ("assessments:reviews", "tono")])
def test_event_lists_use_constant_queries(request, login, django_assert_max_num_queries, scheme, site, assessor,
                                          url_name, who):
    client = login(request.getfixturevalue(who))
    _events(5, scheme, site, assessor)
    with django_assert_max_num_queries(20) as small:
        assert client.get(reverse(url_name)).status_code == 200
    _events(55, scheme, site, assessor)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", ["assessments:certificates", "assessments:appeals"])
def test_certificate_and_appeal_lists_use_constant_queries(login, lina, django_assert_max_num_queries, scheme, site,
                                                           url_name):
    client = login(lina)
    _certificates(5, scheme, site)
    with django_assert_max_num_queries(20) as small:
        assert client.get(reverse(url_name)).status_code == 200
    _certificates(55, scheme, site)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", ["assessments:events", "assessments:certificates", "assessments:appeals",
                                      "assessments:assessors"])
def test_staff_lists_refuse_applicants_and_assessors(login, alice, other_assessor_user, url_name):
    assert login(alice).get(reverse(url_name)).status_code == 403
    if url_name != "assessments:events":
        assert login(other_assessor_user).get(reverse(url_name)).status_code == 403
