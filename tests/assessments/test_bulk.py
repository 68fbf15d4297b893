"""Bulk work for large events: "all present" with exceptions, select-all when adding participants, and the
participant × unit results grid with its one-cell JSON endpoint."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.events.models import UnitResult
from certportal.audit.models import AuditEntry

from .factories import agree, make_application, mark_all_present, run_steps, signed_records

pytestmark = pytest.mark.django_db


def test_all_present_with_exceptions_asks_first_then_records(login, asa, lina, tono, event, alice, bob):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    client = login(asa)
    url = reverse("assessments:event-attendance", args=[event.pk])
    page = client.get(url).content.decode()
    assert 'id="all-present"' in page and "checked" not in page.split('id="all-present"')[1].split("</form>")[0]
    bob_p = event.participants.get(application__applicant=bob)
    page = client.post(url, {"all_present": "1", "absent": [bob_p.pk]}).content.decode()
    listed = page.split('id="will-be-absent"')[1].split("</ul>")[0]
    assert "Bob Applicant" in listed and "Alice" not in listed
    assert "1 peserta berikut akan dicatat tidak hadir:" in page  # Indonesian's one plural form names the count
    assert not event.participants.filter(attended__isnull=False).exists()  # nothing saved before the confirmation
    response = client.post(url, {"all_present": "1", "absent": [bob_p.pk], "confirm": "1"})
    assert response.status_code == 302
    assert {p.application.applicant: p.attended for p in event.participants.all()} == {alice: True, bob: False}
    assert AuditEntry.objects.filter(action="assessments.event.attendance_recorded").count() == 1


def test_all_present_is_refused_before_the_test(login, asa, lina, tono, upcoming_event):
    run_steps(upcoming_event, 4, admin=lina, tuk_head=tono)
    client = login(asa)
    url = reverse("assessments:event-attendance", args=[upcoming_event.pk])
    assert 'id="all-present"' not in client.get(url).content.decode()
    client.post(url, {"all_present": "1", "confirm": "1"})
    assert not upcoming_event.participants.filter(attended__isnull=False).exists()


def test_all_present_role_checks(client, login, alice, other_assessor_user, lina, tono, event):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    url = reverse("assessments:event-attendance", args=[event.pk])
    data = {"all_present": "1", "confirm": "1"}
    assert "/akun/masuk/" in client.post(url, data)["Location"]
    assert login(alice).post(url, data).status_code == 403
    assert login(other_assessor_user).post(url, data).status_code == 403
    assert not event.participants.filter(attended__isnull=False).exists()


def test_adding_participants_offers_select_all_and_ticks_nothing(login, lina, event, scheme):
    make_application(scheme, name="Cici Candidate")
    page = login(lina).get(reverse("assessments:event", args=[event.pk])).content.decode()
    form = page.split('id="select-all-row"')[1].split("</form>")[0]
    assert 'id="select-all-candidates"' in page and "Cici Candidate" in form
    assert "checked" not in form
    assert 'nonce="' in page.split('id="select-all-candidates"')[-1]


# --- the grid ------------------------------------------------------------------------------------------------

@pytest.fixture
def day(event, lina, tono, asa):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    for p in event.participants.select_related("application__applicant"):
        agree(p)
        signed_records(p)  # the plan's instruments signed on the day: what a K rests on
    return event


def save(client, event, p, unit, **data):
    return client.post(reverse("assessments:event-grid-save", args=[event.pk]),
                       {"participant": p.pk, "unit": unit.pk, **data})


def test_the_assessor_saves_cells_through_the_result_service(login, asa, day, scheme):
    client = login(asa)
    p = day.participants.first()
    u1, u2 = [su.unit for su in scheme.scheme_units.order_by("position")[:2]]
    response = save(client, day, p, u1, result="K", evidence="Portofolio")
    assert response.status_code == 200 and response.json()["saved"] is True
    refused = save(client, day, p, u2, result="BK", evidence="Observasi")
    assert refused.status_code == 422 and "Jelaskan setiap hasil BK" in refused.json()["message"]
    assert save(client, day, p, u2, result="BK", evidence="Observasi", explanation="Belum lengkap").json()["saved"]
    assert dict(UnitResult.objects.filter(participant=p).values_list("unit__code", "result")) == {
        u1.code: "K", u2.code: "BK"}
    page = client.get(reverse("assessments:event-grid", args=[day.pk])).content.decode()
    assert page.count('class="form-select form-select-sm cell-result"') == 2 * 3
    assert "Belum lengkap" in page


def test_grid_refuses_before_the_test_and_when_locked(login, asa, lina, tono, upcoming_event, scheme):
    run_steps(upcoming_event, 4, admin=lina, tuk_head=tono)
    p = upcoming_event.participants.first()
    response = save(login(asa), upcoming_event, p, scheme.scheme_units.first().unit, result="K", evidence="x")
    assert response.status_code == 422 and "Uji dimulai pada" in response.json()["message"]
    assert not UnitResult.objects.exists()


def test_on_a_locked_event_the_grid_offers_no_evidence_field_nor_autosave(login, asa, lina, tono, day):
    """Issue 30 item 7: once the official report is signed nothing can be saved, so the page says it is locked and
    offers neither the evidence field nor the "saved as soon as you change it" hint (nor the saving script)."""
    from .factories import assess

    for p in day.participants.all():
        assess(p, assessor_user=asa)
    run_steps(day, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(day, actor=asa)
    day = run_steps(day, 6, admin=lina, tuk_head=tono)  # the Kepala TUK signs: the results are locked
    assert day.is_locked
    for user in (asa, lina):
        page = login(user).get(reverse("assessments:event-grid", args=[day.pk])).content.decode()
        assert 'id="grid-evidence"' not in page and "cell-evidence" not in page and "cell-result" not in page
        assert "Setiap sel disimpan" not in page and 'id="grid-status"' not in page and "grid-row-" in page
        assert "hasilnya terkunci" in page.split('id="grid-locked"')[1].split("</div>")[0]


def test_grid_role_checks(client, login, alice, other_assessor_user, lina, day, scheme):
    grid = reverse("assessments:event-grid", args=[day.pk])
    p, unit = day.participants.first(), scheme.scheme_units.first().unit
    assert "/akun/masuk/" in client.get(grid)["Location"]
    assert "/akun/masuk/" in save(client, day, p, unit, result="K", evidence="x")["Location"]
    for user in (alice, other_assessor_user):
        assert login(user).get(grid).status_code == 403
        assert save(login(user), day, p, unit, result="K", evidence="x").status_code == 403
    admin = login(lina)
    page = admin.get(grid).content.decode()
    assert 'id="grid-read-only"' in page and "cell-result" not in page and "Alice Applicant" in page
    assert save(admin, day, p, unit, result="K", evidence="x").status_code == 403
    assert not UnitResult.objects.exists()


def test_an_assessor_sees_only_their_own_participants(login, asa, lina, day, scheme, other_assessor_user):
    from assessments.events.models import Assessor

    other = Assessor.objects.get(user=other_assessor_user)
    services.event_add_assessor(day, assessor=other, actor=lina)
    bob_p = day.participants.get(application__applicant__full_name="Bob Applicant")
    services.participant_assign(bob_p, assessor=other, actor=lina)
    page = login(asa).get(reverse("assessments:event-grid", args=[day.pk])).content.decode()
    assert "Alice Applicant" in page and "Bob Applicant" not in page
    response = save(login(asa), day, bob_p, scheme.scheme_units.first().unit, result="K", evidence="x")
    assert response.status_code == 404


def _grid_queries(client, event) -> int:
    client.get(reverse("assessments:event-grid", args=[event.pk]))  # the header's unread count kept from here on
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("assessments:event-grid", args=[event.pk])).status_code == 200
    return len(ctx.captured_queries)


def test_the_grid_costs_the_same_queries_at_3_and_at_30_participants(login, asa, lina, tono, scheme, site, assessor):
    from .factories import planned_event

    def event_of(n):
        apps = [make_application(scheme) for _ in range(n)]
        event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=apps)
        run_steps(event, 4, admin=lina, tuk_head=tono)
        mark_all_present(event, actor=asa)
        return event

    client = login(asa)
    small = event_of(3)
    p = small.participants.first()
    agree(p)
    services.result_record(p, actor=asa, unit=scheme.scheme_units.first().unit, result="K", evidence="x",
                           evidence_gap_reason="Wawancara memadai")
    big = event_of(30)
    for q in big.participants.all()[:5]:
        agree(q)
    assert _grid_queries(client, small) == _grid_queries(client, big)


def test_all_present_marks_the_assessors_too_and_the_event_asks_no_more(login, asa, lina, tono, event, bob):
    """Issue 43: "all present" left the assessors unmarked, and the event went on asking for everyone's attendance."""
    from assessments.events.workflow.events import attendance_complete

    run_steps(event, 4, admin=lina, tuk_head=tono)
    client = login(asa)
    url = reverse("assessments:event-attendance", args=[event.pk])
    form = client.get(url).content.decode().split('id="all-present"')[1].split("</form>")[0]
    link = event.event_assessors.get()
    assert f'name="absent_assessor" value="{link.pk}"' in form and asa.full_name in form
    page = client.post(url, {"all_present": "1"}).content.decode()
    assert asa.full_name in page.split('id="assessors-present"')[1].split("</p>")[0]
    assert client.post(url, {"all_present": "1", "confirm": "1"}).status_code == 302
    link.refresh_from_db()
    assert link.attended is True
    assert attendance_complete(event, asa, None) is None
    shown = client.get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert "Record the attendance" not in shown and "Catat kehadiran seluruh" not in shown


