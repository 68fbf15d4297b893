"""The event's SOP steps on the workflow core: the buttons a person sees on the event page are exactly the acts the
services accept from them, in every state; the questions of the steps that sign, lock or close, counted; time
guards, step 1 confirmations, step 7 sign-offs, working-time standards, a deactivated account's assessor record,
and the audit codes (with their migration)."""

import datetime
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from applicants.samples import sample_png
from assessments import services
from assessments.events.models import ConfirmedHow, Event, EventStatus, EventStep
from assessments.events.models.readiness import READINESS_ITEMS
from assessments.events.services.planning import planning_save
from assessments.events.services.readiness import documentation_upload, readiness_save
from certportal.accounts import services as accounts
from certportal.audit.models import AuditEntry
from certportal.workflow import allowed_actions, machine_for, transition

from .factories import assess, assessment_reviewed, ensure_plan, mark_all_present, run_steps, write_minutes

READINESS = [name for name, _label in READINESS_ITEMS]


class RolledBack(Exception):
    pass


def _attempt(call) -> bool:
    """Run a service and undo it: True when it was accepted."""
    try:
        with transaction.atomic():
            call()
            raise RolledBack
    except RolledBack:
        return True
    except services.AssessmentError:
        return False


def _services(event: Event, user) -> dict:
    """Each transition of the event, taken through its service (or the core, for the two that close a step
    automatically)."""
    first_unconfirmed = event.event_assessors.filter(confirmed_at__isnull=True).first()
    return {
        "schedule_distributed": lambda: services.event_distribute_schedule(event, actor=user),
        "assessor_confirmed": lambda: services.assessor_confirm(
            event, actor=user, assessor=None if event.event_assessors.filter(assessor__user=user).exists()
            else (first_unconfirmed.assessor if first_unconfirmed else None), how=ConfirmedHow.PHONE,
            note="Ditelepon 09.00"),
        "schedule_sent": lambda: transition(event, "schedule_sent", user=user),
        **{name: (lambda n=n: services.event_step_complete(event, n, actor=user))
           for n, name in {2: "site_prepared", 3: "candidates_reminded", 4: "confirmed", 5: "held",
                           6: "report_signed", 8: "archived"}.items()},
        "attendance_recorded": lambda: services.attendance_record(
            event, actor=user, participants={p.pk: True for p in event.participants.all()},
            assessors={a.pk: True for a in event.event_assessors.all()}),
        "report_signed_by_assessor": lambda: services.report_sign_as_assessor(event, actor=user),
        "review_signed": lambda: services.review_sign(event, actor=user),
        "reviewed": lambda: transition(event, "reviewed", user=user),
        "minutes_saved": lambda: services.event_save_minutes(event, actor=user, minutes="Notulen"),
        "participant_reached": lambda: services.participant_reached(
            event, actor=user, participant=event.participants.filter(attendance_confirmed_at__isnull=True).first(),
            how="phone", reached_at=timezone.now(), note="Hadir"),
        "readiness_checked": lambda: readiness_save(event, actor=user, items=dict.fromkeys(READINESS, True)),
        "planning_recorded": lambda: planning_save(event, actor=user, data=dict.fromkeys(
            ("units_methods", "schedule", "tools_materials", "coordination"), "Rencana")),
        "documentation_added": lambda: documentation_upload(
            event, actor=user, upload=SimpleUploadedFile("foto.png", sample_png(), content_type="image/png")),
    }


def _shown(client, event) -> set[str]:
    """The acts the event page offers: step buttons, the attendance link, the minutes' save button."""
    page = client.get(reverse("assessments:event", args=[event.pk])).content.decode()
    shown = set(re.findall(r'data-act="([a-z_]+)"', page))
    shown = {"assessor_confirmed" if name == "assessor_confirmed_for" else name for name in shown}
    if 'data-action="assessments.event.attendance_recorded"' in page:
        shown.add("attendance_recorded")
    if "Simpan notulen" in page or "Save the minutes" in page:
        shown.add("minutes_saved")
    if 'id="save-readiness"' in page:
        shown.add("readiness_checked")
    if reverse("assessments:event-documentation", args=[event.pk]) in page:
        shown.add("documentation_added")
    return shown


