"""The audit search at scale (issue 17): days are local-time ranges, long results are capped, not counted whole."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

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
