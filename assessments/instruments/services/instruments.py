"""The instruments an assessor fills per participant and unit (FR.IA.01–11 but FR.IA.05), and what FR.AK.02 reads
from them.

A record's rows (``InstrumentRecord.entries``, shapes in its docstring) are built by the portal, never posted:

- FR.IA.01 (observation checklist): every KUK of every element of the unit (key ``c<criterion id>``): achieved
  Ya/Tidak and a note (*penilaian lanjut*);
- FR.IA.08 (portfolio verification): every document of the participant's dossier with current files (key
  ``d<document id>``): valid, authentic (*asli*), current (*terkini*), sufficient (*memadai*) and a note; the
  participant's FR.APL.02 answers for the unit are shown beside it and frozen with it;
- the bank instruments (IA.02, 03, 06, 07, 09, 10, 11): every active question-bank item of the unit and instrument
  (key ``i<item id>``: the question, task or product with what is expected, the answer or observation recorded,
  satisfactory Ya/Tidak). The assessor may add questions of their own (key ``o<n>``, ``"own": true``: the text is
  theirs, kept in the entries), which is how a unit whose bank has no item for the instrument is assessed.

Once a row is in a draft it stays there (a bank item retired while the record is filled is still the one that
was asked); rows added since (a new bank item) are appended. Saving compares the version the form was opened with
(``updated_at``): a save from a second tab or device made meanwhile is never overwritten silently — the later
save is refused and says so. Signing (typed name = the assessor's own, time, client address) computes the outcome
(:func:`outcome_of`), freezes the snapshot the PDF prints, and the record is never changed again
(:mod:`assessments.instruments.workflow.instruments`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.errors import AssessmentError
from assessments.events.models import Participant
from assessments.events.services.results import units_to_assess
from assessments.instruments.models.plans import Instrument
from assessments.instruments.models.records import InstrumentRecord
from assessments.instruments.services.entries import (
    FORM_TITLES,
    NOTES_MAX,
    _answered,
    _details,
    _merge,
    _text,
    kind_of,
    outcome_of,
    record_rows,
    self_assessment_rows,
    sign_refusal,
)
from assessments.instruments.services.plans import EvidenceLine, EvidenceState, planned_rows
from assessments.instruments.services.signature import own_name_matches
from assessments.instruments.workflow.instruments import fill_refusal
from certportal import dates
from certportal.audit.services import audit_record
from certportal.net import current_client_ip
from certportal.sentences import one_full_stop
from certportal.workflow import transition

FORM_VERSION = "1"


# --- the rows of a form -------------------------------------------------------------------------------------


# --- rules --------------------------------------------------------------------------------------------------


EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def json_moment(value) -> str:
    """A moment as the snapshot (JSON) keeps it; pages and PDFs print it with |wib / |long_datetime."""
    return DjangoJSONEncoder().default(value) if value else ""


def bank_shown(participant: Participant, *, unit, instrument: str, actor, rows: list[dict]) -> None:
    """The question bank is confidential and each access to it audited: the assessor filling a bank instrument
    is shown its items (``assessments.bankitem.viewed`` on the unit, as the bank's own pages write it)."""
    from assessments.instruments.services.bank import bank_accessed

    items = [str(row["item"]) for row in rows if row.get("item") and not row.get("own")]
    if items:
        bank_accessed(actor=actor, obj=unit, action="viewed",
                      note=f"FR.{instrument} · {participant.name}: #{', #'.join(items)}")


# --- writing ------------------------------------------------------------------------------------------------


def version_of(record: InstrumentRecord | None) -> str:
    """What a form carries to prove it shows the record as saved last ("" before the first save)."""
    if record is None:
        return ""
    return str((record.updated_at - EPOCH) // datetime.timedelta(microseconds=1))  # to the microsecond


def _stale(record: InstrumentRecord | None) -> AssessmentError:
    when = dates.wib(record.updated_at) if record is not None else ""
    return AssessmentError(_(
        "This record was saved elsewhere (in another tab or on another device) at %(time)s, after you opened it. "
        "Your changes were not saved, so that neither version is lost: open the record again to see what was "
        "saved, then enter your changes.") % {"time": when})


def _check_unit(participant: Participant, unit) -> None:
    if not units_to_assess(participant).filter(pk=unit.pk).exists():
        raise AssessmentError(_("Unit %(code)s is not assessed in this sitting.") % {"code": unit.code})


def _locked_record(participant, unit, instrument: str, version: str) -> InstrumentRecord | None:
    record = (InstrumentRecord.objects.select_for_update()
              .filter(participant=participant, unit=unit, instrument=instrument).first())
    if record is not None and record.status == InstrumentRecord.Status.SIGNED:
        raise AssessmentError(_("This record is signed: a signed record is never changed."))
    if (version or "") != version_of(record):
        raise _stale(record)
    return record


@dataclass
class RecordInput:
    """What the assessor sent: ``values`` {row key: {field: raw text}} (``"ya"``/``"tidak"``/``""`` for the
    yes/no fields; ``"new"`` for an added question), ``details`` {name: text}, ``notes``, and ``version``."""

    values: dict
    details: dict | None = None
    notes: str = ""
    version: str = ""


def record_save(participant: Participant, *, unit, instrument: str, actor, data: RecordInput) -> InstrumentRecord:
    """Save the draft (``assessments.instrumentrecord.saved``; the first save creates it: ``...created``)."""
    return _write(participant, unit, instrument, actor, data, signed_name=None)


def record_sign(participant: Participant, *, unit, instrument: str, actor, data: RecordInput,
                signed_name: str) -> InstrumentRecord:
    """Save what was sent and sign (``assessments.instrumentrecord.signed``): all or nothing."""
    return _write(participant, unit, instrument, actor, data, signed_name=signed_name)


def _progress(kind: str, unit, entries: list[dict]) -> str:
    done = sum(1 for row in entries if _answered(kind, row))
    return f"{unit.code}: {done}/{len(entries)}"


def _write(participant, unit, instrument, actor, data: RecordInput, *, signed_name: str | None) -> InstrumentRecord:
    if instrument not in Instrument.values:
        raise AssessmentError(_("Unknown instrument."))
    kind = kind_of(instrument)
    with transaction.atomic():
        participant = (Participant.objects.select_for_update(of=("self",))
                       .select_related("event__test_site", "event__scheme", "application__scheme", "assessor__user")
                       .get(pk=participant.pk))
        _check_unit(participant, unit)
        refusal = fill_refusal(participant, unit.pk, instrument, actor, timezone.now())
        if refusal:
            raise AssessmentError(refusal)
        record = _locked_record(participant, unit, instrument, data.version)
        entries = _merge(kind, record_rows(participant, unit, instrument, record), data.values or {})
        details = _details(instrument, data.details, record)
        notes = _text(data.notes, NOTES_MAX)
        fields = {"entries": entries, "details": details, "notes": notes, "recorded_by": actor}
        if record is None:
            try:
                with transaction.atomic():
                    record = InstrumentRecord.objects.create(participant=participant, unit=unit, instrument=instrument,
                                                             **fields)
            except IntegrityError:  # a second tab's first save came first
                raise _stale(InstrumentRecord.objects.filter(participant=participant, unit=unit,
                                                             instrument=instrument).first()) from None
            audit_record(actor=actor, obj=record, action="assessments.instrumentrecord.created",
                         to_state=record.status, note=_progress(kind, unit, entries))
            if signed_name is None:
                return record
        if signed_name is None:
            return transition(record, "saved", user=actor, ip=current_client_ip(),
                              reason=_progress(kind, unit, entries), **fields)
        return _sign(record, participant, unit, actor, fields, signed_name)


def _sign(record, participant, unit, actor, fields: dict, signed_name: str) -> InstrumentRecord:
    signed_name = " ".join((signed_name or "").split())
    if not own_name_matches(signed_name, actor):
        raise AssessmentError(one_full_stop(_("To sign, type your name as it is in your account: %(name)s.")
                                            % {"name": actor.full_name}))
    refusal = sign_refusal(record.instrument, fields["entries"], fields["details"])
    if refusal:  # said before the name's turn would hide it; the machine checks the same (validate)
        raise AssessmentError(refusal)
    now, ip = timezone.now(), current_client_ip()
    outcome = outcome_of(record.instrument, fields["entries"])
    snapshot = record_snapshot(record, participant, unit, actor, fields, outcome=outcome, signed_name=signed_name,
                               at=now, ip=ip)
    return transition(record, "signed", user=actor, ip=ip, at=now, reason=f"{unit.code}: {outcome}",
                      outcome=outcome, signed_name=signed_name, ip_address=ip, snapshot=snapshot, **fields)


def record_snapshot(record, participant, unit, actor, fields: dict, *, outcome: str, signed_name: str, at,
                    ip) -> dict:
    """What the PDF of the form prints, frozen when it is signed."""
    event, app = participant.event, participant.application
    rows = [{"type": r.evidence_type, "evidence": r.evidence}
            for r in planned_rows(participant, unit.pk) if r.instrument == record.instrument]
    snapshot = {
        "form": f"FR.{record.instrument}", "instrument": record.instrument, "version": FORM_VERSION,
        "title": FORM_TITLES.get(record.instrument, ""),
        "participant": {"name": participant.name, "nip": app.nip},
        "assessor": {"name": actor.full_name,
                     "registration": participant.assessor.registration_number if participant.assessor_id else ""},
        "scheme": {"code": app.scheme.code, "name": app.scheme.name},
        "unit": {"code": unit.code, "title": unit.title},
        "tuk": event.test_site.name, "event_starts_at": json_moment(event.starts_at),
        "plan": rows, "entries": fields["entries"], "details": fields["details"], "notes": fields["notes"],
        "outcome": outcome, "signed_name": signed_name, "signed_at": json_moment(at), "ip": ip or "",
    }
    if record.instrument == Instrument.IA08:
        snapshot["self_assessment"] = self_assessment_rows(app, unit)
    return snapshot


# --- what FR.AK.02 reads ------------------------------------------------------------------------------------

LINE_STATES = {
    "none": gettext_lazy("not recorded yet"),
    "draft": gettext_lazy("being filled in"),
    "sufficient": gettext_lazy("signed: sufficient"),
    "insufficient": gettext_lazy("signed: not sufficient"),
}


def line_state(line: EvidenceLine) -> str:
    if line.record is None:
        return "none"
    if not line.signed:
        return "draft"
    return "sufficient" if line.sufficient else "insufficient"


def evidence_by_unit(participants, *, plan_rows=None, records=None) -> dict:
    """{(participant id, unit id): EvidenceState} for every unit the plan names, in a fixed number of queries
    whatever the number of participants (the grid); ``plan_rows`` / ``records`` when already loaded."""
    from assessments.instruments.models.plans import PlanEvidence
    from assessments.instruments.services.plans import participant_group

    participants = list(participants)
    plan_ids = {p.event.plan_id for p in participants if p.event.plan_id}
    if plan_rows is None:
        plan_rows = list(PlanEvidence.objects.filter(plan_id__in=plan_ids).order_by("unit_id", "position", "id"))
    if records is None:
        records = list(InstrumentRecord.objects.filter(participant__in=participants)
                       .defer("entries", "details", "snapshot", "notes"))
    rows_by = {}
    for row in plan_rows:
        rows_by.setdefault((row.plan_id, row.group), []).append(row)
    recs = {(r.participant_id, r.unit_id, r.instrument): r for r in records}
    out = {}
    for p in participants:
        if not p.event.plan_id:
            continue
        for row in rows_by.get((p.event.plan_id, participant_group(p)), []):
            state = out.setdefault((p.pk, row.unit_id), EvidenceState(True, []))
            state.lines.append(EvidenceLine(row, recs.get((p.pk, row.unit_id, row.instrument))))
    return out
