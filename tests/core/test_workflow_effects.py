"""What a transition causes is declared on it and run by the core, once, in the transition's own transaction; no
receiver of ``transitioned`` outside the core carries a business rule.

The stub machine borrows ``Complaint`` and its states (as tests/core/test_workflow_core.py does); the application's
own effects are checked in tests/applicants/test_declared_effects.py."""

import ast
import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certportal import workflow
from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from certportal.errors import ErrorCode, PortalError, TransitionRefused
from certportal.workflow.registry import Machine, Transition, machines
from complaints.models import Complaint, Status
from complaints.workflow import ComplaintError, ComplaintRefused
from tests.complaints.factories import file_complaint

OFFICER = (Role.COMPLAINT_OFFICER,)
ROOT = Path(settings.BASE_DIR)


class Calls(list):
    """Each effect appends (its name, the action, what the database holds for the row at that moment)."""

    def effect(self, name: str):
        def run(obj, moved):
            saved = Complaint.objects.filter(pk=obj.pk).values_list("status", flat=True).get()
            self.append((name, moved.name, saved))
            if name == "sets":
                obj.findings = f"set by an effect of {moved.name} ({moved.from_state} -> {moved.to_state})"
            if name == "fails":
                raise RuntimeError("an effect failed")
        return run


CALLS = Calls()

STUB = Machine(
    model=Complaint, states=Status, refused=ComplaintRefused, stamp="closed_at",
    effects=(CALLS.effect("machine"),), notices=(CALLS.effect("machine notice"),),
    transitions=[
        Transition("sorted", {Status.RECEIVED}, Status.CLASSIFIED, "stub sorted", "Sort", OFFICER,
                   stamp=("answered_at", "apip_approved_at"), effects=(CALLS.effect("sets"),),
                   notices=(CALLS.effect("notice"),)),
        Transition("broken", {Status.RECEIVED}, Status.CLOSED, "stub broken", "Break", OFFICER,
                   effects=(CALLS.effect("fails"),)),
        Transition("reasoned", {Status.RECEIVED}, None, "stub reasoned", "Reason", OFFICER, needs_reason=True,
                   effects=(CALLS.effect("sets"),)),
    ])


@pytest.fixture
def stub():
    from certportal.workflow.registry import replaced

    CALLS.clear()
    with replaced(STUB):
        yield STUB


@pytest.mark.django_db
def test_declared_effects_run_once_before_the_one_save_and_notices_after_it(stub, karin):
    complaint = file_complaint()
    at = timezone.now() + datetime.timedelta(hours=1)
    with CaptureQueriesContext(connection) as queries:
        workflow.transition(complaint, "sorted", user=karin, at=at)
    # the machine's effects, then the transition's, while the row still reads "received"; notices see it saved
    assert CALLS == [("machine", "sorted", "received"), ("sets", "sorted", "received"),
                     ("machine notice", "sorted", "classified"), ("notice", "sorted", "classified")]
    complaint.refresh_from_db()
    assert complaint.findings == "set by an effect of sorted (received -> classified)"  # saved with the status
    assert (complaint.closed_at, complaint.answered_at, complaint.apip_approved_at) == (at, at, at)  # all stamps
    updates = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith('UPDATE "complaints_complaint"')]
    assert len(updates) == 1, updates  # the row is saved once


@pytest.mark.django_db
def test_a_failing_effect_undoes_the_whole_transition(stub, karin):
    complaint = file_complaint()
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError):
        workflow.transition(complaint, "broken", user=karin)
    assert Complaint.objects.get(pk=complaint.pk).status == Status.RECEIVED
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_a_refused_transition_runs_no_effect_and_says_what_it_is(stub, karin):
    complaint = file_complaint()
    with pytest.raises(ComplaintRefused) as refused:
        workflow.transition(complaint, "reasoned", user=karin, reason="  ")
    assert CALLS == []
    assert (refused.value.code, refused.value.action) == (ErrorCode.REASON_MISSING, "complaints.complaint.reasoned")
    with pytest.raises(ComplaintError) as refused:  # the app's error class catches its refused transitions too
        workflow.transition(Complaint.objects.get(pk=complaint.pk), "sorted", user=None)
    assert refused.value.code == ErrorCode.WRONG_PERSON and isinstance(refused.value, TransitionRefused)


def test_an_app_error_that_is_not_about_a_transition_is_not_a_transition_refusal():
    assert issubclass(ComplaintError, PortalError) and not issubclass(ComplaintError, TransitionRefused)
    assert ComplaintError("x").code == ErrorCode.REFUSED
    with pytest.raises(ValueError):
        ComplaintError("x", code="a free string")  # codes come from the enum
    for machine in machines():
        assert machine.refused is None or issubclass(machine.refused, TransitionRefused), machine.prefix


def test_a_machine_whose_refusal_is_not_a_transition_refusal_is_refused_at_registration():
    with pytest.raises(TypeError, match="TransitionRefused"):
        workflow.register(Machine(model=Complaint, states=Status, refused=ComplaintError, transitions=[]))


# --- no business rule in a receiver -------------------------------------------------------------------------

def _receivers_outside_the_core() -> list[str]:
    found = []
    for machine in machines():
        sync, asynchronous = workflow.transitioned._live_receivers(machine.model)
        for receiver in [*sync, *asynchronous]:
            module = getattr(receiver, "__module__", "") or ""
            if not module.startswith("certportal."):
                found.append(f"{machine.prefix}: {module}.{getattr(receiver, '__qualname__', receiver)}")
    return found


def test_no_receiver_outside_the_core_is_connected_to_transitioned():
    assert _receivers_outside_the_core() == [], (
        "Declare what a transition causes on it (effects=, notices=), not in a transitioned receiver")


def test_the_receiver_scan_finds_a_receiver_of_an_app():
    def recount(**kwargs):  # what an app's receiver looks like: it would change business data
        pass

    recount.__module__ = "applicants.receivers"
    workflow.transitioned.connect(recount, sender=Complaint, weak=False, dispatch_uid="test-effects-scan")
    try:
        assert _receivers_outside_the_core() == ["complaints.complaint: applicants.receivers." +
                                                 recount.__qualname__]
    finally:
        workflow.transitioned.disconnect(sender=Complaint, dispatch_uid="test-effects-scan")


def _connects_transitioned(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "connect" and "transitioned" in ast.unparse(func):
                return True
            if ast.unparse(func) == "receiver" and node.args and "transitioned" in ast.unparse(node.args[0]):
                return True
    return False


def test_no_app_module_connects_a_receiver_to_transitioned():
    """Read from the source too, so a receiver connected only under some setting is found as well."""
    apps = ["applicants", "assessments", "agencies", "complaints", "quality", "schemes"]
    found = [path.relative_to(ROOT).as_posix() for app in apps for path in (ROOT / app).rglob("*.py")
             if "migrations" not in path.parts and _connects_transitioned(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == []
    assert _connects_transitioned(ast.parse("@receiver(transitioned, sender=X)\ndef f(**kw): pass"))