STATES = ["planned", "distributed", "schedule_sent", "site_ready", "reminded", "confirmed", "present", "held",
          "assessor_signed", "report_signed", "review_half", "reviewed", "archived"]


def _bring(event, state, *, lina, tono, asa, quinn) -> Event:
    walk = {"admin": lina, "tuk_head": tono, "assessor_user": asa, "quality": quinn}
    if state == "planned":
        return event
    if state == "distributed":
        return services.event_distribute_schedule(event, actor=lina)
    plain = {"schedule_sent": 1, "site_ready": 2, "reminded": 3, "confirmed": 4}
    if state in plain:
        return run_steps(event, plain[state], **walk)
    run_steps(event, 4, **walk)
    mark_all_present(event, actor=asa)
    for p in event.participants.all():
        assess(p, assessor_user=asa)
    if state == "present":
        return Event.objects.get(pk=event.pk)
    event = run_steps(event, 5, **walk)
    if state == "held":
        return event
    services.report_sign_as_assessor(event, actor=asa)
    if state == "assessor_signed":
        return Event.objects.get(pk=event.pk)
    event = run_steps(event, 6, **walk)
    if state == "report_signed":
        return event
    if state == "review_half":
        write_minutes(event, tuk_head=tono)
        assessment_reviewed(event, quality=quinn)  # FR.AK.05 and FR.AK.06 come before step 7's sign-offs
        services.review_sign(event, actor=tono)
        return Event.objects.get(pk=event.pk)
    event = run_steps(event, 7, **walk)
    return event if state == "reviewed" else run_steps(event, 8, **walk)


@pytest.mark.slow
@pytest.mark.parametrize("state", STATES)
def test_buttons_shown_are_the_transitions_the_service_accepts(state, event, login, lina, tono, asa, quinn, sofia,
                                                             other_assessor_user):
    event = _bring(event, state, lina=lina, tono=tono, asa=asa, quinn=quinn)
    accepted_by_anyone = set()
    for user in (lina, tono, asa, quinn, sofia, other_assessor_user):
        event = Event.objects.get(pk=event.pk)
        actions = allowed_actions(event, user)
        accepted = {name for name, call in _services(event, user).items() if _attempt(call)}
        assert accepted == {name for name, a in actions.items() if a.allowed}, (state, user)
        accepted_by_anyone |= accepted
        if user is not other_assessor_user:
            assert _shown(login(user), event) == accepted, (state, user.full_name)
        else:
            assert accepted == set()
            assert login(user).get(reverse("assessments:event", args=[event.pk])).status_code == 403
    # every state but the last has a way on, for someone
    assert state == "archived" or accepted_by_anyone - {"minutes_saved"}


# --- the steps' questions --------------------------------------------------------------------------------------

def _step_question(client, event, user, act: str, language: str) -> str:
    """The question (``data-confirm``) of the step form whose button takes ``act``, on the event page in
    ``language`` (the account's language, as the person chose it)."""
    type(user).objects.filter(pk=user.pk).update(preferred_language=language)
    page = client.get(reverse("assessments:event", args=[event.pk])).content.decode()
    form = re.search(r'<form\b[^>]*\bdata-confirm="([^"]*)"[^>]*>(?:(?!</form>).)*?data-act="' + act + '"', page,
                     re.S)
    assert form, f"{act}: no question on its form ({language})"
    return unescape(form.group(1))


