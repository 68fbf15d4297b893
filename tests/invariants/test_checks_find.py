"""Each invariant finds the contradiction it is there for: planted behind the services' back (a bare ``update()``,
as a bug or a hand in the database would leave it) into records the services wrote right. The checks ask the
database first whether anything is wrong at all, with questions compiled once for the run
(``tests/invariants/checks.py``): these tests hold that those questions see what the rows say."""

from __future__ import annotations

import datetime

import pytest

from applicants.models import Application
from applicants.models import Status as AppStatus
from assessments.events.models import EventAssessor, EventStep, Participant, UnitResult

from . import actions, checks
from .test_found_examples import certified, decided

DAY = datetime.timedelta(days=1)


def _handed_over(world, event, time_machine, result: str):
    """The participant decided ``result`` after a test held on its day; the certificate (K) or the result letter
    (BK) issued and handed over two days later, every record right; the paper handed over."""
    if result == "K":
        (paper,) = certified(world, event, time_machine)
    else:
        (participant,) = decided(world, event, time_machine, results=(result,))
        paper = actions.result_letter_issue(participant, actor=world.lina)
    time_machine.move_to(event.starts_at + 2 * DAY)
    if result == "K":
        actions.handover(actor=world.victor, certificate=paper)
    else:
        actions.handover(actor=world.victor, letter=paper)
    assert checks.violations() == []
    return paper


def _earlier(model, pk, **fields) -> int:
    return model.objects.filter(pk=pk).update(**fields)


HOUR = datetime.timedelta(hours=1)
EARLY = {  # (the decision, what is planted: a record dated on the day before the test or an hour before its start)
    "result letter": ("BK", lambda paper, start: _earlier(type(paper), paper.pk, issued_on=start.date() - DAY)),
    "certificate": ("K", lambda paper, start: _earlier(type(paper), paper.pk, issued_on=start.date() - DAY)),
    "handover of a certificate": ("K", lambda paper, start: paper.handovers.update(handed_at=start - HOUR)),
    "handover of a result letter": ("BK", lambda paper, start: paper.handovers.update(handed_at=start - HOUR)),
    "assessor's signature": ("K", lambda paper, start: EventAssessor.objects.filter(
        event=paper.participant.event_id).update(signed_report_at=start - HOUR)),
    "SOP step": ("K", lambda paper, start: EventStep.objects.filter(
        event=paper.participant.event_id, number=6).update(done_at=start - HOUR)),
    "decision": ("BK", lambda paper, start: _earlier(Participant, paper.participant_id, decided_at=start - HOUR)),
    "result": ("K", lambda paper, start: UnitResult.objects.filter(participant=paper.participant_id).update(
        recorded_at=start - HOUR)),
}


@pytest.mark.parametrize("kind", list(EARLY))
def test_a_record_dated_before_its_test_is_found(world, event, time_machine, kind):
    result, plant = EARLY[kind]
    paper = _handed_over(world, event, time_machine, result)
    assert plant(paper, event.starts_at) >= 1
    found = checks.documents_before_test()
    assert found and all("before the test on" in sentence for sentence in found), found


def test_a_status_outside_the_declared_states_is_found(world, event, time_machine):
    cert = _handed_over(world, event, time_machine, "K")
    Application.objects.filter(pk=cert.application_id).update(status="lost")
    assert checks.undeclared_states() == [
        f"Application #{cert.application_id}: status is 'lost', not one of its declared states"]


def test_a_status_changed_without_its_audit_row_is_found(world, event, time_machine):
    cert = _handed_over(world, event, time_machine, "K")
    Application.objects.filter(pk=cert.application_id).update(status=AppStatus.WITHDRAWN)
    assert checks.audit_trail_gaps() == [
        f"Application #{cert.application_id} is 'withdrawn' but its audit trail ends at 'handed_over'"]
