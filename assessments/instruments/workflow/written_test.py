"""State machine of the browser multiple-choice test FR.IA.05 (``WrittenTest``), and the labels of the question
bank's audit codes.

running → submitted, by one of two arrows:

- ``submitted``: the participant submits their own test before the time runs out;
- ``timed_out``: the portal closes it once the deadline has passed (the next request about it, or the SLA sweep),
  scored with the answers saved by the deadline.

Starting a test (drawing its questions) is the row's creation, audited ``assessments.writtentest.started``; each
autosaved answer is ``...answered``. Scoring writes one signed FR.IA.05 instrument record per unit
(``assessments.instrumentrecord.scored``). Every page that shows bank content writes ``assessments.bankitem.*``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.errors import AssessmentRefused
from assessments.instruments.models.records import WrittenTest
from certportal import dates
from certportal.accounts.models import Role
from certportal.workflow import Machine, Transition, register_labels

W = WrittenTest.Status


def is_own_test(user, test: WrittenTest) -> bool:
    return test.participant.application.applicant_id == getattr(user, "pk", None)


def before_deadline(test: WrittenTest, user, at) -> str | None:
    if at > test.deadline:
        return _("The time ran out at %(time)s: your test is scored with the answers saved by then.") % {
            "time": dates.wib(test.deadline)}
    return None


def deadline_passed(test: WrittenTest, user, at) -> str | None:
    return None if at >= test.deadline else _("The time for this test has not run out yet.")


WRITTEN_TEST = Machine(
    model=WrittenTest,
    states=W,
    refused=AssessmentRefused,
    labels={"started": gettext_lazy("written test (FR.IA.05) started"),
            "answered": gettext_lazy("written test answer saved"),
            "answers_viewed": gettext_lazy("written test answer sheet viewed"),
            "printed": gettext_lazy("written test (FR.IA.05) printed")},
    transitions=[
        Transition("submitted", {W.RUNNING}, W.SUBMITTED, gettext_lazy("written test submitted and scored"),
                   gettext_lazy("Submit my answers"), (Role.APPLICANT,), allowed=is_own_test, guard=before_deadline,
                   stamp="submitted_at"),
        Transition("timed_out", {W.RUNNING}, W.SUBMITTED,
                   gettext_lazy("written test closed when the time ran out, and scored"), guard=deadline_passed,
                   system=True),
    ],
)

register_labels({
    "assessments.bankitem.listed": gettext_lazy("question bank overview opened"),
    "assessments.bankitem.viewed": gettext_lazy("question bank opened"),
    "assessments.bankitem.created": gettext_lazy("question bank item added"),
    "assessments.bankitem.edited": gettext_lazy("question bank item changed"),
    "assessments.bankitem.deactivated": gettext_lazy("question bank item taken out of use"),
    "assessments.bankitem.reactivated": gettext_lazy("question bank item back in use"),
    "assessments.bankitem.import_read": gettext_lazy("question bank import read"),
    "assessments.bankitem.imported": gettext_lazy("question bank items imported"),
    "assessments.bankitem.refused": gettext_lazy("question bank refused"),
    "assessments.bankkeeper.assigned": gettext_lazy("question bank keeper assigned"),
    "assessments.bankkeeper.removed": gettext_lazy("question bank keeper removed"),
    "assessments.instrumentrecord.scored": gettext_lazy("FR.IA.05 record scored and signed by the portal"),
})


def machines() -> list:
    return [WRITTEN_TEST]
