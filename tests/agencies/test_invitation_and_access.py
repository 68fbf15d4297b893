"""Issue 29 items 1, 2 and 6: the invitation (register or log in, then start the application from it); the agency
roles' pages, scoped to their agency; the LSP admin creates their accounts on the staff form, with the agency."""

import pytest
from django.test import Client

from agencies.models import AgencyMembership, ProposalStatus
from applicants.models import Status
from certportal.accounts.models import Role, User
from tests.applicants.factories import ProfileFactory, make_nip
from tests.factories import PASSWORD, UserFactory

from .conftest import person, propose

pytestmark = pytest.mark.django_db


def test_an_invited_civil_servant_registers_and_starts_the_application_from_the_invitation(
        funded_round, scheme, oki, client, login):
    cohort = propose(oki, funded_round, scheme, [person(1)])
    proposal = cohort.proposals.get()
    url = f"/perangkat-daerah/undangan/{proposal.token}/"
    page = client.get(url).content.decode()  # anonymous: the link works, and says what to do
    assert "Dinas Kesehatan mengusulkan Pegawai 01" in page and "/akun/masuk/?next=" in page  # in Indonesian
    newcomer = UserFactory(email="pegawai01@example.go.id", roles=[Role.APPLICANT])
    home = login(newcomer).get("/permohonan/saya/").content.decode()
    assert "Invitation from your agency to apply" in home  # in the portal too, after registering
    before = login(newcomer).get(url).content.decode()
    assert f"Fill in your profile with NIP {proposal.nip} first" in before and "Start my application" not in before
    ProfileFactory(user=newcomer, nip=proposal.nip, org_unit="Dinas Kesehatan")
    page = login(newcomer).get(url).content.decode()  # a NIP the portal did not know: they confirm the agency
    assert "Taking the invitation up confirms that you work at Dinas Kesehatan" in page
    assert "I work at Dinas Kesehatan: start my application" in page
    done = login(newcomer).post(f"{url}mulai/", follow=True)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPLIED and proposal.application.applicant == newcomer
    assert proposal.application.status == Status.DRAFT and proposal.application.scheme == scheme
    assert "Your application is started" in done.content.decode()
    assert proposal.confirmed_at is not None


def test_someone_else_cannot_take_up_the_invitation(funded_round, scheme, oki, login):
    proposal = propose(oki, funded_round, scheme, [person(1)]).proposals.get()
    intruder = ProfileFactory(nip=make_nip(serial=77)).user
    page = login(intruder).post(f"/perangkat-daerah/undangan/{proposal.token}/mulai/", follow=True)
    assert f"This invitation is for NIP {proposal.nip}; your profile has another NIP." in page.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INVITED and proposal.application is None


AGENCY_PAGES = ["/perangkat-daerah/"]
OFFICER_PAGES = ["/perangkat-daerah/usulan/", "/perangkat-daerah/usulan/templat.xlsx"]
ROUND_PAGES = ["/perangkat-daerah/putaran/"]
ADMIN_PAGES = ["/perangkat-daerah/putaran/baru/"]


