"""The LSP admin edits assessors in the portal: every change is audited (deactivating and reactivating too), bad
input is refused with the values kept, changes that hurt events the assessor is on are confirmed first and stay
visible, inactive assessors are not offered for events, other people get 403, and the Django admin only shows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.events.models import Assessor, EventAssessor, EventStatus, Participant
from certportal.accounts.models import Role, User
from certportal.audit.models import AuditEntry
from tests.factories import UserFactory

from .factories import SiteFactory, make_application, make_assessor, planned_event, scheme_with_units

pytestmark = pytest.mark.django_db


def edit_url(assessor) -> str:
    return reverse("assessments:assessor-edit", args=[assessor.pk])


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def form_data(assessor, **changes) -> dict:
    data = {"registration_number": assessor.registration_number,
            "licence_valid_until": assessor.licence_valid_until.isoformat(),
            "schemes": [s.pk for s in assessor.schemes.all()], "reason": ""}
    if assessor.is_active:  # a ticked checkbox is posted; an unticked one is not
        data["is_active"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def entries(obj):
    return list(AuditEntry.objects.for_object(obj).order_by("id"))


def active_box_ticked(page: str) -> bool:
    start = page.index('name="is_active"')
    return " checked" in page[page.rindex("<input", 0, start):page.index(">", start)]


@pytest.fixture
def second_scheme(db):
    return scheme_with_units(2)


# --- editing ----------------------------------------------------------------------------------------------------

def test_lsp_admin_changes_an_assessor_and_each_change_is_audited(login, lina, assessor, scheme, second_scheme):
    client = login(lina)
    page = client.get(edit_url(assessor))
    assert page.status_code == 200 and active_box_ticked(page.content.decode())
    response = client.post(edit_url(assessor), form_data(
        assessor, registration_number=" MET.000.999999.2027 ", licence_valid_until=days(700).isoformat(),
        schemes=[scheme.pk, second_scheme.pk], reason="Lisensi diperpanjang BNSP"))
    assert response.status_code == 302 and response["Location"] == edit_url(assessor)

    assessor.refresh_from_db()
    assert assessor.registration_number == "MET.000.999999.2027"
    assert assessor.licence_valid_until == days(700)
    assert {s.code for s in assessor.schemes.all()} == {scheme.code, second_scheme.code}
    changes = {e.action: e for e in entries(assessor)}
    reg = changes["assessor registration number changed"]
    assert (reg.from_state, reg.to_state) == (f"MET.000.{assessor.user.pk:06d}.2026", "MET.000.999999.2027")
    until = changes["assessor licence valid until changed"]
    assert (until.from_state, until.to_state) == (days(365).isoformat(), days(700).isoformat())
    scope = changes["assessor schemes changed"]
    assert scope.from_state == scheme.code and second_scheme.code in scope.to_state
    assert f"added: {second_scheme.code}" in scope.note
    assert all(e.actor == lina and "Lisensi diperpanjang BNSP" in e.note for e in changes.values())

    page = client.get(edit_url(assessor)).content.decode()
    assert 'value="MET.000.999999.2027"' in page and "Lisensi diperpanjang BNSP" in page


def test_the_user_of_an_assessor_cannot_be_changed(login, lina, assessor, other_assessor_user):
    login(lina).post(edit_url(assessor), form_data(assessor, user=other_assessor_user.pk,
                                                   registration_number="MET.1", reason="Koreksi"))
    assessor.refresh_from_db()
    assert assessor.user.email == "asa@example.go.id" and assessor.registration_number == "MET.1"


def test_saving_without_a_change_writes_nothing(login, lina, assessor):
    response = login(lina).post(edit_url(assessor), form_data(assessor))
    assert response.status_code == 302
    assert entries(assessor) == []


def test_a_change_needs_a_reason_and_the_entered_values_stay(login, lina, assessor):
    response = login(lina).post(edit_url(assessor), form_data(assessor, registration_number="MET.NEW.1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error_1_id_reason"' in page and 'value="MET.NEW.1"' in page
    assessor.refresh_from_db()
    assert assessor.registration_number != "MET.NEW.1" and entries(assessor) == []


def test_empty_registration_number_is_refused_and_the_other_values_stay(login, lina, assessor):
    response = login(lina).post(edit_url(assessor), form_data(
        assessor, registration_number="  ", licence_valid_until=days(500).isoformat(), reason="Perpanjangan"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error_1_id_registration_number"' in page
    assert f'value="{days(500).isoformat()}"' in page and "Perpanjangan" in page
    assessor.refresh_from_db()
    assert assessor.licence_valid_until == days(365)


def test_registration_number_of_another_assessor_is_refused(login, lina, assessor, other_assessor_user):
    taken = other_assessor_user.assessor.registration_number
    response = login(lina).post(edit_url(assessor), form_data(assessor, registration_number=taken, reason="x"))
    assert response.status_code == 200 and 'id="error_1_id_registration_number"' in response.content.decode()
    assessor.refresh_from_db()
    assert assessor.registration_number != taken


def test_licence_date_in_the_past_is_refused(login, lina, assessor):
    response = login(lina).post(edit_url(assessor), form_data(
        assessor, licence_valid_until=days(-1).isoformat(), reason="Salah ketik"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error_1_id_licence_valid_until"' in page and f'value="{days(-1).isoformat()}"' in page
    assessor.refresh_from_db()
    assert assessor.licence_valid_until == days(365)


def test_an_expired_licence_date_may_stay_while_other_fields_change(login, lina, scheme, second_scheme):
    expired = make_assessor(UserFactory(roles=[Role.ASSESSOR]), schemes=[scheme], valid_days=-30)
    response = login(lina).post(edit_url(expired), form_data(expired, schemes=[second_scheme.pk],
                                                             reason="Ruang lingkup dikoreksi"))
    assert response.status_code == 302
    expired.refresh_from_db()
    assert [s.code for s in expired.schemes.all()] == [second_scheme.code]
    assert expired.licence_valid_until == days(-30)


def test_unknown_assessor_is_404_for_the_lsp_admin(login, lina):
    assert login(lina).get(reverse("assessments:assessor-edit", args=[999999])).status_code == 404


def test_creating_an_assessor_still_works_and_refuses_a_past_licence_date(login, lina, scheme):
    user = UserFactory(roles=[Role.ASSESSOR])
    url = reverse("assessments:assessor-create")
    data = {"user": user.pk, "registration_number": "MET.000.123456.2026", "schemes": [scheme.pk]}
    response = login(lina).post(url, {**data, "licence_valid_until": days(-1).isoformat()})
    assert response.status_code == 200 and not Assessor.objects.filter(user=user).exists()
    assert login(lina).post(url, {**data, "licence_valid_until": days(400).isoformat()}).status_code == 302
    created = Assessor.objects.get(user=user)
    assert [e.action for e in entries(created)] == ["assessor saved"]


# --- changes that hurt events the assessor is on ---------------------------------------------------------------

def test_shortening_the_licence_before_an_event_lists_the_event_and_saves_only_when_confirmed(login, lina, assessor,
                                                                                           upcoming_event):
    event = upcoming_event
    client = login(lina)
    shorter = form_data(assessor, licence_valid_until=days(3).isoformat(), reason="Lisensi dicabut sebagian")
    response = client.post(edit_url(assessor), shorter)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="affected-events"' in page and reverse("assessments:event", args=[event.pk]) in page
    assert 'name="confirm"' in page
    assessor.refresh_from_db()
    assert assessor.licence_valid_until == days(365) and entries(assessor) == []

    response = client.post(edit_url(assessor), {**shorter, "confirm": "on"})
    assert response.status_code == 302
    assessor.refresh_from_db()
    assert assessor.licence_valid_until == days(3)
    assert EventAssessor.objects.filter(event=event, assessor=assessor).exists()  # not taken off silently
    on_event = [e for e in entries(event) if e.action == "assessor no longer qualified"]
    assert len(on_event) == 1 and on_event[0].actor == lina and "Lisensi dicabut sebagian" in on_event[0].note

    assert 'id="events-at-risk"' in client.get(edit_url(assessor)).content.decode()
    assert 'class="text-danger small assessor-problem"' in client.get(
        reverse("assessments:event", args=[event.pk])).content.decode()
    assert 'events-at-risk" data-count="1"' in client.get(
        reverse("assessments:assessors")).content.decode()


def test_removing_the_event_scheme_from_scope_needs_confirmation(login, lina, assessor, event, second_scheme):
    client = login(lina)
    narrower = form_data(assessor, schemes=[second_scheme.pk], reason="Ruang lingkup dipersempit")
    page = client.post(edit_url(assessor), narrower).content.decode()
    assert 'id="affected-events"' in page and event.scheme.code in page
    assert [s.code for s in Assessor.objects.get(pk=assessor.pk).schemes.all()] == [event.scheme.code]

    assert client.post(edit_url(assessor), {**narrower, "confirm": "on"}).status_code == 302
    assert [s.code for s in Assessor.objects.get(pk=assessor.pk).schemes.all()] == [second_scheme.code]


def test_an_unrelated_edit_after_an_accepted_change_is_not_asked_again(login, lina, assessor, event):
    client = login(lina)
    client.post(edit_url(assessor), form_data(assessor, licence_valid_until=days(3).isoformat(), reason="Dicabut",
                                              confirm="on"))
    assessor.refresh_from_db()
    response = client.post(edit_url(assessor), form_data(assessor, registration_number="MET.2", reason="Koreksi"))
    assert response.status_code == 302
    assessor.refresh_from_db()
    assert assessor.registration_number == "MET.2"


def test_events_with_a_signed_report_are_not_affected(login, lina, assessor, event):
    event.__class__.objects.filter(pk=event.pk).update(status=EventStatus.REPORT_SIGNED)  # set-up, not a transition
    response = login(lina).post(edit_url(assessor), form_data(assessor, licence_valid_until=days(3).isoformat(),
                                                              reason="Masa berlaku dikoreksi"))
    assert response.status_code == 302
    assert [e for e in entries(event) if e.action == "assessor no longer qualified"] == []


def test_an_unqualified_assessor_cannot_be_added_to_an_event(login, lina, scheme, site):
    soon = make_assessor(UserFactory(roles=[Role.ASSESSOR]), schemes=[scheme], valid_days=3)
    event = planned_event(actor=lina, scheme=scheme, site=site, days_ahead=7)
    login(lina).post(reverse("assessments:event-add-assessor", args=[event.pk]), {"assessor": soon.pk})
    assert not EventAssessor.objects.filter(event=event, assessor=soon).exists()


# --- deactivating and reactivating ---------------------------------------------------------------------------

def deactivate(assessor, **changes) -> dict:
    return form_data(assessor, is_active=None, **changes)  # the box unticked: not posted


def test_deactivating_needs_a_reason_and_is_audited_from_active_to_inactive(login, lina, assessor):
    client = login(lina)
    response = client.post(edit_url(assessor), deactivate(assessor))
    assert response.status_code == 200 and 'id="error_1_id_reason"' in response.content.decode()
    assert Assessor.objects.get(pk=assessor.pk).is_active and entries(assessor) == []

    response = client.post(edit_url(assessor), deactivate(assessor, reason="Lisensi dicabut BNSP"))
    assert response.status_code == 302
    assert not Assessor.objects.get(pk=assessor.pk).is_active
    [entry] = entries(assessor)
    assert (entry.action, entry.from_state, entry.to_state) == ("assessor deactivated", "active", "inactive")
    assert entry.actor == lina and entry.note == "Lisensi dicabut BNSP"
    page = client.get(edit_url(assessor)).content.decode()
    assert 'id="licence-state" data-state="inactive"' in page
    assert "· asesor dinonaktifkan" in page and "· assessor deactivated" not in page
    assert not active_box_ticked(page)
    row = client.get(reverse("assessments:assessors")).content.decode()
    row = row[row.index(f'id="assessor-{assessor.pk}"'):]
    assert 'data-state="inactive"' in row[:row.index("</tr>")]


def test_deactivating_an_assessor_on_an_open_event_lists_it_and_saves_only_when_confirmed(login, lina, assessor,
                                                                                       event):
    client = login(lina)
    data = deactivate(assessor, reason="Tidak lagi bertugas di LSP")
    page = client.post(edit_url(assessor), data).content.decode()
    assert 'id="affected-events"' in page and reverse("assessments:event", args=[event.pk]) in page
    assert "Asa Assessor" in page and 'name="confirm"' in page
    assert Assessor.objects.get(pk=assessor.pk).is_active and entries(assessor) == []

    assert client.post(edit_url(assessor), {**data, "confirm": "on"}).status_code == 302
    assert not Assessor.objects.get(pk=assessor.pk).is_active
    assert EventAssessor.objects.filter(event=event, assessor=assessor).exists()  # not taken off silently
    actions = [e.action for e in entries(assessor)]
    assert actions == ["assessor deactivated", "assessor change accepted for an open event"]
    [on_event] = [e for e in entries(event) if e.action == "assessor no longer qualified"]
    assert on_event.actor == lina and "Tidak lagi bertugas di LSP" in on_event.note
    assert 'class="text-danger small assessor-problem"' in client.get(
        reverse("assessments:event", args=[event.pk])).content.decode()


def test_an_inactive_assessor_is_not_offered_for_an_event_and_cannot_be_added(login, lina, assessor, scheme, site,
                                                                             other_assessor_user):
    client = login(lina)
    client.post(edit_url(assessor), deactivate(assessor, reason="Lisensi dicabut"))
    event = planned_event(actor=lina, scheme=scheme, site=site)
    page = client.get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert f'<option value="{other_assessor_user.assessor.pk}">' in page  # an active one in scope is offered
    assert f'<option value="{assessor.pk}">' not in page

    client.post(reverse("assessments:event-add-assessor", args=[event.pk]), {"assessor": assessor.pk})
    assert not EventAssessor.objects.filter(event=event, assessor=assessor).exists()


def test_a_participant_added_after_deactivation_does_not_get_the_inactive_assessor(login, lina, assessor, event,
                                                                                 scheme):
    login(lina).post(edit_url(assessor), deactivate(assessor, reason="Lisensi dicabut", confirm="on"))
    carla = make_application(scheme, name="Carla Later Applicant")
    login(lina).post(reverse("assessments:event-add-participants", args=[event.pk]), {"application": carla.pk})
    participant = Participant.objects.get(event=event, application=carla)
    assert participant.assessor is None


def test_the_assign_list_shows_who_may_not_take_the_participant_and_why(login, lina, assessor, event,
                                                                        other_assessor_user, alice_app):
    from assessments import services

    oscar = other_assessor_user.assessor
    client = login(lina)
    client.post(reverse("assessments:event-add-assessor", args=[event.pk]), {"assessor": oscar.pk})
    alice = Participant.objects.get(event=event, application=alice_app)
    url = reverse("assessments:participant", args=[alice.pk])
    page = client.get(url).content.decode()
    assert f'<option value="{oscar.pk}">Oscar Other Assessor</option>' in page  # free to take her

    services.conflict_declare(assessor=oscar, person=alice_app.applicant, reason="Saudara kandung",
                              actor=other_assessor_user)
    client.post(edit_url(assessor), deactivate(assessor, reason="Lisensi dicabut", confirm="on"))
    page = client.get(url).content.decode()
    assert f'<option value="{oscar.pk}" disabled>Oscar Other Assessor (tidak tersedia: menyatakan konflik' in page
    assert f'<option value="{assessor.pk}" disabled>Asa Assessor (tidak tersedia: Asa Assessor dinonaktifkan' in page

    client.post(reverse("assessments:participant-assign", args=[alice.pk]), {"assessor": oscar.pk})
    alice.refresh_from_db()
    assert alice.assessor_id != oscar.pk


def test_reactivating_is_audited_and_the_assessor_can_be_added_to_events_again(login, lina, assessor, scheme, site):
    client = login(lina)
    client.post(edit_url(assessor), deactivate(assessor, reason="Cuti panjang"))
    assessor.refresh_from_db()
    response = client.post(edit_url(assessor), form_data(assessor, is_active="on"))
    assert response.status_code == 200 and 'id="error_1_id_reason"' in response.content.decode()
    assert not Assessor.objects.get(pk=assessor.pk).is_active

    assert client.post(edit_url(assessor), form_data(assessor, is_active="on",
                                                     reason="Kembali bertugas")).status_code == 302
    assessor.refresh_from_db()
    assert assessor.is_active
    entry = entries(assessor)[-1]
    assert (entry.action, entry.from_state, entry.to_state, entry.note) == (
        "assessor reactivated", "inactive", "active", "Kembali bertugas")
    event = planned_event(actor=lina, scheme=scheme, site=site)
    assert active_box_ticked(client.get(edit_url(assessor)).content.decode())
    page = client.get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert f'<option value="{assessor.pk}">' in page
    client.post(reverse("assessments:event-add-assessor", args=[event.pk]), {"assessor": assessor.pk})
    assert EventAssessor.objects.filter(event=event, assessor=assessor).exists()


# --- the Django admin only shows -----------------------------------------------------------------------------

@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root@example.go.id", "x-Sup3r-secret", full_name="Root Superuser")


def test_the_django_admin_lists_and_finds_assessors_but_cannot_change_them(login, superuser, assessor, scheme):
    client = login(superuser)
    found = client.get(reverse("admin:assessments_assessor_changelist"), {"q": assessor.registration_number})
    assert found.status_code == 200 and assessor.registration_number in found.content.decode()
    url = reverse("admin:assessments_assessor_change", args=[assessor.pk])
    page = client.get(url).content.decode()
    assert assessor.registration_number in page and 'name="registration_number"' not in page
    response = client.post(url, {"user": assessor.user_id, "registration_number": "ADMIN.EDIT",
                                 "licence_valid_until": days(900).isoformat(), "schemes": [scheme.pk]})
    assert response.status_code == 403
    assessor.refresh_from_db()
    assert assessor.registration_number != "ADMIN.EDIT" and assessor.is_active and entries(assessor) == []
    assert client.get(reverse("admin:assessments_assessor_add")).status_code == 403
    assert client.post(reverse("admin:assessments_assessor_delete", args=[assessor.pk]),
                       {"post": "yes"}).status_code == 403
    assert Assessor.objects.filter(pk=assessor.pk).exists()


def test_the_django_admin_shows_conflicts_of_interest_but_cannot_add_or_withdraw_them(login, superuser, assessor,
                                                                                     asa, alice):
    from assessments import services
    from assessments.events.models import ConflictOfInterest

    conflict = services.conflict_declare(assessor=assessor, person=alice, reason="Saudara kandung", actor=asa)
    client = login(superuser)
    listing = client.get(reverse("admin:assessments_conflictofinterest_changelist"), {"q": "Alice"})
    assert listing.status_code == 200 and "Asa Assessor" in listing.content.decode()
    assert client.get(reverse("admin:assessments_conflictofinterest_add")).status_code == 403
    assert client.post(reverse("admin:assessments_conflictofinterest_delete", args=[conflict.pk]),
                       {"post": "yes"}).status_code == 403
    assert ConflictOfInterest.objects.filter(pk=conflict.pk).exists()


# --- the list -----------------------------------------------------------------------------------------------

def test_list_links_to_the_edit_page_and_shows_licence_state(login, lina, scheme):
    valid = make_assessor(schemes=[scheme], valid_days=365)
    soon = make_assessor(schemes=[scheme], valid_days=30)
    expired = make_assessor(schemes=[scheme], valid_days=-5)
    page = login(lina).get(reverse("assessments:assessors")).content.decode()
    for assessor, state in ((valid, "valid"), (soon, "expiring"), (expired, "expired")):
        row = page[page.index(f'id="assessor-{assessor.pk}"'):]
        row = row[:row.index("</tr>")]
        assert f'href="{edit_url(assessor)}"' in row
        assert f'data-state="{state}"' in row


def _assessors_with_events(n: int, scheme, site, actor):
    event = planned_event(actor=actor, scheme=scheme, site=site, days_ahead=14)
    for _ in range(n):
        assessor = make_assessor(schemes=[scheme, scheme_with_units(1)], valid_days=10)  # expires before the event
        EventAssessor.objects.create(event=event, assessor=assessor)


def test_list_runs_the_same_number_of_queries_for_2_and_10_assessors(login, lina, scheme):
    client = login(lina)
    site = SiteFactory()
    _assessors_with_events(2, scheme, site, lina)
    client.get(reverse("assessments:assessors"))  # the header's unread count kept from here on, as on every view
    with CaptureQueriesContext(connection) as two:
        page = client.get(reverse("assessments:assessors")).content.decode()
    assert page.count('data-count="1"') == 2
    _assessors_with_events(8, scheme, site, lina)
    with CaptureQueriesContext(connection) as ten:
        page = client.get(reverse("assessments:assessors")).content.decode()
    assert page.count('data-count="1"') == 10
    assert len(ten.captured_queries) == len(two.captured_queries)


# --- who may edit ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["victor", "tono", "quinn", "karin", "sofia", "alice", "asa"])
def test_everyone_but_the_lsp_admin_gets_403(request, login, assessor, who):
    client = login(request.getfixturevalue(who))
    assert client.get(edit_url(assessor)).status_code == 403
    response = client.post(edit_url(assessor), form_data(assessor, registration_number="HACK", reason="x"))
    assert response.status_code == 403
    assessor.refresh_from_db()
    assert assessor.registration_number != "HACK" and entries(assessor) == []


def test_anonymous_is_sent_to_log_in(client, assessor):
    for response in (client.get(edit_url(assessor)), client.post(edit_url(assessor), form_data(assessor))):
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
