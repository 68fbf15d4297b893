"""The candidates an open event's page offers the LSP admin: at a province's size a scheme has thousands of named
participants waiting, so the page lists the first few (re-assessments ordered on appeal first, then those named
longest ago), says how many more wait, and finds any other by name or NIP (``assessments.events.selectors``)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applicants.models import Application
from assessments import services
from assessments.events import selectors

from .factories import make_application, planned_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(scheme):
    """Seven named participants of the scheme, made in an order other than the one they were named in: the one
    named first is ``Nama 0``."""
    start = timezone.now() - datetime.timedelta(days=30)
    apps = {}
    for n in (4, 0, 6, 2, 5, 1, 3):
        app = make_application(scheme, name=f"Nama {n}")
        Application.objects.filter(pk=app.pk).update(named_at=start + datetime.timedelta(days=n))
        apps[n] = app
    return apps


@pytest.fixture
def few(monkeypatch):
    """Three listed at once, counted up to ten (the page's 50 and 1,000, made small)."""
    monkeypatch.setattr(selectors, "CANDIDATES_SHOWN", 3)
    monkeypatch.setattr(selectors, "CANDIDATES_COUNTED", 10)


def listed(page: str) -> list[str]:
    """The candidates' names, in the order the form lists them."""
    return re.findall(r'class="form-check-label" for="app\d+">(Nama \d+) \(', page)


def count_line(page: str) -> str:
    return re.sub(r"\s+", " ", page.split('id="candidates-count" role="status">')[1].split("</p>")[0])


def test_the_page_lists_the_longest_waiting_first_and_says_how_many_wait(login, lina, event, waiting, few):
    page = login(lina).get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert listed(page) == ["Nama 0", "Nama 1", "Nama 2"]
    assert count_line(page).startswith("3 pertama dari 7 calon ditampilkan")
    assert "Pilih semua (3)" in page


def test_past_the_count_the_page_says_more_than(login, lina, event, waiting, monkeypatch):
    monkeypatch.setattr(selectors, "CANDIDATES_SHOWN", 2)
    monkeypatch.setattr(selectors, "CANDIDATES_COUNTED", 5)
    page = login(lina).get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert listed(page) == ["Nama 0", "Nama 1"]
    assert count_line(page).startswith("2 pertama dari lebih dari 5 calon ditampilkan")


def test_a_search_finds_a_candidate_past_the_list_by_name_or_nip_start(login, lina, event, waiting, few):
    client, url = login(lina), reverse("assessments:event", args=[event.pk])
    page = client.get(url, {"calon": "  nama   6 "}).content.decode()
    assert listed(page) == ["Nama 6"] and count_line(page) == "1 calon."
    assert 'value="nama 6"' in page and "Tampilkan semua" in page
    nip = waiting[5].nip
    page = client.get(url, {"calon": nip[:12] + " " + nip[12:]}).content.decode()
    assert "Nama 5" in listed(page)
    page = client.get(url, {"calon": "Tidak Ada"}).content.decode()
    assert listed(page) == [] and "Tidak ada calon yang cocok dengan “Tidak Ada”." in page
    assert 'id="add-participants"' not in page


def test_a_hostile_search_is_cut_escaped_and_answered(login, lina, event, waiting, few):
    client, url = login(lina), reverse("assessments:event", args=[event.pk])
    response = client.get(url, {"calon": "<script>alert(1)</script>=HYPERLINK(\"x\")" + "A" * 5000})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    value = page.split('id="candidate-search"')[0].rsplit('value="', 1)[1].split('"', 1)[0]
    assert len(value.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')) == 100


def test_a_candidate_of_another_scheme_or_already_in_the_event_is_never_offered(login, lina, event, waiting, few,
                                                                                 alice_app):
    from tests.assessments.factories import scheme_with_units

    make_application(scheme_with_units(), name="Nama 9")
    client, url = login(lina), reverse("assessments:event", args=[event.pk])
    assert listed(client.get(url, {"calon": "Nama 9"}).content.decode()) == []
    page = client.get(url, {"calon": alice_app.nip}).content.decode()
    assert "Tidak ada calon yang cocok" in page


def test_an_appeal_ordering_a_reassessment_is_offered_first(login, lina, quinn, bob, scheme, site, assessor, decided,
                                                             waiting, few):
    bob_p = decided.participants.get(application__applicant=bob)
    appeal = services.appeal_file(bob_p, user=bob, grounds="Portofolio saya belum diperiksa lengkap")
    bk_unit = bob_p.results.filter(result="BK").first().unit
    services.appeal_decide(appeal, actor=quinn, outcome="reassess", note="Bukti baru", unit_ids=[bk_unit.pk])
    second = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, days_ahead=7)
    page = login(lina).get(reverse("assessments:event", args=[second.pk])).content.decode()
    labels = re.findall(r'for="app\d+">([^(]+) \(', page)
    assert labels[0].strip() == bob_p.name and [label.strip() for label in labels[1:]] == ["Nama 0", "Nama 1"]
    assert "Mengajukan banding" in page.split(f'for="app{bob_p.application_id}">')[1].split("</label>")[0]


def test_the_candidates_cost_the_same_queries_however_many_wait(login, lina, event, scheme, few):
    client, url = login(lina), reverse("assessments:event", args=[event.pk])
    make_application(scheme, name="Nama 0")

    def queries() -> int:
        client.get(url)  # the first view keeps what later views read (the header's counts)
        event.save()  # the kept page forgotten: the next view draws it again
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    for n in range(1, 12):
        make_application(scheme, name=f"Nama {n}")
    assert queries() == one


def test_only_the_lsp_admin_is_offered_candidates(client, login, asa, tono, event, waiting):
    url = reverse("assessments:event", args=[event.pk])
    assert "/akun/masuk/" in client.get(url, {"calon": "Nama"})["Location"]
    for reader in (asa, tono):
        page = login(reader).get(url, {"calon": "Nama"}).content.decode()
        assert 'id="candidates"' not in page and "Nama 0" not in page
