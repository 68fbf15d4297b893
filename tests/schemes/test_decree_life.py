"""A decree's life (Kepmenaker 3/2021 KEEMPAT–KEENAM): signed, in force six months later, reviewed every five years,
revoking 233/2016; read by the importers where the text says so and edited otherwise; a scheme resting on a revoked
or not-yet-in-force decree is flagged; an overdue review waits on the LSP admin's queue."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from certportal.audit.models import AuditEntry
from schemes.importers.decree_life import read_life
from schemes.importers.kkni_load import save_kkni
from schemes.importers.skkni import parse_skkni, save_skkni
from schemes.models import Decree, Scheme
from schemes.selectors import scheme_decree_problem

from .conftest import SKKNI_PDF

pytestmark = pytest.mark.django_db


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC), tick=False)


def test_the_decree_text_gives_its_life(kkni_text):
    assert read_life(kkni_text) == {"in_force_on": "2021-07-20", "review_due_on": "2026-01-20",
                                    "revokes": ["233/2016"]}


def test_the_kkni_import_records_when_the_decree_is_in_force_its_review_and_what_it_revokes(kkni_parsed):
    save_kkni(kkni_parsed)
    decree = Decree.objects.get(kind="kkni", number="3", year=2021)
    assert (decree.issued_on, decree.in_force_on, decree.review_due_on, decree.revokes) == (
        datetime.date(2021, 1, 20), datetime.date(2021, 7, 20), datetime.date(2026, 1, 20), ["233/2016"])


def test_an_skkni_whose_text_says_nothing_of_it_is_edited_by_the_lsp_admin_audited(login, lina, alice):
    from schemes.importers.skkni import text_of

    parsed = parse_skkni(text_of(SKKNI_PDF.read_bytes()))
    assert (parsed["decree"]["in_force_on"], parsed["decree"]["review_due_on"], parsed["decree"]["revokes"]) == (
        None, None, [])
    save_skkni(parsed)
    decree = Decree.objects.get(kind="skkni", number="56", year=2018)
    assert decree.in_force_on is None and decree.revokes == []
    url = reverse("schemes:manage-decree-edit", args=[decree.pk])
    assert login(alice).get(url).status_code == 403
    client = login(lina)
    data = {"issued_on": "2018-03-01", "in_force_on": "2018-03-01", "review_due_on": "2023-03-01", "revokes": ""}
    page = client.post(url, {**data, "revokes": "<script>alert(1)</script>"}).content.decode()
    assert "Tulis setiap keputusan sebagai nomor/tahun" in page and "<script>alert(1)</script>" not in page
    page = client.post(url, {**data, "in_force_on": "2018-01-01"}).content.decode()
    assert "mulai berlaku pada atau setelah tanggal ditetapkan" in page
    client.post(url, {**data, "revokes": "12/2007, 12/2007"})
    decree.refresh_from_db()
    assert decree.in_force_on == datetime.date(2018, 3, 1) and decree.revokes == ["12/2007"]
    assert AuditEntry.objects.filter(action="decree_revokes_changed", to_state="12/2007").exists()
    save_skkni(parsed)  # re-importing keeps what the admin recorded where the text says nothing
    decree.refresh_from_db()
    assert decree.review_due_on == datetime.date(2023, 3, 1) and decree.revokes == ["12/2007"]


def test_a_scheme_on_the_revoked_decree_or_one_not_yet_in_force_is_flagged(kkni_parsed, lina, login, client):
    save_kkni(kkni_parsed)
    new = Decree.objects.get(kind="kkni", number="3", year=2021)
    old = Decree.objects.create(kind="kkni", number="233", year=2016, title="Metodologi Pelatihan",
                                issued_on=datetime.date(2016, 8, 1))
    on_old = Scheme.objects.create(code="SK-LAMA", name="Instruktur (233/2016)", kind="occupation", decree=old)
    on_new = Scheme.objects.create(code="SK-BARU", name="Instruktur (3/2021)", kind="occupation", decree=new)
    with at(datetime.date(2021, 3, 1)):  # 3/2021 signed, not yet in force: 233/2016 still stands
        assert scheme_decree_problem(on_old, datetime.date(2021, 3, 1)) == ""
        assert "mulai berlaku pada 20 Juli 2021" in scheme_decree_problem(on_new, datetime.date(2021, 3, 1))
    with at(datetime.date(2026, 11, 25)):
        page = login(lina).get(reverse("schemes:manage-schemes")).content.decode()
        assert "Keputusan 233/2016 dicabut oleh keputusan 3/2021, berlaku sejak 20 Juli 2021." in page
        assert page.count('class="text-danger small scheme-decree-problem"') == 1
        public = client.get(reverse("schemes:scheme-detail", args=[on_old.pk])).content.decode()
        assert 'id="scheme-decree-problem"' in public and "dicabut oleh keputusan 3/2021" in public
        home = login(lina).get("/beranda/", follow=True).content.decode()
        assert 'data-work="scheme-decrees"' in home
    assert on_new.pk


def test_the_overdue_review_waits_on_the_lsp_admins_queue_until_recorded(kkni_parsed, lina, login):
    save_kkni(kkni_parsed)
    decree = Decree.objects.get(kind="kkni", number="3", year=2021)
    with at(datetime.date(2026, 1, 20)):
        assert 'data-work="decree-reviews"' not in login(lina).get("/beranda/", follow=True).content.decode()
    with at(datetime.date(2026, 1, 21)):
        page = login(lina).get("/beranda/", follow=True).content.decode()
        assert 'data-work="decree-reviews"' in page and "Kaji ulang keputusan terlambat: 3/2021" in page
        listing = login(lina).get(reverse("schemes:manage-decrees")).content.decode()
        assert "kaji ulang terlambat" in listing and "20 Januari 2026" in listing and "233/2016" in listing
        login(lina).post(reverse("schemes:manage-decree-edit", args=[decree.pk]), {
            "issued_on": "2021-01-20", "in_force_on": "2021-07-20", "review_due_on": "2031-01-20",
            "revokes": "233/2016"})
        assert 'data-work="decree-reviews"' not in login(lina).get("/beranda/", follow=True).content.decode()
