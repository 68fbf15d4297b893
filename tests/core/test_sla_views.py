"""SLA pages: the supervisor dashboard and its CSV, the calendar and the policies (LSP admin)."""

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from certportal.audit.models import AuditEntry
from certportal.sla import services as sla
from certportal.sla.models import CalendarDay, SlaPolicy
from tests.factories import UserFactory

from .sla_helpers import at, sla_reference_fixture, tracked_users_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sla_reference")]

PAGES = [("sla:dashboard", {}), ("sla:calendar", {}), ("sla:policies", {}),
         ("sla:policy-edit", {"code": "appeal"})]


@pytest.fixture
def history(tracked_users, victor, asa):
    """Autumn 2026: three certifications finished (Ani breached the limit, Bayu and Citra met it); two complaint
    follow-ups open on 20 Nov: Dodi's past its limit, Eka's due on Monday 23."""
    items = {}
    for name, owner, start, stop in [("Ani", victor, date(2026, 8, 3), date(2026, 10, 5)),
                                     ("Bayu", victor, date(2026, 9, 14), date(2026, 10, 1)),
                                     ("Citra", asa, date(2026, 9, 21), date(2026, 10, 30))]:
        item = items[name] = UserFactory(full_name=name)
        tracked_users[item.pk] = [owner]
        sla.start_clock(item, "certification", at=at(start))
        sla.stop_clock(item, "certification", at=at(stop))
    for name, start in [("Dodi", date(2026, 11, 2)), ("Eka", date(2026, 11, 18))]:
        item = items[name] = UserFactory(full_name=name)
        tracked_users[item.pk] = [asa]
        sla.start_clock(item, "complaint-followup", at=at(start))
    return items


def test_supervisor_lands_on_the_dashboard_after_login(client, sofia):
    from tests.factories import PASSWORD

    client.post(reverse("accounts:login"), {"username": sofia.email, "password": PASSWORD})
    assert client.get(reverse("home")).url == reverse("sla:dashboard")