@pytest.mark.parametrize("url", AGENCY_PAGES + OFFICER_PAGES + ROUND_PAGES + ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/akun/masuk/" in response.url


def test_each_page_is_for_its_roles(funded_round, oki, hana, sekar, lina, sofia, alice, victor, login):
    for user in (oki, hana, sekar):
        assert login(user).get("/perangkat-daerah/").status_code == 200
    for user in (alice, victor, lina):
        assert login(user).get("/perangkat-daerah/").status_code == 403
    for url in OFFICER_PAGES:
        assert login(oki).get(url).status_code == 200
        for user in (hana, sekar, lina, alice):
            assert login(user).get(url).status_code == 403, (url, user)
    for url in ROUND_PAGES + [f"/perangkat-daerah/putaran/{funded_round.pk}/"]:
        assert login(lina).get(url).status_code == 200 and login(sofia).get(url).status_code == 200
        assert login(oki).get(url).status_code == 403 and login(alice).get(url).status_code == 403
    for url in ADMIN_PAGES + [f"/perangkat-daerah/putaran/{funded_round.pk}/kuota/"]:
        assert login(lina).get(url).status_code == 200
        assert login(sofia).get(url).status_code == 403 and login(oki).get(url).status_code == 403


def test_another_agencys_officer_sees_none_of_it(funded_round, scheme, oki, hana, otto, sekar, lina, login):
    cohort = propose(oki, funded_round, scheme, [person(1)])
    proposal = cohort.proposals.get()
    url = f"/perangkat-daerah/angkatan/{cohort.pk}/"
    for user in (oki, hana, sekar, lina):
        assert "Pegawai 01" in login(user).get(url).content.decode()
    assert login(otto).get(url).status_code == 404
    assert "Pegawai 01" not in login(otto).get("/perangkat-daerah/").content.decode()
    assert login(otto).post(f"/perangkat-daerah/usulan/{proposal.pk}/tarik/", {"reason": "x"}).status_code == 404
    assert login(hana).post(f"/perangkat-daerah/usulan/{proposal.pk}/tarik/", {"reason": "x"}).status_code == 403


def test_the_home_page_of_each_agency_role_shows_its_work(funded_round, scheme, oki, hana, sekar, login):
    propose(oki, funded_round, scheme, [person(1), person(2)])
    officer = login(oki).get("/perangkat-daerah/").content.decode()
    assert "Funded places still free" in officer and "Dinas Kesehatan" in officer
    # a tile counts only what its reader may act on now (issue 43): the head signs the new cohort's letters, the
    # Sekretaris Daerah not before the head has recommended
    assert _tile(login(hana).get("/perangkat-daerah/"), "Cohorts waiting for your signature") == "1"
    assert _tile(login(sekar).get("/perangkat-daerah/"), "Cohorts waiting for your signature") == "0"


def _tile(page, label: str) -> str:
    """The count a home tile shows beside ``label``."""
    import re

    found = re.search(r'data-count>(\d+)</span>\s*<span class="small">' + re.escape(label), page.content.decode())
    assert found, label
    return found.group(1)


def test_the_lsp_admin_creates_an_agency_officer_with_the_agency(dinkes, lina, login):
    client = login(lina)
    form = {"full_name": "Nurul Hidayah", "email": "nurul@example.go.id", "phone": "", "preferred_language": "id",
            "roles": [Role.AGENCY_OFFICER]}
    page = client.post("/akun/staf/baru/", form).content.decode()
    assert "Choose the agency this agency officer or head speaks for." in page
    assert not User.objects.filter(email="nurul@example.go.id").exists()
    client.post("/akun/staf/baru/", {**form, "agency": dinkes.pk, "agency_position": "Pengelola Kepegawaian"})
    nurul = User.objects.get(email="nurul@example.go.id")
    assert nurul.has_role(Role.AGENCY_OFFICER) and AgencyMembership.objects.get(user=nurul).agency == dinkes
    client.post(f"/akun/staf/{nurul.pk}/", {**form, "roles": [Role.VERIFIER]})
    assert not AgencyMembership.objects.filter(user=nurul).exists()  # no longer speaks for the agency


def test_an_officer_deactivated_on_the_staff_pages_loses_the_agency_pages(funded_round, scheme, oki, lina, login):
    from django.urls import reverse

    cohort = propose(oki, funded_round, scheme, [person(1)])
    officer = login(oki)  # logged in, with the pages open, when the LSP admin deactivates the account
    pages = ["/perangkat-daerah/", "/perangkat-daerah/usulan/", f"/perangkat-daerah/angkatan/{cohort.pk}/",
             "/perangkat-daerah/pegawai/"]
    assert all(officer.get(url).status_code == 200 for url in pages)

    admin = login(lina)
    edit = admin.get(reverse("accounts:staff-edit", args=[oki.pk])).content.decode()
    assert f'action="{reverse("accounts:staff-set-active", args=[oki.pk])}"' in edit
    done = admin.post(reverse("accounts:staff-set-active", args=[oki.pk]), {"reason": "Mutasi ke Dinas Sosial",
                                                                            "active": "0"}, follow=True)
    assert "Oki Officer is now deactivated." in done.content.decode()

    for url in pages:
        response = officer.get(url)
        assert response.status_code == 302 and response.url.startswith("/akun/masuk/"), url
    refused = officer.post("/perangkat-daerah/usulan/", {"form": "person", "person-choice":
                                                         f"{funded_round.pk}:{scheme.pk}",
                                                         **{f"person-{k}": v for k, v in person(2).items()}})
    assert refused.status_code == 302 and refused.url.startswith("/akun/masuk/")
    assert cohort.proposals.count() == 1 and not cohort.round.cohorts.exclude(pk=cohort.pk).exists()
    again = Client().post("/akun/masuk/", {"username": oki.email, "password": PASSWORD}, follow=True)
    assert again.wsgi_request.user.is_anonymous  # and the right password no longer opens them
