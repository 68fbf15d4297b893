"""The event page says who acts next and where, at every state of the event, read from the machine (its allowed
transitions and the SOP steps): the same line for every role that sees the page, with the link for those who act,
in both languages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments import services
from assessments.events.models import Event
from assessments.events.workflow.next_act import next_act
from assessments.instruments.services import records
from certportal.accounts.models import Role
from tests.factories import UserFactory

from .factories import (
    assess,
    assessment_reviewed,
    confirm_step1,
    decide,
    document_the_test,
    everyone_confirms,
    make_application,
    mark_all_present,
    planned_event,
    run_steps,
    write_minutes,
)


def _line(event) -> tuple[str, str, str, str]:
    event.refresh_from_db()
    with translation.override("en"):
        act = next_act(event)
        return act.who, act.what, act.where, act.url


@pytest.fixture
def quinta(db):
    return UserFactory(full_name="Quinta Quality", roles=[Role.QUALITY])


@pytest.fixture
def walk(lina, tono, asa, site, assessor, scheme, quinta):
    """An event at the site Tono heads, with Asa assessing one named participant, planned for two days ahead."""
    event = planned_event(actor=lina, scheme=scheme, site=site, days_ahead=2)
    return event


def test_who_acts_next_at_every_state(walk, lina, tono, asa, assessor, scheme, quinta):
    event = walk
    page = reverse("assessments:event", args=[event.pk])
    # planned, nobody on it yet: the LSP administrator adds assessors and participants
    assert _line(event) == ("LSP administrator", "Add at least one assessor before sending the schedule.",
                            "assessors and participants on this page", page + "#participants")
    services.event_add_assessor(event, assessor=assessor, actor=lina)
    services.event_add_participant(event, application=make_application(scheme), actor=lina)
    assert _line(event) == ("LSP administrator", "Send the schedule", "step 1 on this page", page + "#step-1")
    services.event_distribute_schedule(event, actor=lina)
    who, what, *_rest = _line(event)
    assert (who, what) == ("Assessor (Asa Assessor) or LSP administrator", "Confirm my assignment")
    assert next_act(event).detail == "Waiting for the confirmation of: Asa Assessor."
    event = confirm_step1(event, admin=lina)
    # step 2: the Kepala TUK's readiness checklist first, then "the site is ready"
    assert _line(event)[0] == "Head of test site (Kepala TUK) (Tono Kepala TUK)"
    assert _line(event)[2:] == ("readiness checklist on this page", page + "#readiness")
    run_steps(event, 2, admin=lina, tuk_head=tono)
    assert _line(event) == ("LSP administrator", "Send the reminders", "step 3 on this page", page + "#step-3")
    run_steps(event, 3, admin=lina, tuk_head=tono)
    # step 4 waits for each participant's confirmation (or the admin's record of reaching them)
    assert _line(event) == ("LSP administrator", "Record the contact", "step 4 on this page", page + "#step-4")
    assert next_act(event).detail.startswith("Not yet confirmed: ")
    everyone_confirms(event)
    assert _line(event) == ("LSP administrator", "Confirm the test", "step 4 on this page", page + "#step-4")
    run_steps(event, 4, admin=lina, tuk_head=tono)
    # the day has not come: attendance is next, and the line says from when
    who, what, where, url = _line(event)
    assert (what, where, url) == ("Attendance on the day", "Attendance page",
                                  reverse("assessments:event-attendance", args=[event.pk]))
    assert "Asa Assessor" in who and "Tono Kepala TUK" in who and "LSP administrator" in who
    assert next_act(event).detail.startswith("The test starts on ")


def test_after_the_test_the_signatures_the_review_and_the_pleno(walk, lina, tono, asa, assessor, scheme, quinta):
    event = walk
    page = reverse("assessments:event", args=[event.pk])
    services.event_add_assessor(event, assessor=assessor, actor=lina)
    participant = services.event_add_participant(event, application=make_application(scheme), actor=lina)
    event = run_steps(event, 4, admin=lina, tuk_head=tono)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=30))
    mark_all_present(event, actor=asa)
    # the test's documentation comes before "held": whoever adds it (the machine's roles for that act)
    who, what, where, url = _line(event)
    assert (who, where, url) == ("Head of test site (Kepala TUK) (Tono Kepala TUK) or Assessor (Asa Assessor)",
                                 "documentation on this page", page + "#documentation")
    assert what.startswith("Add at least one photo or document of the test")
    document_the_test(event, tuk_head=tono)
    assert _line(event) == ("Assessor (Asa Assessor) or Head of test site (Kepala TUK) (Tono Kepala TUK)",
                            "Record the test as held", "step 5 on this page", page + "#step-5")
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    # the results are missing: the assessor records them in the grid
    who, what, where, url = _line(event)
    assert (who, where, url) == ("Assessor (Asa Assessor)", "Results grid",
                                 reverse("assessments:event-grid", args=[event.pk]))
    assert what.startswith("Results are missing for ")
    assess(participant, assessor_user=asa)
    assert _line(event)[:2] == ("Assessor (Asa Assessor)", "Sign the official report as assessor")
    services.report_sign_as_assessor(event, actor=asa)
    # the guard gives the last signature to the head of the site (the assessor may not take it)
    assert _line(event) == ("Head of test site (Kepala TUK) (Tono Kepala TUK)", "Sign the official report",
                            "step 6 on this page", page + "#step-6")
    run_steps(event, 6, admin=lina, tuk_head=tono)
    # the review rests on the minutes: anyone the machine lets save them
    who, what, where, url = _line(event)
    assert (where, url) == ("minutes of meeting on this page", page + "#minutes")
    assert what.startswith("Write the minutes of meeting first")
    assert who == ("LSP administrator or Head of test site (Kepala TUK) (Tono Kepala TUK) or Quality reviewer "
                   "or Assessor (Asa Assessor)")
    write_minutes(event, tuk_head=tono)
    # issue 43 item 4: the review (FR.AK.06) follows an assessor's report, so the assessor who may sign their
    # FR.AK.05 now acts next, not quality (who could not record the review yet)
    who, what, where, url = _line(event)
    assert (who, where, url) == ("Assessor (Asa Assessor)", "assessment report (FR.AK.05)",
                                 reverse("assessments:ak05", args=[event.pk]))
    assert what.startswith("SOP step 7 waits for an assessor's report (FR.AK.05)")
    assert records.review_refusal(event, quinta).startswith("The review (FR.AK.06) follows an assessor's report")
    records.report_sign(event, user=asa, signed_name=asa.full_name)
    # issue 30 item 7: step 7 waits for quality's review of the assessment (FR.AK.06), after an FR.AK.05
    who, what, where, url = _line(event)
    assert (who, where, url) == ("Quality reviewer", "review of the assessment (FR.AK.06)",
                                 reverse("assessments:ak06", args=[event.pk]))
    assert what.startswith("SOP step 7 waits for the review of the assessment (FR.AK.06)")
    assessment_reviewed(event, quality=quinta)
    assert _line(event)[:2] == ("Head of test site (Kepala TUK) (Tono Kepala TUK) or Quality reviewer",
                                "Sign the review")
    services.review_sign(event, actor=tono)
    assert _line(event)[:2] == ("Quality reviewer", "Sign the review")
    assert next_act(event).detail == "Waiting for the review of: Quality reviewer."
    services.review_sign(event, actor=quinta)
    assert _line(event) == ("LSP administrator", "Archive", "step 8 on this page", page + "#step-8")
    run_steps(event, 8, admin=lina, tuk_head=tono)
    assert _line(event) == ("LSP administrator", "Decide on the participants in the pleno", "Pleno page",
                            reverse("assessments:event-pleno", args=[event.pk]))
    decide(participant, actor=lina, decision="K")
    event.refresh_from_db()
    assert next_act(event) is None


def test_every_role_on_the_event_page_reads_the_line_in_its_language_and_only_the_actor_gets_the_link(
        walk, lina, tono, asa, assessor, scheme, quinta, client):
    event = walk
    services.event_add_assessor(event, assessor=assessor, actor=lina)
    services.event_add_participant(event, application=make_application(scheme), actor=lina)
    event = run_steps(event, 4, admin=lina, tuk_head=tono)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=30))
    mark_all_present(event, actor=asa)
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    assess(event.participants.get(), assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    url = reverse("assessments:event", args=[event.pk])
    supervisor = UserFactory(full_name="Sari Supervisor", roles=[Role.SUPERVISOR])
    for user in (lina, tono, asa, quinta, supervisor):
        client.force_login(user)
        page = client.get(url).content.decode()
        line = page[page.index('id="next-act"'):page.index("</div>", page.index('id="next-act"'))]
        assert "Berikutnya:" in line, user
        assert "Kepala Tempat Uji Kompetensi (Kepala TUK) (Tono Kepala TUK)" in line, user
        assert "Tandatangani berita acara" in line, user
        assert ('href="' + url + '#step-6"' in line) == (user == tono), user
    asa.preferred_language = "en"
    asa.save(update_fields=["preferred_language"])
    client.force_login(asa)
    page = client.get(url).content.decode()
    assert "Next:" in page and "Head of test site (Kepala TUK) (Tono Kepala TUK)" in page
    assert "Sign the official report" in page and "step 6 on this page" in page
