"""The application's state machine on the workflow core: the pages offer exactly what the services accept, for
every state and every role; the guards (time, impartiality, who takes which arrow) hold on every path; the
service clock agrees with the status at each step (seed 001 item 3 and step 3)."""

import datetime
import re

import pytest
import time_machine
from django.db import transaction
from django.utils import translation

from applicants import services
from applicants.models import Application, Status
from applicants.workflow import MACHINE, ApplicationError
from certportal import workflow
from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from certportal.sla import calendar as cal
from certportal.sla import services as sla
from tests.factories import UserFactory

from .factories import ProfileFactory, scheme_with_parts
from .helpers import accept_all, fill_dossier, submitted_application

pytestmark = pytest.mark.django_db

CODES = {MACHINE.code(t.name): t.name for t in MACHINE.transitions}
JAKARTA = datetime.timezone(datetime.timedelta(hours=7))
PAGE_ACTIONS = {"submitted", "resubmitted", "withdrawn", "returned", "completed", "verified", "rejected", "named"}


# --- one application in each state that changes what may be done -------------------------------------------

def _complete(profile, victor, *, checks: bool = False) -> Application:
    app = submitted_application(profile, scheme_with_parts())
    accept_all(app, victor)
    services.application_complete(app, actor=victor)
    if checks:
        services.check_record(app, actor=victor, kind="administrative", result="passed")
        services.check_record(app, actor=victor, kind="substantive", result="passed")
    return app


def _states(profile, victor) -> dict[str, Application]:
    user = profile.user
    draft = services.application_start(user=user, scheme=scheme_with_parts())
    ready = fill_dossier(services.application_start(user=user, scheme=scheme_with_parts()), user)
    submitted = submitted_application(profile, scheme_with_parts())
    accepted = submitted_application(profile, scheme_with_parts())
    accept_all(accepted, victor)
    returned = submitted_application(profile, scheme_with_parts())
    services.application_return(returned, actor=victor, reason="Scan buram")
    resubmitted = submitted_application(profile, scheme_with_parts())
    services.application_return(resubmitted, actor=victor, reason="Scan buram")
    services.application_submit(resubmitted, user=user, declaration=True)
    verified = _complete(profile, victor, checks=True)
    services.application_verify(verified, actor=victor)
    named = _complete(profile, victor, checks=True)
    services.application_verify(named, actor=victor)
    services.participants_name([named], actor=victor, reference="800/1/BKPSDM/2026")
    rejected = _complete(profile, victor)
    services.application_reject(rejected, actor=victor, reason="Masa kerja kurang")
    withdrawn = submitted_application(profile, scheme_with_parts())
    services.application_withdraw(withdrawn, user=user, reason="Pindah tugas")
    return {"draft, incomplete": draft, "draft, ready": ready, "submitted, documents open": submitted,
            "submitted, documents accepted": accepted, "returned": returned, "resubmitted": resubmitted,
            "complete, no checks": _complete(profile, victor), "complete, checks passed": _complete(
                profile, victor, checks=True), "verified": verified, "named": named, "rejected": rejected,
            "withdrawn": withdrawn}


def offered(client, app: Application, person) -> set[str]:
    """The actions the pages this person sees offer on ``app`` (each carries its action code)."""
    pages = []
    if app.applicant_id == person.pk:
        pages.append(client.get(f"/permohonan/{app.pk}/").content.decode())
    if person.has_role(Role.VERIFIER, Role.LSP_ADMIN, Role.SUPERVISOR, Role.QUALITY):
        pages.append(client.get(f"/permohonan/verifikasi/{app.pk}/").content.decode())
    codes = {code for page in pages for code in re.findall(r'data-action="([^"]+)"', page)}
    naming = client.get(f"/permohonan/penetapan/?scheme={app.scheme_id}")
    if naming.status_code == 200 and f'value="{app.pk}" id="app-{app.pk}" data-action=' in naming.content.decode():
        codes.add(MACHINE.code("named"))
    return {CODES[c] for c in codes if c in CODES}


class _Undo(Exception):
    pass


