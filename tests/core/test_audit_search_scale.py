"""The audit search at scale (issue 17): days are local-time ranges, long results are capped, not counted whole."""

import datetime
import html
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certportal.accounts.models import User
from certportal.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def _entries(n: int, at: datetime.datetime, name: str = "Petugas Uji") -> None:
    ct = ContentType.objects.get_for_model(User)
    rows = AuditEntry.objects.bulk_create(
        AuditEntry(actor_name=name, content_type=ct, object_id=str(i), object_repr=f"Berkas {i}",
                   action="test.thing.done") for i in range(n))
    with connection.cursor() as cursor:  # the trail refuses updates through the ORM; the test sets the time
        cursor.execute("UPDATE audit_auditentry SET created_at = %s WHERE id BETWEEN %s AND %s",
                       [connection.ops.adapt_datetimefield_value(at), rows[0].pk, rows[-1].pk])


@pytest.fixture
def sofia_en(sofia):
    sofia.preferred_language = "en"
    sofia.save(update_fields=["preferred_language"])
    return sofia


def test_a_day_is_the_portals_local_day(login, sofia_en):
    late = datetime.datetime(2026, 1, 5, 23, 30, tzinfo=WIB)  # 16:30 UTC: still 5 January in Jakarta
    _entries(1, late, name="Malam Hari")
    client = login(sofia_en)
    assert "Malam Hari" in client.get("/audit/?date_from=2026-01-05&date_to=2026-01-05").content.decode()
    assert "Malam Hari" not in client.get("/audit/?date_from=2026-01-06").content.decode()
    assert "Malam Hari" not in client.get("/audit/?date_to=2026-01-04").content.decode()


def test_more_entries_than_the_cap_are_not_counted_and_the_page_says_so(login, sofia_en):
    _entries(1005, datetime.datetime(2026, 2, 1, 9, tzinfo=WIB))
    page = login(sofia_en).get("/audit/?person=Petugas+Uji").content.decode()
    assert "More than 1000 entries match" in page
    assert "Page 1 of 20" in page
    page = login(sofia_en).get("/audit/?person=Petugas+Uji&obj=1004").content.decode()
    assert "Berkas 1004" in page and "More than" not in page


def test_a_person_is_found_by_e_mail_too(login, sofia_en, lina):
    ct = ContentType.objects.get_for_model(User)
    AuditEntry.objects.create(actor=lina, actor_name="Nama Lama", content_type=ct, object_id="1", object_repr="x",
                              action="test.thing.done")
    assert "Nama Lama" in login(sofia_en).get(f"/audit/?person={lina.email.split('@')[0]}").content.decode()


def test_a_person_picked_from_the_results_shows_only_their_entries(login, sofia_en, lina, victor):
    ct = ContentType.objects.get_for_model(User)
    AuditEntry.objects.create(actor=lina, actor_name=lina.full_name, content_type=ct, object_id="1",
                              object_repr="Berkas Lina", action="test.thing.done")
    AuditEntry.objects.create(actor=victor, actor_name=victor.full_name, content_type=ct, object_id="2",
                              object_repr="Berkas Victor", action="test.thing.done")
    client = login(sofia_en)
    assert f'href="?actor={lina.pk}"' in client.get("/audit/").content.decode()  # each name picks its person
    page = client.get(f"/audit/?actor={lina.pk}").content.decode()
    assert "Berkas Lina" in page and "Berkas Victor" not in page
    assert f"Entries by {lina.full_name} only." in page


def _entry(actor, name: str, object_id: str, what: str) -> None:
    AuditEntry.objects.create(actor=actor, actor_name=name, content_type=ContentType.objects.get_for_model(User),
                              object_id=object_id, object_repr=what, action="test.thing.done")


def test_a_number_finds_the_object_with_that_id_and_names_holding_it_only_when_asked(login, sofia_en):
    _entry(None, "Petugas", "12345", "Permohonan #12345")
    _entry(None, "Petugas", "7", "Permohonan #112345 (NIP 199012345)")
    client = login(sofia_en)
    page = client.get("/audit/?obj=12345").content.decode()
    assert "Permohonan #12345" in page and "#112345" not in page
    assert 'id="id_obj_names"' in page and "Also look for the number in object names" in page
    page = client.get("/audit/?obj=12345&obj_names=on").content.decode()
    assert "Permohonan #12345" in page and "#112345" in page
    assert 'id="id_obj_names" checked' in page  # the box stays ticked on the page it gave
    page = client.get("/audit/?obj=NIP+1990").content.decode()  # text is looked for in the names as before
    assert "#112345" in page and "Permohonan #12345<" not in page


