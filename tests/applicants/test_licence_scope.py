"""A scheme published outside the LSP's licensed scope is not offered to applicants (ISO/IEC 17024 4.1, 9.1): the
catalogue labels it, its page shows why instead of the Apply button, the start page leaves it out, the service
refuses a draft for it with the reason, an agency's funded round cannot name it nor take proposals for it, and the
BNSP report counts it apart from the schemes in force."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from agencies.forms import RoundForm
from agencies.models import FundedRound, RoundStatus
from agencies.services import proposal_refusal
from applicants import services
from applicants.models import Agency, Application
from certportal.lsp.licence import scope_refusal
from certportal.lsp.models import LspProfile
from quality.reports import figures

from .factories import ProfileFactory, scheme_with_parts

pytestmark = pytest.mark.django_db

REASON = "is not in the scope of the LSP's BNSP licence BNSP-LSP-1207-ID"


@pytest.fixture
def schemes(db):
    """``inside`` is in the licensed scope, ``outside`` is published but not; the licence is in force."""
    inside, outside = scheme_with_parts(), scheme_with_parts()
    for s in (inside, outside):
        s.is_published = True
        s.save()
    today = timezone.localdate()
    LspProfile.objects.create(pk=1, name="LSP Uji", city="Jakarta", licence_number="BNSP-LSP-1207-ID",
                              licence_date=today - datetime.timedelta(days=400),
                              licence_valid_until=today + datetime.timedelta(days=400), licence_scope=[inside.code])
    return inside, outside


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_the_catalogue_labels_the_scheme_outside_the_scope_and_its_page_shows_why_not_the_button(schemes, client,
                                                                                                 english):
    inside, outside = schemes
    page = client.get("/skema/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row_in, row_out = (page.split(f'href="/skema/{s.pk}/"')[1].split("</tr>")[0] for s in (inside, outside))
    assert "data-not-open" in row_out and "data-not-open" not in row_in
    detail = client.get(f"/skema/{outside.pk}/").content.decode()
    assert 'id="apply"' not in detail and 'id="not-open"' in detail
    assert 'id="apply"' in client.get(f"/skema/{inside.pk}/").content.decode()


def test_the_start_page_offers_only_schemes_in_scope_and_the_service_refuses_the_other(schemes, alice, login):
    inside, outside = schemes
    ProfileFactory(user=alice)
    client = login(alice)
    page = client.get("/permohonan/baru/").content.decode()
    assert f'id="scheme-{inside.pk}"' in page and f'id="scheme-{outside.pk}"' not in page
    asked = client.get(f"/permohonan/baru/?scheme={outside.pk}", follow=True).content.decode()
    with translation.override(re.search(r'<html lang="(\w+)"', asked).group(1)):  # the reason in the page's language
        reason = scope_refusal(outside.code).split(":")[0]
    assert reason in asked.replace("&#x27;", "'")
    response = client.post("/permohonan/baru/", {"scheme": outside.pk}, follow=True)
    assert not Application.objects.filter(scheme=outside).exists()
    assert reason in response.content.decode().replace("&#x27;", "'")
    with translation.override("en"), pytest.raises(services.ApplicationError, match=REASON):
        services.application_start(user=alice, scheme=outside)
    assert services.application_start(user=alice, scheme=inside).scheme == inside


def test_without_a_recorded_licence_every_published_scheme_is_offered(alice, login):
    one, two = scheme_with_parts(), scheme_with_parts()
    for s in (one, two):
        s.is_published = True
        s.save()
    ProfileFactory(user=alice)
    page = login(alice).get("/permohonan/baru/").content.decode()
    assert f'id="scheme-{one.pk}"' in page and f'id="scheme-{two.pk}"' in page


def test_a_funded_round_cannot_name_the_scheme_nor_take_proposals_for_it(schemes, english, on_23_november):
    inside, outside = schemes
    assert list(RoundForm().fields["schemes"].queryset) == [inside]
    today = datetime.date(2026, 11, 23)
    funded = FundedRound.objects.create(name="APBD 2026", fiscal_year=2026, opens_on=today,
                                        closes_on=today + datetime.timedelta(days=30), status=RoundStatus.OPEN)
    funded.schemes.set([inside, outside])  # a round saved before the scope was narrowed
    agency = Agency.objects.create(name="Dinas Kesehatan")
    assert REASON in proposal_refusal(funded, outside, agency, 1, today=today)
    assert REASON not in (proposal_refusal(funded, inside, agency, 1, today=today) or "")


def test_the_bnsp_report_counts_the_scheme_outside_the_scope_apart(schemes):
    inside, outside = schemes
    assert list(figures.schemes_in_force()) == [inside]
    assert list(figures.schemes_outside_scope()) == [outside]
    found = figures.compute(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))["in_force"]
    assert found["schemes"] == 1 and found["schemes_outside_scope"] == 1