def accepted(client, app: Application) -> set[str]:
    """The arrows whose POST is taken, each tried alone and rolled back."""
    posts = [
        (f"/permohonan/{app.pk}/isi/kirim/", {"declaration": "on"}),
        (f"/permohonan/{app.pk}/tarik/", {"reason": "Pindah tugas"}),
        (f"/permohonan/verifikasi/{app.pk}/keputusan/", {"action": "return", "reason": "Perbaiki"}),
        (f"/permohonan/verifikasi/{app.pk}/keputusan/", {"action": "complete"}),
        (f"/permohonan/verifikasi/{app.pk}/keputusan/", {"action": "verify"}),
        (f"/permohonan/verifikasi/{app.pk}/keputusan/", {"action": "reject", "reason": "Tidak memenuhi"}),
        (f"/permohonan/penetapan/?scheme={app.scheme_id}", {"application": app.pk, "reference": "800/2",
                                                             "confirm": "1"}),
    ]
    taken = set()
    for url, data in posts:
        try:
            with transaction.atomic():
                last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
                client.post(url, data)
                taken |= {CODES[a] for a in AuditEntry.objects.for_object(app).filter(id__gt=last)
                          .values_list("action", flat=True) if a in CODES}
                raise _Undo
        except _Undo:
            pass
    return taken


@pytest.mark.slow
def test_for_every_state_and_role_the_buttons_are_exactly_what_the_services_accept(
        alice_profile, victor, lina, sofia, login):
    states = _states(alice_profile, victor)
    seen = set()
    for label, app in states.items():
        for person in (alice_profile.user, victor, lina, sofia):
            client = login(person)
            buttons, ok = offered(client, app, person), accepted(client, app)
            assert buttons == ok, f"{label} as {person.full_name}: offered {buttons}, accepted {ok}"
            seen |= ok
    assert seen == PAGE_ACTIONS  # every arrow the applicants' pages take was offered somewhere


def test_a_verifier_never_acts_on_their_own_application(victor, login):
    vera = UserFactory(full_name="Vera Verifikator", roles=[Role.APPLICANT, Role.VERIFIER])
    app = submitted_application(ProfileFactory(user=vera), scheme_with_parts())
    accept_all(app, victor)
    with pytest.raises(ApplicationError, match="your own application"):
        services.application_complete(app, actor=vera)
    client = login(vera)
    page = client.get(f"/permohonan/verifikasi/{app.pk}/").content.decode()
    assert "This is your own application" in page and "data-action" not in page
    assert offered(client, app, vera) == accepted(client, app) == {"withdrawn"}
    services.application_complete(app, actor=victor)  # another verifier may
    assert Application.objects.get(pk=app.pk).status == Status.COMPLETE


def test_nothing_is_recorded_before_the_application_existed_or_before_its_last_change(alice_profile, scheme):
    started = datetime.datetime(2026, 9, 1, 9, 0, tzinfo=JAKARTA)
    with time_machine.travel(started, tick=False):
        app = fill_dossier(services.application_start(user=alice_profile.user, scheme=scheme), alice_profile.user)
    with time_machine.travel(started + datetime.timedelta(days=2), tick=False):
        services.application_submit(app, user=alice_profile.user, declaration=True)
    user = alice_profile.user
    with pytest.raises(ApplicationError, match="when the application was started"):
        workflow.transition(app, "withdrawn", user=user, reason="x", at=started - datetime.timedelta(hours=1))
    with pytest.raises(ApplicationError, match="last changed on"):
        workflow.transition(app, "withdrawn", user=user, reason="x", at=started + datetime.timedelta(days=1))
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED
    workflow.transition(app, "withdrawn", user=user, reason="Mutasi", at=started + datetime.timedelta(days=3))
    assert Application.objects.get(pk=app.pk).status == Status.WITHDRAWN


