"""What each arrow of the application declares happens exactly once per transition: its stamps, the service
clock, the applicant's e-mail (and in-portal notice), the verifiers' notice on a (re)submission; the row is
saved once. Read from the rows and the outbox, not from the code."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applicants import services
from applicants.models import Status
from certportal.notifications.models import Notification
from certportal.sla.models import Clock

from .helpers import accept_all, submitted_application

pytestmark = pytest.mark.django_db

STAMPED = ("status_changed_at", "submitted_at", "completed_at", "decided_at", "named_at", "closed_at")


class Walk:
    """Takes one arrow at a time (now) and returns what changed; ``at`` is the time of the last act."""

    def __init__(self, app, capture):
        self.app, self.capture, self.at = app, capture, app.status_changed_at

    def take(self, name: str, actor, reason: str = "", **changes) -> dict:
        before = {f: getattr(self.app, f) for f in STAMPED}
        mails, notes = len(mail.outbox), Notification.objects.filter(user=self.app.applicant).count()
        verifier_notes = Notification.objects.exclude(user=self.app.applicant).count()
        with self.capture(execute=True), CaptureQueriesContext(connection) as queries:
            self.app = services.application_act(self.app, name, actor=actor, reason=reason, **changes)
        updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "applicants_application"')]
        assert len(updates) == 1, (name, updates)  # the row is saved once
        sent = mail.outbox[mails:]
        assert [m.to for m in sent] == [[self.app.applicant.email]], name  # one e-mail, to the applicant
        assert Notification.objects.filter(user=self.app.applicant).count() == notes + 1, name
        assert self.app.status_changed_at > self.at and self.app.status_reason == reason
        self.at = self.app.status_changed_at  # the stamps below are this time
        stamped = {f for f in STAMPED if getattr(self.app, f) != before[f]} - {"status_changed_at"}
        assert all(getattr(self.app, f) == self.at for f in stamped), name
        return {"stamped": stamped,
                "verifier_notes": Notification.objects.exclude(user=self.app.applicant).count() - verifier_notes}

    def clocks(self):
        return list(Clock.objects.filter(object_id=self.app.pk, policy__code=services.CLOCK))


def test_every_declared_effect_happens_once_per_transition(alice_profile, scheme, victor, lina, tono,
                                                          django_capture_on_commit_callbacks):
    walk = Walk(submitted_application(alice_profile, scheme), django_capture_on_commit_callbacks)
    assert walk.take("returned", victor, "Scan buram") == {"stamped": set(), "verifier_notes": 0}
    assert walk.clocks() == []  # returned before it was complete: no clock
    resubmitted = walk.take("resubmitted", alice_profile.user, declaration_at=timezone.now())
    assert resubmitted == {"stamped": {"submitted_at"}, "verifier_notes": 1}  # victor told once
    accept_all(walk.app, victor)
    assert walk.take("completed", victor)["stamped"] == {"completed_at"}
    first_completed = walk.app.completed_at
    [clock] = walk.clocks()
    assert (clock.outcome, clock.started_at, walk.app.deadline) == ("open", walk.at, clock.target_due)
    walk.take("returned", victor, "SKP tidak sesuai")
    assert [c.paused_since for c in walk.clocks()] == [timezone.localdate(walk.at)]  # the one clock, paused
    walk.take("resubmitted", alice_profile.user, declaration_at=timezone.now())
    assert [(c.outcome, c.paused_since) for c in walk.clocks()] == [("open", None)]
    accept_all(walk.app, victor)
    assert walk.take("completed", victor)["stamped"] == set()  # the first declaration's time stays
    assert walk.app.completed_at == first_completed and len(walk.clocks()) == 1
    services.check_record(walk.app, actor=victor, kind="administrative", result="passed")
    services.check_record(walk.app, actor=victor, kind="substantive", result="passed")
    assert walk.take("verified", victor)["stamped"] == {"decided_at"}
    assert walk.take("named", lina, "800/3/BKPSDM/2026")["stamped"] == {"named_at"}
    for name, actor in (("scheduled", lina), ("assessed", tono), ("found_competent", lina), ("certified", lina)):
        assert walk.take(name, actor)["stamped"] == set(), name
    assert walk.take("handed_over", victor, "Diserahkan")["stamped"] == {"closed_at"}
    [clock] = walk.clocks()
    assert (clock.outcome, clock.stopped_at, walk.app.deadline) == ("met", walk.at, None)
    assert walk.app.status == Status.HANDED_OVER


def test_rejection_stamps_the_decision_and_the_close_and_cancels_the_clock(alice_profile, scheme, victor,
                                                                          django_capture_on_commit_callbacks):
    walk = Walk(submitted_application(alice_profile, scheme), django_capture_on_commit_callbacks)
    accept_all(walk.app, victor)
    walk.take("completed", victor)
    assert walk.take("rejected", victor, "Pangkat belum memenuhi")["stamped"] == {"decided_at", "closed_at"}
    assert [(c.outcome, walk.app.deadline) for c in walk.clocks()] == [("cancelled", None)]


def test_withdrawal_stamps_the_close(alice_profile, scheme, django_capture_on_commit_callbacks):
    walk = Walk(submitted_application(alice_profile, scheme), django_capture_on_commit_callbacks)
    assert walk.take("withdrawn", alice_profile.user, "Mutasi") == {"stamped": {"closed_at"}, "verifier_notes": 0}
    assert walk.app.closed_at == walk.at
