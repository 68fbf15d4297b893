"""Two officers of one agency proposing at the same moment cannot both take its last funded place: the service
locks the agency's quota row before counting (PostgreSQL, two real connections)."""

import datetime
import threading

import pytest
from django.db import connection

from agencies import services
from agencies.importing import Row
from agencies.models import AgencyMembership, FundedRound, Proposal, RoundQuota, RoundStatus
from applicants.models import Agency
from certportal.accounts.models import Role
from tests.applicants.factories import make_nip, scheme_with_parts
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.postgresql("two connections lock one quota row; SQLite locks the whole table")]
TODAY = datetime.date(2026, 11, 23)


def test_two_officers_at_once_do_not_both_take_the_last_place():
    agency = Agency.objects.create(name="Dinas Sosial")
    scheme = scheme_with_parts()
    funded_round = FundedRound.objects.create(name="APBD", fiscal_year=2026, opens_on=TODAY, closes_on=TODAY,
                                              status=RoundStatus.OPEN)
    funded_round.schemes.set([scheme])
    RoundQuota.objects.create(round=funded_round, agency=agency, places=1)
    officers = []
    for name in ("Ani", "Budi"):
        officer = UserFactory(full_name=name, roles=[Role.AGENCY_OFFICER])
        AgencyMembership.objects.create(user=officer, agency=agency)
        officers.append(officer)
    start, outcomes = threading.Barrier(2), []

    def propose(officer, serial):
        try:
            start.wait()
            row = Row(line=2, nip=make_nip(serial=serial), name=f"Pegawai {serial}",
                      email=f"p{serial}@example.go.id", education="S1", rank="III/b")
            services.cohort_propose(actor=officer, funded_round=funded_round, scheme=scheme, rows=[row], today=TODAY)
            outcomes.append("proposed")
        except services.AgencyError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=propose, args=(o, 300 + i)) for i, o in enumerate(officers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    refused = [o for o in outcomes if o != "proposed"]
    assert outcomes.count("proposed") == 1 and Proposal.objects.count() == 1
    # (in the portal's default language: the threads read no request)
    assert refused == ["Dinas Sosial memiliki 1 kuota dalam “APBD (2026)” dan 1 sudah terpakai: sisa 0 untuk 1 "
                       "orang, kelebihan 1."]