def test_the_steps_that_sign_lock_or_close_say_how_many_participants_they_reach(event, login, lina, tono, asa, quinn):
    """Steps 6 to 8 cannot be undone and reach every participant's results: each question counts them, in both
    languages (the every-form scan of tests/core/test_confirmations.py leaves these forms to this test: they post
    to the URL each action computes)."""
    n = event.participants.count()
    assert n == 2

    def asks(user, act: str, indonesian: str, english: str) -> None:
        client = login(user)
        assert indonesian in _step_question(client, event, user, act, "id"), act
        assert english in _step_question(client, event, user, act, "en"), act

    event = _bring(event, "held", lina=lina, tono=tono, asa=asa, quinn=quinn)
    asks(asa, "report_signed_by_assessor", f"berita acara {n} peserta", f"(berita acara) of {n} participants")
    services.report_sign_as_assessor(event, actor=asa)
    asks(tono, "report_signed", f"mengunci hasil uji acara ini, untuk {n} peserta",
         f"locks the results of this event, of {n} participants:")
    event = run_steps(event, 6, admin=lina, tuk_head=tono)
    write_minutes(event, tuk_head=tono)
    assessment_reviewed(event, quality=quinn)
    asks(tono, "review_signed", f"LSP untuk memutuskan {n} peserta", f"for its decisions on {n} participants")
    event = run_steps(event, 7, admin=lina, tuk_head=tono, quality=quinn)
    asks(lina, "archived", f"termasuk catatan {n} pesertanya", f"the records of its {n} participants included")


# --- time guards ---------------------------------------------------------------------------------------------

def _future_day_ready(lina, tono, asa, quinn, scheme, site, assessor, apps):
    """An event on 8 December 2026 at 09:00, all preparation done, seen on 23 November."""
    starts = timezone.make_aware(datetime.datetime(2026, 12, 8, 9, 0))
    ensure_plan(scheme)
    event = services.event_create(actor=lina, scheme=scheme, test_site=site, starts_at=starts)
    services.event_add_assessor(event, assessor=assessor, actor=lina)
    for app in apps:
        services.event_add_participant(event, application=app, actor=lina)
    return run_steps(event, 4, admin=lina, tuk_head=tono, assessor_user=asa, quality=quinn)


def test_nothing_about_the_test_is_recorded_before_it_starts(on_23_november, lina, tono, asa, quinn, scheme, site,
                                                             assessor, alice_app, bob_app):
    event = _future_day_ready(lina, tono, asa, quinn, scheme, site, assessor, [alice_app, bob_app])
    for lang, date in (("id", "8 Desember 2026"), ("en", "8 December 2026")):
        with translation.override(lang):
            for user in (asa, tono, lina):
                reason = allowed_actions(event, user)["attendance_recorded"].reason
                assert date in reason, reason
                with pytest.raises(services.AssessmentError, match=date):
                    services.attendance_record(event, actor=user, participants={}, assessors={})
            with pytest.raises(services.AssessmentError, match=date):
                services.event_step_complete(event, 5, actor=tono)
    assert Event.objects.get(pk=event.pk).status == EventStatus.CONFIRMED
    assert not AuditEntry.objects.filter(action="assessments.event.attendance_recorded").exists()


def test_a_held_event_is_not_signed_or_reviewed_before_it_starts(event, lina, tono, asa, quinn):
    """Rows made earlier (or by a clock set wrong) cannot be carried further before the start time either."""
    event = _bring(event, "held", lina=lina, tono=tono, asa=asa, quinn=quinn)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() + datetime.timedelta(days=15))
    event.refresh_from_db()
    with translation.override("en"):
        with pytest.raises(services.AssessmentError, match="The test starts on"):
            services.report_sign_as_assessor(event, actor=asa)
        assert "The test starts on" in allowed_actions(event, tono)["report_signed"].reason


# --- step 1 and step 7 ---------------------------------------------------------------------------------------