def test_a_name_finds_the_persons_entries_and_names_kept_at_the_time_when_no_account_fits(login, sofia_en, lina,
                                                                                            victor):
    _entry(lina, "Lina Lama", "1", "Berkas di bawah nama lama")  # Lina acted before her account was renamed
    _entry(victor, victor.full_name, "2", "Berkas Victor")
    _entry(None, "Petugas Dihapus", "3", "Berkas tanpa akun")
    client = login(sofia_en)
    page = client.get("/audit/?person=LSP+Admin").content.decode()  # her name now: all her entries
    assert "Berkas di bawah nama lama" in page and "Berkas Victor" not in page
    page = client.get("/audit/?person=dihapus").content.decode()  # no account has this name: the kept names
    assert "Berkas tanpa akun" in page and "Berkas Victor" not in page


def test_a_name_that_fits_an_account_and_an_old_name_finds_the_old_one_when_the_box_is_ticked(login, sofia_en,
                                                                                               lina, victor):
    _entry(lina, "Victor Lama", "1", "Berkas Lina dulu")  # Lina's account once bore a name like Victor's
    _entry(victor, victor.full_name, "2", "Berkas Victor")
    client = login(sofia_en)
    page = client.get("/audit/?person=Victor").content.decode()
    assert "Berkas Victor" in page and "Berkas Lina dulu" not in page
    page = client.get("/audit/?person=Victor&person_kept=on").content.decode()
    assert "Berkas Victor" in page and "Berkas Lina dulu" in page
    assert "Also names kept at the time (renamed accounts, the system)" in page


def _object_types(page: str) -> list[tuple[str, str]]:
    """The options of the search's "Object type" list, as (value, label) read from the page."""
    select = page.split('name="content_type"', 1)[1].split("</select>", 1)[0]
    return [(value, html.unescape(label))
            for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)]


def _audited(model, times: int = 1) -> ContentType:
    ct = ContentType.objects.get_for_model(model)
    AuditEntry.objects.bulk_create(
        AuditEntry(actor_name="Petugas", content_type=ct, object_id=str(i), object_repr=f"{model.__name__} {i}",
                   action="test.thing.done") for i in range(times))
    return ct


def test_the_object_types_offered_are_those_in_the_trail_at_a_constant_query_count(login, sofia_en):
    """The list is read off the index by a skip scan (one probe per type present, docs/benchmarks.md): a type
    audited once is offered beside one with many entries, a type never audited is not, each by its name, in the
    order of before; adding types adds options, not queries."""
    from django.utils import translation

    from complaints.models import Complaint
    from schemes.models import Scheme, TestSite

    many, once = _audited(User, 40), _audited(Complaint)
    never = ContentType.objects.get_for_model(TestSite)
    assert not AuditEntry.objects.filter(content_type=never).exists()
    client = login(sofia_en)
    client.get("/audit/")  # per-process caches warmed (the calendar, the menus)

    def expected() -> list[tuple[str, str]]:
        present = AuditEntry.objects.values("content_type")
        with translation.override("en"):
            return [("", "---------"), *((str(ct.pk), str(ct)) for ct in ContentType.objects.filter(
                pk__in=present).order_by("app_label", "model"))]

    with CaptureQueriesContext(connection) as before:
        offered = _object_types(client.get("/audit/").content.decode())
    assert offered == expected()
    assert offered[1:] == [(str(many.pk), "Accounts and roles | user"), (str(once.pk), "Complaints | complaint")]
    assert str(never.pk) not in dict(offered)
    _audited(Scheme, 3)
    _audited(TestSite)
    with CaptureQueriesContext(connection) as after:
        offered = _object_types(client.get("/audit/").content.decode())
    assert offered == expected() and str(never.pk) in dict(offered)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_the_object_type_filters_and_a_type_never_audited_is_refused(login, sofia_en):
    from complaints.models import Complaint
    from schemes.models import TestSite

    _audited(User, 3)
    complaint = _audited(Complaint)
    client = login(sofia_en)
    page = client.get(f"/audit/?content_type={complaint.pk}").content.decode()
    assert "Complaint 0" in page and "User 0" not in page
    never = ContentType.objects.get_for_model(TestSite)
    page = client.get(f"/audit/?content_type={never.pk}").content.decode()
    assert "Select a valid choice. That choice is not one of the available choices." in page
    assert 'name="content_type" class="select form-select is-invalid"' in page
