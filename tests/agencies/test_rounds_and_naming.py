"""Issue 29 item 4: the LSP admin opens a funded round (year, schemes, places per agency, dates); its page shows the
places used per agency; naming participants respects the round; self-funded applicants apply outside quotas."""

import datetime

import pytest
import time_machine

from agencies import services
from agencies.models import FundedRound, RoundStatus
from applicants import services as app_services
from applicants.models import Status
from certportal.audit.models import AuditEntry
from certportal.workflow import allowed_actions
from tests.applicants.factories import ProfileFactory, make_nip
from tests.applicants.helpers import accept_all, submitted_application

from .conftest import person, propose

pytestmark = pytest.mark.django_db


def test_lsp_admin_creates_a_round_sets_places_and_opens_it(on_23_november, scheme, dinkes, lina, login):
    client = login(lina)
    page = client.post("/perangkat-daerah/putaran/baru/", {
        "name": "APBD Perubahan", "fiscal_year": 2026, "schemes": [scheme.pk], "opens_on": "2026-11-20",
        "closes_on": "2026-12-20"}, follow=True)
    assert "Round saved." in page.content.decode()
    r = FundedRound.objects.get(name="APBD Perubahan")
    refused = client.get(f"/perangkat-daerah/putaran/{r.pk}/").content.decode()
    assert "Give at least one agency funded places before opening the round." in refused
    client.post(f"/perangkat-daerah/putaran/{r.pk}/kuota/", {f"agency_{dinkes.pk}": 12})
    page = client.post(f"/perangkat-daerah/putaran/{r.pk}/buka/", follow=True).content.decode()
    assert "The round is open: agencies may propose their staff." in page
    r.refresh_from_db()
    assert r.status == RoundStatus.OPEN and r.opened_at is not None
    assert AuditEntry.objects.filter(action="agencies.fundedround.opened").exists()


def test_the_round_page_shows_places_used_per_agency(funded_round, scheme, oki, otto, lina, login):
    propose(oki, funded_round, scheme, [person(i) for i in range(1, 4)])
    propose(otto, funded_round, scheme, [person(i) for i in range(10, 12)])
    page = login(lina).get(f"/perangkat-daerah/putaran/{funded_round.pk}/").content.decode()
    import re

    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Dinas Kesehatan 26 3 23" in text and "Dinas Pendidikan 5 2 3" in text


def test_a_quota_cannot_go_below_the_places_used(funded_round, scheme, oki, dinkes, lina, login):
    propose(oki, funded_round, scheme, [person(i) for i in range(1, 4)])
    page = login(lina).post(f"/perangkat-daerah/putaran/{funded_round.pk}/kuota/",
                            {f"agency_{dinkes.pk}": 2}).content.decode()
    assert "Dinas Kesehatan already uses 3 places in this round; its quota cannot be lowered to 2." in page


def test_proposals_outside_the_round_dates_are_refused(funded_round, scheme, oki):
    from agencies.importing import Row

    with pytest.raises(services.AgencyError, match="takes proposals from 16 November 2026 to 23 December 2026"):
        services.cohort_propose(actor=oki, funded_round=funded_round, scheme=scheme,
                                rows=[Row(line=2, **person(1))], today=datetime.date(2027, 1, 5))


def _verified(profile, scheme, victor):
    app = submitted_application(profile, scheme)
    accept_all(app, victor)
    app_services.application_complete(app, actor=victor)
    for kind in ("administrative", "substantive"):
        app_services.check_record(app, actor=victor, kind=kind, result="passed")
    return app_services.application_verify(app, actor=victor)