def test_step1_is_done_only_when_every_assessor_confirmed(event, lina, asa, other_assessor_user, login):
    from assessments.events.models import Assessor

    oscar = Assessor.objects.get(user=other_assessor_user)
    services.event_add_assessor(event, assessor=oscar, actor=lina)
    services.event_distribute_schedule(event, actor=lina)
    event.refresh_from_db()
    with translation.override("en"):
        assert "Oscar Other Assessor" in allowed_actions(event, lina)["schedule_sent"].reason
    services.assessor_confirm(event, actor=asa)
    event.refresh_from_db()
    assert event.status == EventStatus.PLANNED and EventStep.objects.get(event=event, number=1).done_at is None
    with pytest.raises(services.AssessmentError):  # the admin must say how they confirmed
        services.assessor_confirm(event, actor=lina, assessor=oscar, how=ConfirmedHow.PHONE, note="")
    services.assessor_confirm(event, actor=lina, assessor=oscar, how=ConfirmedHow.PHONE,
                              note="Dikonfirmasi lewat telepon oleh Pak Oscar, 09.10")
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULE_SENT
    links = {link.assessor.user: link for link in event.event_assessors.select_related("assessor__user")}
    assert links[asa].confirmed_how == ConfirmedHow.PORTAL and links[asa].confirmed_by == asa
    assert links[other_assessor_user].confirmed_how == ConfirmedHow.PHONE
    assert links[other_assessor_user].confirmed_by == lina
    step1 = EventStep.objects.get(event=event, number=1)
    assert step1.done_by == lina
    page = login(lina).get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert "Dikonfirmasi lewat telepon oleh Pak Oscar" in page and "melalui telepon" in page


def test_step7_needs_every_reviewing_role(event, lina, tono, asa, quinn):
    event = _bring(event, "report_signed", lina=lina, tono=tono, asa=asa, quinn=quinn)
    write_minutes(event, tuk_head=tono)
    assessment_reviewed(event, quality=quinn)
    services.review_sign(event, actor=tono)
    event.refresh_from_db()
    assert event.status == EventStatus.REPORT_SIGNED
    with pytest.raises(services.AssessmentError):
        services.review_sign(event, actor=tono)  # one role, once
    with translation.override("en"):
        assert "Quality management" in allowed_actions(event, tono)["reviewed"].reason or \
            "quality" in allowed_actions(event, tono)["reviewed"].reason.lower()
    services.review_sign(event, actor=quinn)
    event.refresh_from_db()
    assert event.status == EventStatus.REVIEWED
    assert sorted(event.reviews.values_list("signed_by__full_name", flat=True)) == ["Quinn Quality",
                                                                                    "Tono Kepala TUK"]


# --- working time --------------------------------------------------------------------------------------------