@pytest.mark.parametrize("name,kwargs", PAGES)
def test_pages_need_the_right_role(client, login, alice, victor, lina, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    assert client.get(url).status_code == 302  # anonymous -> login
    assert login(alice).get(url).status_code == 403
    assert login(victor).get(url).status_code == 403
    assert login(lina).get(url).status_code == 200


def test_supervisor_sees_the_dashboard_and_policies_but_edits_nothing(login, sofia):
    c = login(sofia)
    assert c.get(reverse("sla:dashboard")).status_code == 200
    assert c.get(reverse("sla:policies")).status_code == 200
    assert c.get(reverse("sla:calendar")).status_code == 403
    assert c.get(reverse("sla:policy-edit", kwargs={"code": "appeal"})).status_code == 403


def test_dashboard_shows_compliance_times_risks_and_breaches(history, login, sofia):
    with time_machine.travel(at(date(2026, 11, 20)), tick=False):
        html = login(sofia).get(reverse("sla:dashboard") + "?months=3").content.decode()
    assert "Sertifikasi kompetensi" in html
    assert "66.7%" in html or "66,7%" in html  # 2 of 3 within the limit
    assert "Dodi" in html and "Eka" in html  # overdue and due soon now
    assert "Melewati target" in html and "Segera jatuh tempo" in html
    assert "Victor Verifier: 1" in html and "Asa Assessor: 1" in html  # Ani, Dodi
    assert 'id="compliance-chart"' in html and "chart.umd.min.js" in html


def test_dashboard_csv_has_the_same_figures(history, login, sofia):
    with time_machine.travel(at(date(2026, 11, 20)), tick=False):
        response = login(sofia).get(reverse("sla:dashboard") + "?months=3&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    per_service = [r for r in rows if r[0] == "Per layanan" and r[2] == "Sertifikasi kompetensi"][0]
    assert per_service[3:7] == ["3", "2", "", "66.7"]
    breaches = {r[2]: r[3] for r in rows if r[0] == "Pelanggaran per petugas"}
    assert breaches == {"Asa Assessor": "1", "Victor Verifier": "1"}
    assert {r[3] for r in rows if r[0] == "Berisiko saat ini"} == {"Berkas Dodi", "Berkas Eka"}


def test_dashboard_runs_a_constant_number_of_queries(tracked_users, asa, login, sofia, django_assert_max_num_queries):
    def make(n):
        for i in range(n):
            item = UserFactory(full_name=f"Item {i}")
            tracked_users[item.pk] = [asa]
            sla.start_clock(item, "complaint-followup", at=at(date(2026, 11, 2)))

    c = login(sofia)
    make(5)
    # 30: the page itself and the supervisor's menu counts (periodic duties: one query per kind, whatever the data)
    with time_machine.travel(at(date(2026, 11, 20)), tick=False), django_assert_max_num_queries(30) as few:
        c.get(reverse("sla:dashboard"))
    make(55)
    with time_machine.travel(at(date(2026, 11, 20)), tick=False), django_assert_max_num_queries(len(few)):
        assert "Item 54" in c.get(reverse("sla:dashboard")).content.decode()


def test_lsp_admin_adds_joint_leave_and_deadlines_move(login, lina):
    c = login(lina)
    response = c.post(reverse("sla:calendar"), {"day-date": "2027-08-16", "day-kind": "joint_leave",
                                                "day-name": "Cuti bersama HUT RI"}, follow=True)
    assert "Cuti bersama HUT RI" in response.content.decode()
    entry = CalendarDay.objects.get(date=date(2027, 8, 16))
    assert entry.source == "admin"
    assert AuditEntry.objects.filter(action="sla.calendar.add", actor=lina).exists()
    from certportal.sla.calendar import add_working_days

    assert add_working_days(date(2027, 8, 12), 3) == date(2027, 8, 19)


def test_lsp_admin_removes_a_day(login, lina):
    entry = CalendarDay.objects.get(date=date(2026, 12, 24))
    response = login(lina).post(reverse("sla:calendar-remove", kwargs={"pk": entry.pk}), follow=True)
    assert "24 Desember 2026" in response.content.decode()  # the message names the date
    assert not CalendarDay.objects.filter(pk=entry.pk).exists()
    assert AuditEntry.objects.filter(action="sla.calendar.remove", actor=lina).exists()


def test_bad_calendar_input_is_explained_and_kept(login, lina):
    response = login(lina).post(reverse("sla:calendar"), {"day-date": "31-02-2027", "day-kind": "closure",
                                                          "day-name": "Kantor tutup"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Masukkan tanggal yang valid" in html and "Kantor tutup" in html


def test_the_working_week_is_edited_on_the_calendar_page(login, lina):
    login(lina).post(reverse("sla:workweek"), {"week-weekdays": ["0", "1", "2", "3", "4", "5"]})
    from certportal.sla.calendar import working_weekdays

    assert working_weekdays() == [0, 1, 2, 3, 4, 5]


def test_wrong_role_cannot_change_the_calendar(login, victor):
    entry = CalendarDay.objects.get(date=date(2026, 12, 24))
    assert login(victor).post(reverse("sla:calendar-remove", kwargs={"pk": entry.pk})).status_code == 403
    assert CalendarDay.objects.filter(pk=entry.pk).exists()


def test_lsp_admin_edits_a_policy_audited(login, lina):
    c = login(lina)
    url = reverse("sla:policy-edit", kwargs={"code": "appeal"})
    response = c.post(url, {"name": "Appeal decision", "target_days": "12", "limit_days": "15", "warn_days": "2",
                            "pause_states": "waiting_applicant"}, follow=True)
    assert "12" in response.content.decode()
    policy = SlaPolicy.objects.get(code="appeal")
    assert (policy.target_days, policy.limit_days, policy.pause_states) == (12, 15, ["waiting_applicant"])
    assert AuditEntry.objects.get(action="sla.policy.update").actor == lina


def test_policy_with_limit_before_target_is_refused_with_a_message(login, lina):
    url = reverse("sla:policy-edit", kwargs={"code": "appeal"})
    response = login(lina).post(url, {"name": "Appeal decision", "target_days": "12", "limit_days": "5",
                                      "warn_days": "2", "pause_states": ""})
    assert response.status_code == 200
    assert "Batas waktu tidak boleh lebih pendek dari target" in response.content.decode()
    assert SlaPolicy.objects.get(code="appeal").target_days == 10


def test_calendar_page_runs_a_constant_number_of_queries(login, lina, django_assert_max_num_queries):
    c = login(lina)
    url = reverse("sla:calendar") + "?year=2027"
    c.get(url)
    with django_assert_max_num_queries(30) as few:
        c.get(url)
    few = len(few)  # now: the next request resets the connection's query log
    for day in range(1, 61):
        sla.calendar_day_add(actor=lina, day=date(2027, 1, 1) + timedelta(days=day * 5),
                             kind=CalendarDay.Kind.CLOSURE, name=f"Tutup {day}")
    assert "Tutup 60" in c.get(url).content.decode()  # the change is seen at once (the cached calendar is re-read)
    with django_assert_max_num_queries(few):
        assert "Tutup 60" in c.get(url).content.decode()
