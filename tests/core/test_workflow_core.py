"""The workflow core on its own: a stub machine (no complaint rules) registered over the complaint model.

A test-only model would need a migration, so the stub borrows ``Complaint`` and its states; everything it checks
(state, role, predicate, guard, reason, submitted values, stamp, audit row, signal) comes from the stub spec."""

import datetime

import pytest
from django.utils import timezone, translation

from certportal import workflow
from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from certportal.errors import PortalError, TransitionRefused
from certportal.workflow.registry import Machine, Transition, replaced
from complaints.models import Complaint, Status
from tests.complaints.factories import file_complaint

pytestmark = pytest.mark.django_db

OFFICER = (Role.COMPLAINT_OFFICER,)


def _needs_findings(obj, user, at):
    return None if obj.findings else "Stub: record the findings first."


def _service_given(obj, changes, at):
    return None if changes.get("service") else "Stub: choose a service."


STUB = Machine(model=Complaint, states=Status, transitions=[
    Transition("sorted", {Status.RECEIVED}, Status.CLASSIFIED, "stub sorted", "Sort", OFFICER,
               validate=_service_given, stamp="answered_at"),
    Transition("noted", {Status.RECEIVED, Status.CLASSIFIED}, None, "stub noted", "Note", OFFICER,
               needs_reason=True),
    Transition("finished", {Status.CLASSIFIED}, Status.CLOSED, "stub finished", "Finish", OFFICER,
               guard=_needs_findings),
    Transition("own_only", {Status.RECEIVED}, Status.CLOSED, "stub own", "Own", (),
               allowed=lambda user, obj: obj.recorded_by_id == user.pk),
])


@pytest.fixture
def stub():
    with replaced(STUB):
        yield STUB


def test_a_machine_with_an_undeclared_state_is_refused_at_registration():
    bad = Machine(model=Complaint, states=Status, transitions=[
        Transition("x", {"nowhere"}, Status.CLOSED, "x")])
    with pytest.raises(ValueError, match="nowhere"):
        workflow.register(bad)


def test_action_codes_are_namespaced_by_model_and_labelled_from_the_registration(stub):
    assert stub.code("sorted") == "complaints.complaint.sorted"
    assert workflow.action_label("complaints.complaint.sorted") == "stub sorted"
    assert stub.get("complaints.complaint.sorted") is stub.get("sorted")
    assert workflow.action_label("nobody.registered.this") is None


def test_transition_sets_status_values_and_stamp_and_writes_one_audit_row(stub, karin):
    complaint = file_complaint()
    at = timezone.now() + datetime.timedelta(hours=1)
    before = AuditEntry.objects.count()
    seen = []
    workflow.transitioned.connect(lambda **kw: seen.append(kw), weak=False, dispatch_uid="test-stub")
    try:
        workflow.transition(complaint, "sorted", user=karin, ip="203.0.113.9", at=at, service="test")
    finally:
        workflow.transitioned.disconnect(dispatch_uid="test-stub")
    assert (complaint.status, complaint.service, complaint.answered_at) == ("classified", "test", at)
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.from_state, entry.to_state, entry.actor, entry.ip_address) == (
        "complaints.complaint.sorted", "received", "classified", karin, "203.0.113.9")
    assert seen[0]["action"] == "complaints.complaint.sorted" and seen[0]["entry"] == entry


def test_refusals_say_why_and_change_nothing(stub, karin, sofia):
    complaint = file_complaint()
    count = AuditEntry.objects.count()
    with pytest.raises(TransitionRefused, match="Stub: choose a service"):
        workflow.transition(complaint, "sorted", user=karin)
    with pytest.raises(TransitionRefused, match="Note"):  # the role, named by the button
        workflow.transition(complaint, "noted", user=sofia, reason="x")
    with pytest.raises(TransitionRefused):  # a reason is required
        workflow.transition(complaint, "noted", user=karin, reason="   ")
    with pytest.raises(PortalError, match=complaint.tracking_number):  # wrong state names the record
        workflow.transition(complaint, "finished", user=karin)
    complaint.refresh_from_db()
    assert complaint.status == "received" and AuditEntry.objects.count() == count


def test_allowed_actions_answers_what_now_and_why_not_the_rest(stub, karin, sofia):
    complaint = file_complaint()
    mine = workflow.allowed_actions(complaint, karin)
    assert {n for n, a in mine.items() if a.allowed} == {"sorted", "noted"}
    with translation.override("en"):
        reason = workflow.allowed_actions(complaint, karin)["finished"].reason
    assert reason == f"{complaint.tracking_number} is received; “Finish” is not possible now."
    assert not mine["finished"].offer_reason  # wrong state: nothing worth a help text
    assert not mine["own_only"].allowed  # the predicate: karin did not record it
    theirs = workflow.allowed_actions(complaint, sofia)
    assert not any(a.allowed for a in theirs.values())
    with translation.override("id"):
        assert "Peran Anda" in workflow.allowed_actions(complaint, sofia)["noted"].reason


def test_a_guard_reason_is_offered_as_help_and_lifted_when_the_record_allows(stub, karin):
    complaint = file_complaint()
    workflow.transition(complaint, "sorted", user=karin, service="test")
    action = workflow.allowed_actions(complaint, karin)["finished"]
    assert not action.allowed and action.offer_reason and action.reason == "Stub: record the findings first."
    Complaint.objects.filter(pk=complaint.pk).update(findings="found")
    complaint.refresh_from_db()
    assert workflow.allowed_actions(complaint, karin)["finished"].allowed


def test_the_predicate_lets_only_the_person_it_names(stub, karin):
    complaint = file_complaint(actor=karin)
    assert workflow.allowed_actions(complaint, karin)["own_only"].allowed
    workflow.transition(complaint, "own_only", user=karin)
    assert complaint.status == "closed"


def test_an_inactive_or_anonymous_user_may_do_nothing(stub, karin):
    from django.contrib.auth.models import AnonymousUser

    complaint = file_complaint()
    karin.is_active = False
    assert not any(a.allowed for a in workflow.allowed_actions(complaint, karin).values())
    assert not any(a.allowed for a in workflow.allowed_actions(complaint, AnonymousUser()).values())


def test_the_check_runs_on_the_locked_row_not_on_the_callers_stale_copy(stub, karin):
    complaint = file_complaint()
    stale = Complaint.objects.get(pk=complaint.pk)
    workflow.transition(complaint, "sorted", user=karin, service="test")
    with pytest.raises(TransitionRefused):
        workflow.transition(stale, "sorted", user=karin, service="test")  # already classified in the database
    assert AuditEntry.objects.for_object(complaint).filter(action="complaints.complaint.sorted").count() == 1
