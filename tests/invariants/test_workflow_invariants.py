"""Records that cannot contradict themselves: a Hypothesis state machine drives random sequences of actions, by
random people (the personas) at random times around the test day, through the services, for the whole life of
applications and events; after every step it checks the invariants of :mod:`tests.invariants.checks`.

A refusal (:class:`certportal.errors.PortalError`) is an expected answer; any other exception fails the test.
Each example runs inside its own savepoint, rolled back at its end, so no example sees another's rows. The run is
reproducible (``derandomize``: the seed comes from the test's name) and bounded (examples × steps), so it fits in
CI on SQLite and on PostgreSQL. A violation it finds is kept as a regular test in ``test_found_examples.py``.
"""

from __future__ import annotations

import datetime
import os

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import event as note
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from assessments.certificates.models import PrintJob
from assessments.events.models import Appeal
from certportal.errors import PortalError

from . import actions, checks

KEYS = list(actions.PERSONAS)
STEP_PEOPLE = {1: "lina", 2: "tono", 3: "lina", 4: "lina", 5: "asa", 6: "tono", 7: "tono", 8: "lina"}
STEP_SECOND = {1: "asa", 5: "tono", 7: "quinn"}  # where the SOP names a second role (or the core splits the step)
# Around the test day of an event: before it, on the day, later, and past the certificate's validity.
MOMENTS = [datetime.timedelta(days=-3), datetime.timedelta(hours=-1), datetime.timedelta(hours=1),
           datetime.timedelta(days=1), datetime.timedelta(days=12), datetime.timedelta(days=3 * 366 + 30)]

# K/BK per unit, cycled: all K more often than not, so that certificates are issued
RESULTS = st.one_of(st.just(["K"]), st.lists(st.sampled_from(["K", "BK"]), min_size=1, max_size=2))

# Bounded for CI: 25 examples of 60 steps, under two minutes (see docs/architecture.md, Invariant tests).
# INVARIANT_EXAMPLES raises it for a longer exploratory run.
EXAMPLES = int(os.environ.get("INVARIANT_EXAMPLES", "25"))
STEPS = int(os.environ.get("INVARIANT_STEPS", "60"))


def who(*preferred: str):
    """A persona: half of the time one who should act, otherwise anyone (a wrong role must be refused)."""
    return st.one_of(st.sampled_from(preferred), st.sampled_from(KEYS))


def owner_or(key_strategy=None):
    """None means the record's own applicant; otherwise another persona."""
    return st.one_of(st.none(), key_strategy or st.sampled_from(KEYS))