def test_naming_respects_the_round_and_self_funded_applicants_stay_outside(funded_round, scheme, oki, victor,
                                                                             login):
    funded = ProfileFactory(nip=make_nip(serial=1), full_name="Dana APBD", org_unit="Dinas Kesehatan")
    self_paid = ProfileFactory(nip=make_nip(serial=2), full_name="Bayar Sendiri")
    cohort = propose(oki, funded_round, scheme, [person(1, nip=funded.nip)])
    services.invitation_accept(cohort.proposals.get(), user=funded.user)
    funded_app, own_app = _verified(funded, scheme, victor), _verified(self_paid, scheme, victor)
    page = login(victor).get("/permohonan/penetapan/").content.decode()
    assert "Funded: APBD 2026 (2026) (Dinas Kesehatan)" in page and "Self-funded" in page
    with time_machine.travel(datetime.datetime(2027, 1, 4, 9, 0), tick=False):
        action = allowed_actions(funded_app, victor)["named"]
        assert not action.allowed
        assert "from the budget of fiscal year 2026, which has ended" in action.reason
        assert allowed_actions(own_app, victor)["named"].allowed  # self-funded: no round to respect
        page = login(victor).get("/permohonan/penetapan/").content.decode()
        assert "Verified, but not to be named now" in page and "Dana APBD" in page
    app_services.participants_name([funded_app], actor=victor, reference="800/1/2026")
    funded_app.refresh_from_db()
    assert funded_app.status == Status.PARTICIPANT


def test_a_closed_round_takes_no_proposal_and_reopens_only_with_a_reason(funded_round, scheme, oki, lina, login):
    client = login(lina)
    client.post(f"/perangkat-daerah/putaran/{funded_round.pk}/tutup/")
    funded_round.refresh_from_db()
    assert funded_round.status == RoundStatus.CLOSED
    with pytest.raises(services.AgencyError, match="is not open for proposals"):
        propose(oki, funded_round, scheme, [person(1)])
    assert "No funded round is open for your agency now" in login(oki).get("/perangkat-daerah/usulan/").content.decode()
    refused = client.post(f"/perangkat-daerah/putaran/{funded_round.pk}/buka-lagi/", {"reason": ""}, follow=True)
    assert funded_round.status == RoundStatus.CLOSED and "This field is required." in refused.content.decode()
    client.post(f"/perangkat-daerah/putaran/{funded_round.pk}/buka-lagi/", {"reason": "Tambahan anggaran"})
    funded_round.refresh_from_db()
    assert funded_round.status == RoundStatus.OPEN
    assert AuditEntry.objects.get(action="agencies.fundedround.reopened").note == "Tambahan anggaran"


def test_the_rounds_are_read_25_a_page_latest_year_first_and_a_change_shows_at_once(funded_round, scheme, lina,
                                                                                     login, settings):
    """The list of funded rounds is kept per reader (agencies.kept_pages): at the national size's 50 rounds of 40
    schemes each it drew 2,000 scheme codes a view; now 25 rounds a page, each change shown on the next view."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(lina)
    settings.REPORT_FIGURES_CACHE_SECONDS = 0  # first the drawing, measured on every view
    client.get("/perangkat-daerah/putaran/")
    with CaptureQueriesContext(connection) as one:
        client.get("/perangkat-daerah/putaran/")
    for year in range(2000, 2026):
        day = datetime.date(year, 3, 1)
        FundedRound.objects.create(name=f"APBD {year}", fiscal_year=year, opens_on=day, closes_on=day,
                                   status=RoundStatus.CLOSED)
    with CaptureQueriesContext(connection) as many:
        first = client.get("/perangkat-daerah/putaran/").content.decode()
    assert len(many) == len(one)
    assert "APBD 2026" in first and "APBD 2002" in first and "APBD 2001" not in first and "?page=2" in first
    second = client.get("/perangkat-daerah/putaran/?page=2").content.decode()
    assert "APBD 2001" in second and "APBD 2000" in second and "APBD 2026" not in second

    settings.REPORT_FIGURES_CACHE_SECONDS = 60  # kept, as in production
    client.get("/perangkat-daerah/putaran/")
    with CaptureQueriesContext(connection) as kept:
        client.get("/perangkat-daerah/putaran/")
    assert not [q for q in kept.captured_queries if "agencies_fundedround" in q["sql"]], "a second view drew again"
    funded_round.name = "APBD 2026 perubahan"
    funded_round.save()
    assert "APBD 2026 perubahan" in client.get("/perangkat-daerah/putaran/").content.decode()
    assert scheme.code in client.get("/perangkat-daerah/putaran/").content.decode()
    funded_round.schemes.remove(scheme)  # a many-to-many change: no save of the round
    assert scheme.code not in client.get("/perangkat-daerah/putaran/").content.decode(), "a scheme taken out shows"
