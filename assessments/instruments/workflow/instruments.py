"""State machine of the instrument records (FR.IA.01–11 filled per participant, unit and instrument).

draft → signed. The participant's own assessor fills a record on the day of the test or after (the event open,
FR.AK.01 accepted, the participant present: the rule of ``result_recorded``, :func:`.participants._recordable`),
only for an instrument the event's plan asks of the participant's group in that unit; FR.IA.05 is the
participant's own browser test (``assessments.instruments.services.written_test``), never filled here.

Saving the draft is an action that keeps the status (``saved``, audited with the rows filled); signing freezes
it (``signed``: typed name, time, client address, outcome and snapshot). A signed record has no way out: it is
never changed. Creating the draft is audited as ``created`` (:mod:`assessments.instruments.services.instruments`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.errors import AssessmentRefused
from assessments.events.workflow.participants import _is_own_assessor, _recordable
from assessments.instruments.models.plans import Instrument
from assessments.instruments.models.records import InstrumentRecord
from assessments.instruments.services.entries import sign_refusal
from certportal.accounts.models import Role
from certportal.workflow import Machine, Transition

R = InstrumentRecord.Status


def fill_refusal(participant, unit_id: int, instrument: str, user, at) -> str | None:
    """Why ``user`` may not fill ``instrument`` for ``participant`` in the unit now (None: they may)."""
    from assessments.instruments.services.plans import planned_rows

    if instrument == Instrument.IA05:
        return _("FR.IA.05 is the participant's own multiple-choice test in the browser: it is not filled in here.")
    if instrument not in {row.instrument for row in planned_rows(participant, unit_id)}:
        return _("The assessment plan of this event does not ask for FR.%(code)s from this participant in this "
                 "unit.") % {"code": instrument}
    return _recordable(participant, user, at)


def _fillable(record: InstrumentRecord, user, at) -> str | None:
    return fill_refusal(record.participant, record.unit_id, record.instrument, user, at)


def _own_assessor(user, record: InstrumentRecord) -> bool:
    return _is_own_assessor(user, record.participant)


def _complete(record: InstrumentRecord, changes: dict, at) -> str | None:

    return sign_refusal(record.instrument, changes.get("entries", record.entries),
                        changes.get("details", record.details))


RECORD = Machine(
    model=InstrumentRecord,
    states=R,
    refused=AssessmentRefused,
    labels={"created": gettext_lazy("instrument record started")},
    transitions=[
        Transition("saved", {R.DRAFT}, None, gettext_lazy("instrument record saved (draft)"),
                   gettext_lazy("Save the draft"), (Role.ASSESSOR,), allowed=_own_assessor, guard=_fillable),
        Transition("signed", {R.DRAFT}, R.SIGNED, gettext_lazy("instrument record signed"),
                   gettext_lazy("Sign the record"), (Role.ASSESSOR,), allowed=_own_assessor, guard=_fillable,
                   validate=_complete, stamp="signed_at"),
    ],
)


def machines() -> list:
    return [RECORD]
