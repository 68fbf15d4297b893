"""Issue 47: the agency's pages are kept per agency (``agencies.kept_pages``): a second view of the people lists,
the competence map or the proposal form draws nothing again, a change of one agency's rows shows at once on that
agency's pages and on the province's, and leaves the other agencies' pages as they were kept. What each page reads
is checked against its declaration in ``tests/core/test_kept_pages.py``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agencies.models import RoundQuota
from assessments.certificates.models import Certificate
from certportal.accounts.models import User

from .people_factory import application

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(kept_bodies):
    """``drawn``: what the kept body of each page viewed asked the database (nothing when it was read as kept)."""
    return kept_bodies


def _view(client, url: str, drawn: list[list[str]]) -> tuple[bool, str]:
    """Whether the page's body was drawn (it asked the database), and the page."""
    drawn.clear()
    answer = client.get(url)
    assert answer.status_code == 200
    assert len(drawn) == 1, "the page has no kept body"
    return bool(drawn[0]), answer.content.decode()


@pytest.mark.parametrize("name", ["agencies:people", "agencies:people-certificates", "agencies:people-competence"])
def test_a_people_page_is_kept_until_a_row_of_its_agency_changes(on_23_november, world, oki, otto, sekar, login,
                                                                 scheme, drawn, name):
    url = reverse(name)
    officer, other, province = login(oki), login(otto), login(sekar)
    for client in (officer, other, province):
        assert _view(client, url, drawn)[0]
        assert not _view(client, url, drawn)[0], "a second view drew the page's body again"

    gina = Certificate.objects.get(holder_name="Gina Guru")  # Dinas Pendidikan's teacher
    gina.status = "suspended"
    gina.save()
    assert not _view(officer, url, drawn)[0], "another agency's change forgot Dinas Kesehatan's page"
    assert _view(other, url, drawn)[0] and _view(province, url, drawn)[0]
    application(User.objects.get(full_name="Gina Guru"), scheme)  # a new application of Dinas Pendidikan's
    assert not _view(officer, url, drawn)[0], "another agency's new application forgot Dinas Kesehatan's page"
    assert _view(other, url, drawn)[0] and _view(province, url, drawn)[0]

    application(world["Budi Lacking"], scheme)  # a new application of this agency's
    was_drawn, page = _view(officer, url, drawn)
    assert was_drawn
    if name == "agencies:people":
        assert page.count("Budi Lacking") == 2, "the new application is not shown at once"
    rina = Certificate.objects.get(holder_name="Rina Valid")
    rina.status = "suspended"
    rina.save()
    was_drawn, page = _view(officer, url, drawn)
    assert was_drawn
    if name == "agencies:people-certificates":
        assert "Suspended" in page.split("Rina Valid", 1)[1].split("</tr>", 1)[0]


def test_the_province_s_view_is_kept_and_follows_every_agency(on_23_november, world, sekar, login, drawn):
    province, url = login(sekar), reverse("agencies:people")
    assert "Gina Guru" in _view(province, url, drawn)[1]
    assert not _view(province, url, drawn)[0]
    gina_app = Certificate.objects.get(holder_name="Gina Guru").application
    gina_app.applicant_name = "Gina Guru-Santoso"
    gina_app.save()
    assert "Gina Guru-Santoso" in _view(province, url, drawn)[1]


def test_a_search_and_each_page_of_a_list_is_kept_apart(on_23_november, world, oki, login, drawn):
    officer, url = login(oki), reverse("agencies:people-certificates")
    assert "Sari Expiring" in _view(officer, f"{url}?q=Sari", drawn)[1]
    assert "Rina Valid" not in _view(officer, f"{url}?q=Sari", drawn)[1]
    hostile = f"{url}?q={'%27%3Cscript%3E' * 300}&group=" + "x" * 3000
    page = _view(officer, hostile, drawn)[1]
    assert "'<script>" not in page and "&lt;script&gt;" in page  # shown back as text, with its error
    assert "A search can be at most 100 characters long" in page
    assert "Rina Valid" in _view(officer, url, drawn)[1]


def test_the_proposal_form_is_kept_until_the_agency_s_places_change(funded_round, oki, login, dinkes, disdik,
                                                                    drawn):
    officer, url = login(oki), reverse("agencies:propose")
    assert "APBD 2026" in _view(officer, url, drawn)[1]
    assert not _view(officer, url, drawn)[0], "a second view drew the forms again"
    RoundQuota.objects.get(agency=disdik).save()  # another agency's places
    assert not _view(officer, url, drawn)[0]
    quota = RoundQuota.objects.get(agency=dinkes)
    quota.places = 0
    quota.save()
    was_drawn, page = _view(officer, url, drawn)
    assert was_drawn and "No funded round is open for your agency now." in page