class WorkflowMachine(RuleBasedStateMachine):
    applications = Bundle("applications")
    events = Bundle("events")
    participants = Bundle("participants")
    appeals = Bundle("appeals")

    def __init__(self):
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self._travel = None
        self.found: list[str] = []  # violations seen by an action (printing, handover)
        try:
            self.world = actions.make_world()
            self._set_up()
        except BaseException:  # no teardown follows a failed start: leave no savepoint open for the next example
            transaction.set_rollback(True)
            self._savepoint.__exit__(None, None, None)
            raise

    def teardown(self):
        # How far this example got (pytest --hypothesis-show-statistics lists it per example).
        from applicants.models import Application
        from assessments.certificates.models import Certificate
        from assessments.events.models import Event

        note(f"applications: {sorted(set(Application.objects.values_list('status', flat=True)))}")
        note(f"events: {sorted(set(Event.objects.values_list('status', flat=True)))}")
        note(f"certificates: {Certificate.objects.count()}, print jobs: {PrintJob.objects.count()}")
        if self._travel is not None:
            self._travel.stop()
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    # --- helpers ----------------------------------------------------------------------------------------------

    def user(self, key):
        return self.world.users[key]

    def owner(self, record, key):
        """The applicant of ``record`` (an application or a participant) when ``key`` is None."""
        if key is not None:
            return self.user(key)
        app = record.application if hasattr(record, "application") else record
        return app.applicant

    @staticmethod
    def attempt(fn, *args, **kwargs):
        """Call an action; a refusal is an answer, not a failure."""
        try:
            return fn(*args, **kwargs)
        except PortalError:
            return None

    def _set_up(self):
        """Alice and Bob are verified, named and put on an event a week ahead (through the services); Cici and
        any new dossier start from a draft."""
        w = self.world
        self.first_event = actions.event_create(w, actor=w.lina, starts_at=timezone.now().replace(
            hour=9, minute=0, second=0, microsecond=0) + datetime.timedelta(days=7))
        actions.event_add_assessor(w, self.first_event, actor=w.lina)
        self.first_apps, self.first_participants = [], []
        for user in (w.alice, w.bob):
            app = actions.application_start(w, user)
            actions.application_submit(app, user=user)
            actions.application_complete(app, actor=w.victor)
            actions.application_verify(app, actor=w.victor)
            actions.participant_name(app, actor=w.victor)
            self.first_apps.append(app)
            self.first_participants.append(actions.event_add_participant(self.first_event, app, actor=w.lina))

    @initialize(target=events)
    def the_first_event(self):
        return self.first_event

    @initialize(target=participants)
    def its_participants(self):
        return multiple(*self.first_participants)

    @initialize(target=applications)
    def their_applications(self):
        return multiple(*self.first_apps)

    # --- time -------------------------------------------------------------------------------------------------

    @rule(event=events, moment=st.sampled_from(MOMENTS), then_work=st.booleans(), results=RESULTS)
    def travel(self, event, moment, then_work, results):
        """Move the clock around an event's test day (forward or back); then, perhaps, the people of the event do
        their next steps at that time."""
        self._move_clock(actions.fresh(event).starts_at + moment)
        if then_work:
            self.advance_event(event, results)

    def _move_clock(self, to: datetime.datetime) -> None:
        if self._travel is not None:
            self._travel.stop()
        self._travel = time_machine.travel(to, tick=True)
        self._travel.start()

    # --- applications -----------------------------------------------------------------------------------------
    # Related acts share one rule with a ``what`` argument: fewer rules, so that each example (which switches a
    # random subset of rules off) keeps enough of them to reach the late stages.

    @rule(target=applications, key=st.sampled_from(actions.APPLICANTS))
    def start_application(self, key):
        app = self.attempt(actions.application_start, self.world, self.user(key))
        return app if app is not None else multiple()

    @rule(app=applications, what=st.sampled_from(["submit", "withdraw"]), key=owner_or())
    def applicant_acts(self, app, what, key):
        fn = {"submit": actions.application_submit, "withdraw": actions.application_withdraw}[what]
        self.attempt(fn, app, user=self.owner(app, key))

    @rule(app=applications, what=st.sampled_from(["return", "complete", "verify", "reject", "name"]),
          key=who("victor", "lina"))
    def verifier_acts(self, app, what, key):
        fn = {"return": actions.application_return, "complete": actions.application_complete,
              "verify": actions.application_verify, "reject": actions.application_reject,
              "name": actions.participant_name}[what]
        self.attempt(fn, app, actor=self.user(key))

    @rule(app=applications)
    def advance_application(self, app):
        """The next natural step of the dossier, by the right person (so that random runs get far)."""
        app = actions.fresh(app)
        step = {"draft": (actions.application_submit, "user", None),
                "returned": (actions.application_submit, "user", None),
                "submitted": (actions.application_complete, "actor", "victor"),
                "resubmitted": (actions.application_complete, "actor", "victor"),
                "complete": (actions.application_verify, "actor", "victor"),
                "verified": (actions.participant_name, "actor", "victor")}.get(app.status)
        if step:
            fn, keyword, key = step
            self.attempt(fn, app, **{keyword: self.owner(app, key)})

    # --- events -----------------------------------------------------------------------------------------------

    @rule(target=events, days=st.integers(1, 14), key=who("lina"))
    def create_event(self, days, key):
        starts_at = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + datetime.timedelta(days=days)
        event = self.attempt(actions.event_create, self.world, actor=self.user(key), starts_at=starts_at)
        if event is None:
            return multiple()
        self.attempt(actions.event_add_assessor, self.world, event, actor=self.user(key))
        return event

    @rule(target=participants, event=events, app=applications, key=who("lina"))
    def add_participant(self, event, app, key):
        p = self.attempt(actions.event_add_participant, event, app, actor=self.user(key))
        return p if p is not None else multiple()

    @rule(event=events, what=st.sampled_from(["step", "attendance", "sign"]),
          key=st.one_of(st.none(), st.just("second"), st.sampled_from(KEYS)), someone_absent=st.booleans())
    def event_acts(self, event, what, key, someone_absent):
        """One act on the event: the next SOP step (by its person, its second role, or anyone), the attendance
        list (perhaps with the first participant absent), or the assessor's signature on the berita acara."""
        number = actions.next_step(event) or 8
        key = {None: STEP_PEOPLE[number], "second": STEP_SECOND.get(number, "tono")}.get(key, key)
        if what == "step":
            self.attempt(actions.sop_step, event, number, actor=self.user(key))
        elif what == "attendance":
            first = actions.fresh(event).participants.order_by("id").first()
            absent = {first.pk} if someone_absent and first else set()
            self.attempt(actions.attendance_record, event, actor=self.user(key), absent=absent)
        else:
            self.attempt(actions.report_sign_as_assessor, event, actor=self.user(key))

    @rule(event=events, results=RESULTS)
    def advance_event(self, event, results):
        """The event's next natural steps, by the right people, at the current time, until one is refused:
        attendance, agreements and results before the test is held, the assessor's signature before step 6, the
        second role where the SOP names one."""
        for _ in range(8):
            number = actions.next_step(event)
            if number is None or not self._event_step(actions.fresh(event), number, results):
                return

    def _event_step(self, event, number, results) -> bool:
        w = self.world
        if number == 5 and timezone.now() < event.starts_at:
            self._move_clock(event.starts_at + datetime.timedelta(hours=1))  # the test day comes (never back)
        if number == 5:
            self.attempt(actions.attendance_record, event, actor=w.asa)
            for p in event.participants.all():
                self.attempt(actions.participant_accept_agreement, p, user=p.application.applicant)
                self.attempt(actions.assessor_accept_agreement, p, user=w.asa)
                self.attempt(actions.results_record, p, actor=w.asa, results=results)
        if number == 6:
            self.attempt(actions.report_sign_as_assessor, event, actor=w.asa)
        for key in dict.fromkeys([STEP_PEOPLE[number], STEP_SECOND.get(number, STEP_PEOPLE[number])]):
            if actions.next_step(event) == number:
                self.attempt(actions.sop_step, event, number, actor=self.user(key))
        return actions.next_step(event) != number

    @rule(event=events, key=who("lina"), kind=st.sampled_from(PrintJob.Kind.values))
    def batch_print(self, event, key, kind):
        """Issue and print the whole event; no certificate that was not valid just before may be in the PDF."""
        before = checks.certificate_states(actions.fresh(event))
        job = self.attempt(actions.batch_print, event, actor=self.user(key), kind=kind)
        if job is not None and kind == PrintJob.Kind.CERTIFICATES:
            self.found += checks.printed_invalid(actions.printed_text(job), before)

    # --- participants ------------------------------------------------------------------------------------------

    @rule(p=participants, how_far=st.integers(1, 5))
    def advance_participant(self, p, how_far):
        """Up to ``how_far`` of the participant's next natural steps after the review, by the right people: the
        decision (the recommendation), the result letter, the holder obligations, the certificate, the handover."""
        for _ in range(how_far):
            p = actions.fresh(p)
            step = self._participant_step(p)
            if step is None:
                return
            fn, kwargs = step
            if fn is actions.handover:
                self._hand_over(**kwargs)
            elif self.attempt(fn, p, **kwargs) is None:
                return

    def _participant_step(self, p):
        lina, applicant = self.world.lina, p.application.applicant
        cert = actions.latest_certificate(p)
        if not p.decision:
            return actions.participant_decide, {"actor": lina}
        if actions.current_letter(p) is None:
            return actions.result_letter_issue, {"actor": lina}
        if p.decision == "K" and not p.obligations_accepted_at:
            return actions.participant_accept_obligations, {"user": applicant}
        if p.decision == "K" and cert is None:
            return actions.certificate_issue, {"actor": lina}
        if not p.application.handovers.exists():
            return actions.handover, {"key": "victor", "certificate": cert,
                                      "letter": None if cert else actions.current_letter(p)}
        return None

    def _hand_over(self, *, key, certificate=None, letter=None):
        """Hand a document over; a certificate that was not valid just before must not have been accepted."""
        before = checks.certificate_states()
        handover = self.attempt(actions.handover, actor=self.user(key), certificate=certificate, letter=letter)
        self.found += checks.handed_over_invalid(handover, before)
        return handover

    @rule(target=appeals, p=participants, what=st.sampled_from(["confirm", "agreement", "obligations", "appeal"]),
          key=owner_or())
    def participant_acts(self, p, what, key):
        """The participant's own acts (or someone else trying them)."""
        user = self.owner(p, key)
        if what == "appeal":
            appeal = self.attempt(actions.appeal_file, p, user=user)
            return appeal if appeal is not None else multiple()
        fn = {"confirm": actions.participant_confirm_attendance, "agreement": actions.participant_accept_agreement,
              "obligations": actions.participant_accept_obligations}[what]
        self.attempt(fn, p, user=user)
        return multiple()

    @rule(p=participants, what=st.sampled_from(["results", "decide", "correct", "letter", "certificate"]),
          key=who("asa", "lina", "lukas"), results=RESULTS, decision=st.sampled_from([None, "K", "BK"]),
          unit_index=st.integers(0, 1))
    def staff_acts(self, p, what, key, results, decision, unit_index):
        """Results by the assessor, the decision (the recommendation or another one with a note), a correction
        of one result (the ``unit_index``-th, to the first of ``results``), the result letter, the certificate."""
        actor = self.user(key)
        if what == "results":
            self.attempt(actions.results_record, p, actor=actor, results=results)
        elif what == "decide":
            self.attempt(actions.participant_decide, p, actor=actor, decision=decision)
        elif what == "correct":
            self.attempt(actions.result_correct, p, actor=actor, unit_index=unit_index, result=results[0])
        elif what == "letter":
            self.attempt(actions.result_letter_issue, p, actor=actor)
        else:
            self.attempt(actions.certificate_issue, p, actor=actor)

    @rule(appeal=appeals, key=who("quinn", "lukas"), outcome=st.sampled_from(Appeal.Outcome.values))
    def decide_appeal(self, appeal, key, outcome):
        self.attempt(actions.appeal_decide, appeal, actor=self.user(key), outcome=outcome)

    # --- documents --------------------------------------------------------------------------------------------

    @rule(p=participants, what=st.sampled_from(["suspend", "reinstate", "withdraw", "replace", "hand over",
                                                "hand over letter"]),
          key=who("lina", "victor"), days=st.integers(1, 60))
    def document_acts(self, p, what, key, days):
        """On the participant's latest certificate (or current letter): suspend, reinstate, withdraw, replace,
        hand over."""
        cert, actor = actions.latest_certificate(p), self.user(key)
        if what == "suspend":
            self.attempt(actions.certificate_suspend, cert, actor=actor, days=days)
        elif what == "reinstate":
            self.attempt(actions.certificate_reinstate, cert, actor=actor)
        elif what == "withdraw":
            self.attempt(actions.certificate_withdraw, cert, actor=actor)
        elif what == "replace":
            self.attempt(actions.certificate_replace, cert, actor=actor)
        elif what == "hand over":
            self._hand_over(key=key, certificate=cert)
        else:
            self._hand_over(key=key, letter=actions.current_letter(p))

    # Hypothesis runs each example with a random subset of the rules switched off ("swarm testing"); the rules
    # that drive a record forward by the right people are declared three times each, so that most examples
    # keep at least one and get far into the life of an event, while the other rules add the disorder.
    @rule(app=applications)
    def advance_application_again(self, app):
        self.advance_application(app)

    @rule(event=events, results=RESULTS)
    def advance_event_again(self, event, results):
        self.advance_event(event, results)

    @rule(event=events, results=RESULTS, how_far=st.integers(1, 5))
    def advance_event_and_its_people(self, event, results, how_far):
        """The event's next steps, then each of its participants' next ones after the review (decision, letter,
        obligations, certificate, handover): so that examples reach the certificate stage as often as the test."""
        self.advance_event(event, results)
        for p in actions.fresh(event).participants.all():
            self.advance_participant(p, how_far)

    @rule(p=participants, how_far=st.integers(1, 5))
    def advance_participant_again(self, p, how_far):
        self.advance_participant(p, how_far)

    @rule(p=participants, how_far=st.integers(1, 5))
    def advance_participant_once_more(self, p, how_far):
        self.advance_participant(p, how_far)

    @rule(event=events, moment=st.sampled_from(MOMENTS), then_work=st.booleans(), results=RESULTS)
    def travel_again(self, event, moment, then_work, results):
        self.travel(event, moment, then_work, results)

    # --- the invariants ---------------------------------------------------------------------------------------

    @invariant()
    def records_do_not_contradict_themselves(self):
        problems = self.found + checks.violations()
        assert not problems, "\n".join(problems)


SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    derandomize=True,  # a fixed seed: CI and every run explore the same sequences
    database=None,  # nothing replayed from a local example database: the run is the same everywhere
    deadline=None,  # the clock is moved by the test; PDF rendering takes its time
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    report_multiple_bugs=False,
)

@pytest.mark.django_db
def test_no_sequence_of_actions_makes_the_records_contradict_themselves():
    run_state_machine_as_test(WorkflowMachine, settings=SETTINGS)