def _aware(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def test_time_standards_count_working_time(event):
    step = EventStep.objects.get(event=event, number=2)  # "1 hari"
    step.started_at, step.done_at = _aware(2026, 11, 20, 15, 0), _aware(2026, 11, 23, 9, 0)  # Fri 15:00 → Mon 09:00
    assert step.timing.over is False and step.timing.working_days == 1
    assert step.timing.working_minutes == 120  # 15:00-16:00 Friday, 08:00-09:00 Monday
    step = EventStep.objects.get(event=event, number=2)
    step.started_at, step.done_at = _aware(2026, 11, 23, 10, 0), _aware(2026, 11, 25, 9, 0)  # two working days
    assert step.timing.over is True
    step = EventStep.objects.get(event=event, number=7)  # "4 jam"
    step.started_at, step.done_at = _aware(2026, 11, 23, 14, 0), _aware(2026, 11, 24, 9, 30)
    assert step.timing.working_minutes == 210 and step.timing.over is False  # 2 h + 1.5 h, not 19.5 h
    step = EventStep.objects.get(event=event, number=1)  # "15 menit"
    step.started_at, step.done_at = _aware(2026, 11, 23, 15, 55), _aware(2026, 11, 24, 8, 5)
    assert step.timing.working_minutes == 10 and step.timing.over is False
    with translation.override("id"):
        assert step.standard_label == "15 menit kerja"


def test_office_hours_are_configurable(event):
    from certportal.sla.models import WorkWeek

    step = EventStep.objects.get(event=event, number=7)
    step.started_at, step.done_at = _aware(2026, 11, 23, 15, 0), _aware(2026, 11, 24, 8, 0)
    assert step.timing.working_minutes == 60  # 15:00-16:00: the hours of 08:00-16:00, now kept with the calendar
    WorkWeek.objects.update_or_create(pk=1, defaults={"weekdays": [0, 1, 2, 3, 4],
                                                      "office_start": datetime.time(7, 30),
                                                      "office_end": datetime.time(16, 0)})
    step = EventStep.objects.get(event=event, number=7)
    step.started_at, step.done_at = _aware(2026, 11, 23, 15, 0), _aware(2026, 11, 24, 8, 0)
    assert step.timing.working_minutes == 90  # the new hours at once, not the kept ones


def test_the_working_time_of_every_done_step_is_counted_without_a_query_each(event, django_assert_num_queries):
    """The event page and its minutes show each done step's working time: the office hours come with the calendar's
    snapshot, read once (the page read the work week once a step: 8 queries on a finished event)."""
    steps = list(EventStep.objects.filter(event=event).order_by("number"))
    for step in steps:
        step.started_at, step.done_at = _aware(2026, 11, 23, 9, 0), _aware(2026, 11, 23, 10, 0)
    assert steps[0].timing.working_minutes == 60  # the calendar read (and its year seeded) once
    with django_assert_num_queries(0):
        assert len(steps) >= 5 and all(step.timing.working_minutes == 60 for step in steps[1:])


# --- people ----------------------------------------------------------------------------------------------------

def test_deactivating_a_staff_account_deactivates_the_assessor_and_lists_the_events(event, lina, asa, assessor,
                                                                                  login):
    accounts.user_set_active(actor=lina, user=asa, active=False, reason="Pensiun per 1 Desember")
    assessor.refresh_from_db()
    assert assessor.is_active is False
    page = login(lina).get(reverse("assessments:assessors")).content.decode()
    assert 'id="to-reassign"' in page and reverse("assessments:event", args=[event.pk]) in page
    page = login(lina).get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert f'<option value="{assessor.pk}"' not in page
    assert AuditEntry.objects.filter(action="assessor deactivated", note__contains="Pensiun").exists()


# --- audit codes -----------------------------------------------------------------------------------------------

def test_event_history_reads_in_both_languages(event, lina, tono, asa, quinn, login):
    event = _bring(event, "review_half", lina=lina, tono=tono, asa=asa, quinn=quinn)
    codes = set(AuditEntry.objects.filter(object_id=str(event.pk), content_type__model="event")
                .values_list("action", flat=True))
    machine = machine_for(Event)
    assert all(code.startswith("assessments.event.") for code in codes)
    assert {machine.code(n) for n in ("created", "schedule_distributed", "assessor_confirmed", "schedule_sent",
                                      "held", "report_signed_by_assessor", "report_signed", "review_signed")} <= codes
    page = login(lina).get(reverse("assessments:event", args=[event.pk])).content.decode()
    history = page[page.index("<details><summary>Riwayat"):]
    assert "assessments.event" not in history and "kaji ulang ditandatangani" in history
    assert "langkah SOP 1 selesai" in history


# --- documents ---------------------------------------------------------------------------------------------------

def test_berita_acara_is_dated_the_day_it_was_signed_never_before_the_test(event, lina, tono, asa, quinn, login):
    from .test_documents import text_of

    event = _bring(event, "held", lina=lina, tono=tono, asa=asa, quinn=quinn)
    url = reverse("assessments:event-document", args=[event.pk, "berita-acara"])
    draft = text_of(login(lina).get(url).content)
    assert "DRAF" in draft and "pada tanggal" not in draft
    services.report_sign_as_assessor(event, actor=asa)
    event = run_steps(event, 6, admin=lina, tuk_head=tono)
    signed = EventStep.objects.get(event=event, number=6).done_at
    assert signed >= event.starts_at
    text = text_of(login(lina).get(url).content)
    with translation.override("id"):
        from django.utils.formats import date_format

        day = date_format(timezone.localtime(signed), "j F Y")
    assert f"Ditetapkan di Jakarta pada tanggal {day}" in text and "DRAF" not in text
    minutes = text_of(login(lina).get(reverse("assessments:event-document", args=[event.pk, "notulen"])).content)
    assert "menit kerja" in minutes or "waktu kerja" in minutes


def test_participants_confirm_attendance_once_the_schedule_is_out(event, lina, alice, login):
    p = event.participants.get(application__applicant=alice)
    with pytest.raises(services.AssessmentError):
        services.participant_confirm_attendance(p, user=alice)
    services.event_distribute_schedule(event, actor=lina)  # the assessor has not confirmed yet: step 1 open
    page = login(alice).get(reverse("assessments:my-participation", args=[p.pk])).content.decode()
    assert 'id="confirm-attendance"' in page
    services.participant_confirm_attendance(p, user=alice)
    p.refresh_from_db()
    assert p.attendance_confirmed_at is not None


def _membership_reads(queries) -> int:
    """The reads asking whether a person is one of an event's active assessors (``workflow.events.acts_as``)."""
    return sum(1 for q in queries if q["sql"].startswith('SELECT 1 AS "a" FROM "assessments_eventassessor"')
               and '"assessments_assessor"."is_active"' in q["sql"] and '"assessments_assessor"."user_id"' in q["sql"])


def test_the_event_page_asks_once_whether_its_reader_is_one_of_its_assessors(event, asa, assessor, login):
    """The page's buttons check every act of the event for the reader, 13 of them open to an assessor of the event:
    whether the reader is one is read once for them all, and the checks are made once for the page (the demo's
    event: read 18 times, 50 queries for the page; now once, 33). Each check of the buttons reads it anew, as
    ``transition()`` does under its lock: a deactivated assessor's buttons go at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as page:
        assert login(asa).get(reverse("assessments:event", args=[event.pk])).status_code == 200
    assert _membership_reads(page.captured_queries) == 1
    with CaptureQueriesContext(connection) as checks:
        assert allowed_actions(event, asa)["report_signed_by_assessor"].role_ok
        type(assessor).objects.filter(pk=assessor.pk).update(is_active=False)
        assert not allowed_actions(event, asa)["report_signed_by_assessor"].role_ok
    assert _membership_reads(checks.captured_queries) == 2
    with pytest.raises(services.AssessmentError):
        transition(event, "report_signed_by_assessor", user=asa)


def _done_by_cell(client, event, number: int) -> list[str]:
    page = client.get(reverse("assessments:event", args=[event.pk])).content.decode()
    row = re.search(rf'<tr id="step-{number}".*?</tr>', page, re.S).group(0)
    cell = re.search(r'<td class="small card-wide" data-label="[^"]+">(.*?)</td>', row, re.S).group(1)
    return unescape(re.sub(r"<[^>]+>", " ", cell)).split()


def test_the_current_step_says_dash_to_a_reader_who_has_nothing_to_do_in_it(event, login, lina, tono, asa, quinn):
    """Step 2 waits for the Kepala TUK's readiness checklist: the Kepala TUK sees the act (or why not yet), the
    assessor, who takes no act there, reads "—" (the cell was empty)."""
    event = _bring(event, "schedule_sent", lina=lina, tono=tono, asa=asa, quinn=quinn)
    assert _done_by_cell(login(asa), event, 2) == ["—"]
    assert _done_by_cell(login(tono), event, 2) not in ([], ["—"])