def test_the_assessment_arrows_are_taken_by_the_roles_that_take_them_there(alice, victor, lina, asa, tono):
    from .factories import ApplicationFactory

    app = ApplicationFactory(applicant=alice, status=Status.PARTICIPANT)
    with pytest.raises(ApplicationError, match="role"):
        services.application_act(app, "scheduled", actor=victor)
    services.application_act(app, "scheduled", actor=lina)
    with pytest.raises(ApplicationError, match="role"):
        services.application_act(app, "assessed", actor=lina)
    services.application_act(app, "assessed", actor=tono)
    services.application_act(app, "found_not_yet_competent", actor=lina)
    with pytest.raises(ApplicationError, match="role"):  # only the participant appeals
        services.application_act(app, "appealed", actor=lina, reason="x")
    services.application_act(app, "appealed", actor=alice, reason="Bukti belum dinilai")
    entry = AuditEntry.objects.for_object(app).latest("id")
    assert (entry.action, entry.from_state, entry.to_state, entry.actor) == (
        "applicants.application.appealed", "not_yet_competent", "appealed", alice)


def test_one_table_the_old_transitions_name_reads_from_the_machine():
    from applicants.workflow import TRANSITIONS

    assert TRANSITIONS[Status.COMPLETE] == {Status.RETURNED, Status.VERIFIED, Status.REJECTED, Status.WITHDRAWN}
    assert TRANSITIONS[Status.HANDED_OVER] == set()


# --- the service clock agrees with the status -------------------------------------------------------------

def _clock(app):
    return sla.clock_for(app, services.CLOCK)


def _state(app) -> str | None:
    return sla.clock_state(_clock(app))


def test_the_clock_agrees_with_the_status_at_every_step(alice_profile, scheme, victor, lina, tono):
    app = submitted_application(alice_profile, scheme)
    assert _clock(app) is None  # submitted: nothing counts yet
    services.application_return(app, actor=victor, reason="Scan buram")
    assert _clock(app) is None  # returned before it was complete: no clock to pause
    services.application_submit(app, user=alice_profile.user, declaration=True)
    accept_all(app, victor)
    services.application_complete(app, actor=victor)
    started = _clock(app)
    assert started.outcome == "open" and _state(app) != "paused"
    assert app.deadline == started.target_due
    services.application_return(app, actor=victor, reason="Verifikasi substantif: SKP tidak sesuai")
    assert _state(app) == "paused"
    services.application_submit(app, user=alice_profile.user, declaration=True)
    assert _clock(app).outcome == "open" and not _clock(app).paused_since
    accept_all(app, victor)
    services.application_complete(app, actor=victor)
    assert _clock(app).start_date == started.start_date  # the same clock runs on: it is not restarted
    services.check_record(app, actor=victor, kind="administrative", result="passed")
    services.check_record(app, actor=victor, kind="substantive", result="passed")
    services.application_verify(app, actor=victor)
    services.participants_name([app], actor=victor, reference="800/3/BKPSDM/2026")
    for name, actor in (("scheduled", lina), ("assessed", tono), ("found_competent", lina), ("certified", lina)):
        services.application_act(app, name, actor=actor)
        assert _clock(app).outcome == "open", name
    services.application_act(app, "handed_over", actor=victor, reason="Diserahkan")
    assert _clock(app).outcome == "met" and _clock(app).stopped_at is not None
    assert Application.objects.get(pk=app.pk).deadline is None


@pytest.mark.parametrize("ending", ["rejected", "withdrawn"])
def test_a_rejection_or_a_withdrawal_cancels_the_clock(alice_profile, scheme, victor, ending):
    app = submitted_application(alice_profile, scheme)
    accept_all(app, victor)
    services.application_complete(app, actor=victor)
    if ending == "rejected":
        services.application_reject(app, actor=victor, reason="Masa kerja kurang")
    else:
        services.application_withdraw(app, user=alice_profile.user, reason="Mutasi")
    assert _clock(app).outcome == "cancelled"


