"""The counts per scheme, unit and status that PostgreSQL's triggers keep (applicants.models.StatusCount), and the
queue's tabs and the recap per unit read from them instead of counting every application."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from applicants.models import Application, Status, StatusCount
from applicants.services import application_act

from .factories import ApplicationFactory, SchemeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql("the triggers are PostgreSQL's")]


def _kept() -> dict:
    return {(s, u, st): n for s, u, st, n in StatusCount.objects.values_list("scheme", "org_unit", "status", "n") if n}


def _counted() -> dict:
    return {(s, u, st): n for s, u, st, n in Application.objects.values_list("scheme", "org_unit", "status")
            .annotate(n=Count("id")).order_by()}


def test_the_kept_counts_follow_every_way_an_application_changes(victor):
    one, two = SchemeFactory(), SchemeFactory()
    apps = [ApplicationFactory(scheme=one if i % 2 else two, status=Status.SUBMITTED, org_unit=f"Dinas {i % 3}")
            for i in range(9)]
    assert _kept() == _counted()
    application_act(apps[0], "completed", actor=victor)  # the workflow
    application_act(apps[1], "returned", actor=victor, reason="Lengkapi SK")
    apps[2].org_unit = "Badan Baru"  # a save() of every column; only the unit changes
    apps[2].save()
    apps[3].save()  # nothing changes: no count moves
    Application.objects.filter(pk=apps[4].pk).update(scheme=one)  # a queryset update
    Application.objects.filter(pk__in=[apps[5].pk, apps[6].pk]).update(status=Status.WITHDRAWN)
    apps[7].delete()
    with connection.cursor() as cursor:  # SQL the ORM never saw (an import, a fix by hand)
        cursor.execute("UPDATE applicants_application SET status = 'rejected' WHERE id = %s", [apps[8].pk])
    assert _kept() == _counted()
    assert sum(_kept().values()) == 8


def test_the_queue_tabs_and_the_recap_read_the_kept_counts(victor, login):
    scheme = SchemeFactory()
    for i in range(5):
        ApplicationFactory(scheme=scheme, status=Status.SUBMITTED if i < 3 else Status.VERIFIED,
                           org_unit="Dinas Kesehatan" if i % 2 else "Dinas Pendidikan")
    ApplicationFactory(scheme=scheme, status=Status.DRAFT, org_unit="Dinas Kesehatan")
    client = login(victor)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/permohonan/antrian/?status=").content.decode()
    assert "Submitted: 3" in page and "Verified: 2" in page and "Total: 5" in page
    counting = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not [sql for sql in counting if 'FROM "applicants_application"' in sql]  # no count of applications
    assert [sql for sql in ctx.captured_queries if "applicants_statuscount" in sql["sql"]]
    page = client.get(f"/permohonan/antrian/?status=&unit=kesehatan&scheme={scheme.pk}").content.decode()
    assert "Submitted: 1" in page and "Verified: 1" in page and "Total: 2" in page
    response = client.get("/permohonan/rekap-unit/?format=csv")
    recap = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert recap[1].split(",")[:4] == ["Dinas Kesehatan", "2", "1", "1"]
    assert recap[2].split(",")[:4] == ["Dinas Pendidikan", "3", "2", "1"]
