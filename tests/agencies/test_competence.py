"""Issue 47: the competence map of an agency with thousands of staff. A card per position counts its people,
the holders of each scheme it needs and those lacking it, naming the first few; each person of the position is on
the position's own page, a page at a time; the counts are kept a while and follow every change they count."""

import pytest
from django.utils import timezone

from agencies import competence
from agencies.models import PositionNeed
from tests.applicants.factories import scheme_with_parts

from .people_factory import certificate, staff

pytestmark = pytest.mark.django_db

MAP = "/perangkat-daerah/pegawai/peta-kompetensi/"


def card(page: str, position: str) -> str:
    return page.split(f'data-position="{position}"', 1)[1].split("</section>", 1)[0]


def cell(section: str, code: str, which: int) -> str:
    """The holders' (0) or the lacking's (1) cell of the need ``code``."""
    row = section.split(f'data-need="{code}"', 1)[1].split("</tr>", 1)[0]
    return row.split("<td", 3)[which + 2]


def test_a_big_position_names_the_first_and_counts_the_rest(world, scheme, hana, login, monkeypatch):
    monkeypatch.setattr(competence, "NAMES_SHOWN", 2)
    section = card(login(hana).get(MAP).content.decode(), "Perawat Ahli")
    assert "6 people" in section
    held, lacking = cell(section, scheme.code, 0), cell(section, scheme.code, 1)
    assert 'data-count="2"' in held and "Rina Valid" in held and "Sari Expiring" in held and "more" not in held
    assert 'data-count="4"' in lacking and lacking.count("data-missing=") == 2 and "and 2 more" in lacking
    assert "Budi Lacking" in lacking and "Dedi Suspended" in lacking and "Fajar Withdrawn" not in lacking
    assert "missing for 4 people" in section


def test_the_position_page_lists_its_people_a_page_at_a_time(world, scheme, hana, login, monkeypatch):
    monkeypatch.setattr(competence, "PEOPLE_PER_PAGE", 4)
    client = login(hana)
    page = client.get(MAP).content.decode()
    assert 'href="?jabatan=perawat%20ahli"' in card(page, "Perawat Ahli")
    first = client.get(MAP, {"jabatan": "  PERAWAT   ahli "}).content.decode()  # however it is spelt
    rows = first.split('data-testid="position-people-page"', 1)[1]
    assert [n for n in ("Budi Lacking", "Dedi Suspended", "Eko Expired", "Fajar Withdrawn") if n in rows] == [
        "Budi Lacking", "Dedi Suspended", "Eko Expired", "Fajar Withdrawn"]
    assert "Rina Valid" not in rows and "Page 1 of 2" in first and "Gina Guru" not in first
    unit = scheme.scheme_units.first().unit
    budi = rows.split("Budi Lacking", 1)[1].split("</tr>", 1)[0]
    assert scheme.code in budi and unit.code in budi
    second = client.get(MAP, {"jabatan": "perawat ahli", "page": 2}).content.decode()
    rina = second.split("Rina Valid", 1)[1].split("</tr>", 1)[0]
    assert rina.count(scheme.code) == 1 and "Sari Expiring" in second  # held, and nothing lacking


def test_another_agencys_position_or_an_unknown_one_is_not_found(world, hana, otto, sofia, dinkes, login):
    assert login(otto).get(MAP, {"jabatan": "perawat ahli"}).status_code == 404
    assert login(hana).get(MAP, {"jabatan": "guru ahli"}).status_code == 404
    assert login(hana).get(MAP, {"jabatan": "<script>" + "x" * 100_000}).status_code == 404
    assert "Rina Valid" in login(sofia).get(MAP, {"agency": dinkes.pk, "jabatan": "perawat ahli"}).content.decode()
    assert login(sofia).get(MAP, {"jabatan": "perawat ahli"}).status_code == 200  # no agency chosen: the prompt


def test_a_position_s_page_is_refused_to_a_visitor_and_to_other_roles(world, login, client):
    from certportal.accounts.models import Role
    from tests.factories import UserFactory

    answer = client.get(MAP, {"jabatan": "perawat ahli"})
    assert answer.status_code == 302 and "/akun/masuk/" in answer["Location"]  # anonymous: the login page
    for role in (Role.APPLICANT, Role.VERIFIER, Role.ASSESSOR, Role.LSP_ADMIN):
        page = login(UserFactory(roles=[role])).get(MAP, {"jabatan": "perawat ahli"})
        assert page.status_code == 403 and "Rina Valid" not in page.content.decode(), role


def test_the_kept_map_follows_a_new_certificate_and_a_new_need(world, dinkes, scheme, hana, oki, login, settings):
    settings.REPORT_FIGURES_CACHE_SECONDS = 600
    client = login(hana)
    before = card(client.get(MAP).content.decode(), "Perawat Ahli")
    assert "Budi Lacking" in cell(before, scheme.code, 1)
    certificate(world["Budi Lacking"], scheme, issued_on=timezone.localdate())
    after = card(client.get(MAP).content.decode(), "Perawat Ahli")
    assert "Budi Lacking" in cell(after, scheme.code, 0) and "Budi Lacking" not in cell(after, scheme.code, 1)
    other = scheme_with_parts()
    login(oki).post("/perangkat-daerah/pegawai/kebutuhan-jabatan/", {"position": "Perawat Ahli", "scheme": other.pk})
    assert PositionNeed.objects.filter(scheme=other).exists()
    assert f'data-need="{other.code}"' in card(client.get(MAP).content.decode(), "Perawat Ahli")


def test_a_position_only_the_needs_name_has_a_card_without_people(world, dinkes, scheme, hana, login):
    PositionNeed.objects.create(agency=dinkes, position="Bidan Terampil", scheme=scheme)
    section = card(login(hana).get(MAP).content.decode(), "Bidan Terampil")
    assert "0 people" in section and 'data-testid="position-people"' not in section


def test_the_map_and_a_position_cost_the_same_queries_for_3_or_30_people(dinkes, scheme, hana, login,
                                                                          django_assert_max_num_queries):
    PositionNeed.objects.create(agency=dinkes, position="Perawat Ahli", scheme=scheme)
    client = login(hana)
    for i in range(3):
        certificate(staff(dinkes, f"Pegawai {i}", "Perawat Ahli"), scheme)
    urls = (MAP, f"{MAP}?jabatan=perawat+ahli", f"{MAP}?jabatan=perawat+ahli&page=2")
    counted = {}
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(40) as small:
            assert client.get(url).status_code == 200
        counted[url] = len(small.captured_queries)
    for i in range(3, 60):
        certificate(staff(dinkes, f"Pegawai {i:02}", "Perawat Ahli" if i % 2 else "Bidan"), scheme)
    for url, n in counted.items():
        client.get(url)
        with django_assert_max_num_queries(n):
            assert client.get(url).status_code == 200