def test_all_present_with_an_absent_assessor_and_the_refusal_names_who_is_unmarked(login, asa, lina, tono, event,
                                                                                  alice, bob):
    from assessments.events.workflow.events import attendance_complete

    run_steps(event, 4, admin=lina, tuk_head=tono)
    link = event.event_assessors.get()
    alice_p = event.participants.get(application__applicant=alice)
    # one by one, Alice only: the refusal names who is still unmarked (Bob and the assessor), with one full stop
    login(asa).post(reverse("assessments:event-attendance", args=[event.pk]), {f"p{alice_p.pk}": "1"})
    with translation.override("en"):
        refusal = attendance_complete(event, asa, None)
    assert "Bob Applicant" in refusal and asa.full_name in refusal and "Alice" not in refusal
    assert not refusal.endswith("..")
    client = login(asa)
    url = reverse("assessments:event-attendance", args=[event.pk])
    page = client.post(url, {"all_present": "1", "absent_assessor": [link.pk]}).content.decode()
    assert asa.full_name in page.split('id="assessors-absent"')[1].split("</ul>")[0]
    client.post(url, {"all_present": "1", "absent_assessor": [link.pk], "confirm": "1"})
    link.refresh_from_db()
    assert link.attended is False
    assert attendance_complete(event, asa, None) is None