def test_seed_001_step_3_a_complete_dossier_returned_pauses_the_clock_and_resubmission_resumes_it(
        alice_profile, scheme, victor, login):
    """Seed 001 item 3: 14 to 30 working days since the dossier is declared complete and correct; step 3 may still
    find a problem: the dossier goes back with the clock paused, and the days with the applicant do not count."""
    day0 = datetime.datetime(2026, 9, 7, 9, 0, tzinfo=JAKARTA)  # a Monday
    with time_machine.travel(day0, tick=False):
        app = submitted_application(alice_profile, scheme)
        accept_all(app, victor)
        services.application_complete(app, actor=victor)
    clock = _clock(app)
    start = clock.start_date
    assert start == datetime.date(2026, 9, 7)
    assert cal.working_days_between(start, clock.target_due) == 14
    assert cal.working_days_between(start, clock.limit_due) == 30
    target, limit = clock.target_due, clock.limit_due

    returned_on = cal.add_working_days(start, 3)
    with time_machine.travel(datetime.datetime.combine(returned_on, datetime.time(10), JAKARTA), tick=False):
        services.application_return(app, actor=victor, reason="Verifikasi substantif: SKP bukan tahun terakhir",
                                    field_notes={"position": "Jabatan tidak sesuai SK"})
    assert _clock(app).paused_since == returned_on
    for person, language, words in ((alice_profile.user, "en", ("14 to at most 30 working days", "Paused since")),
                                    (victor, "id", ("14 sampai paling lama 30 hari kerja",
                                                    "Dihentikan sementara sejak"))):
        client = login(person, language)
        page = client.get(f"/permohonan/{app.pk}/", follow=True).content.decode()
        assert all(w in page for w in words), (person, language)

    resubmitted_on = cal.add_working_days(returned_on, 5)
    with time_machine.travel(datetime.datetime.combine(resubmitted_on, datetime.time(9), JAKARTA), tick=False):
        services.application_submit(app, user=alice_profile.user, declaration=True)
    clock = _clock(app)
    assert (clock.paused_since, clock.paused_working_days) == (None, 5)
    assert clock.target_due == cal.add_working_days(target, 5)
    assert clock.limit_due == cal.add_working_days(limit, 5)
    assert cal.working_days_between(start, clock.target_due) - clock.paused_working_days == 14
    assert Application.objects.get(pk=app.pk).deadline == clock.target_due
    with translation.override("en"):
        page = login(alice_profile.user).get(f"/permohonan/{app.pk}/").content.decode()
    assert "Paused for 5 working days so far" in page


def test_the_history_reads_label_from_to_who_and_why_in_both_languages(alice_profile, scheme, victor, login):
    app = submitted_application(alice_profile, scheme)
    services.application_return(app, actor=victor, reason="Scan buram")
    page = login(alice_profile.user, "id").get(f"/permohonan/{app.pk}/").content.decode()
    timeline = page.split('id="timeline"')[1].split("</ol>")[0]
    assert "dikembalikan untuk perbaikan" in timeline and "Diajukan → Dikembalikan untuk perbaikan" in timeline
    assert "Victor Verifier" in timeline and "Scan buram" in timeline and "permohonan dibuat" in timeline
    page = login(alice_profile.user, "en").get(f"/permohonan/{app.pk}/").content.decode()
    timeline = page.split('id="timeline"')[1].split("</ol>")[0]
    assert "returned for correction" in timeline and "Submitted → Returned for correction" in timeline
    assert "applicants.application" not in timeline  # no raw codes


def test_documents_and_checks_are_the_verifiers_and_never_on_their_own_application(alice_profile, scheme, lina,
                                                                                     victor):
    app = submitted_application(alice_profile, scheme)
    with pytest.raises(ApplicationError, match="recorded by a verifier"):
        services.document_review(app.documents.first(), actor=lina, accepted=True)
    vera = UserFactory(full_name="Vera Verifikator", roles=[Role.APPLICANT, Role.VERIFIER])
    own = submitted_application(ProfileFactory(user=vera), scheme_with_parts())
    with pytest.raises(ApplicationError, match="your own application"):
        services.check_record(own, actor=vera, kind="completeness", result="passed")
    services.document_review(app.documents.first(), actor=victor, accepted=True)
    assert app.documents.filter(review="accepted").count() == 1
