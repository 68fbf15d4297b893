"""The assessment plan (FR.MAPA.01/02) of a scheme version, and what it asks of each participant's evidence.

- :func:`plan_create` makes a draft (from the seed-000 rule, or as a copy of the plan in force), :func:`plan_edit`
  changes its approach, :func:`plan_set_rows` its evidence rows; :func:`plan_validate` (a second assessor) puts
  it in force and supersedes the one before. A validated plan is never changed.
- :func:`plan_in_force` is what :func:`~assessments.events.services.events.event_create` pins on a new event.
- :func:`evidence_state` says, for one participant and one unit, which planned evidence is there, signed and
  sufficient: FR.AK.02 reads it, and :func:`~assessments.events.services.results.result_record` refuses a K without
  complete evidence unless the assessor records why it suffices all the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from assessments.errors import AssessmentError
from assessments.instruments.models.plans import (
    DEFAULT_PLAN_ROWS,
    AssessmentPlan,
    CandidateGroup,
    EvidenceType,
    Instrument,
    PlanEvidence,
    SchemeInstrument,
)
from assessments.instruments.models.records import InstrumentRecord
from certportal.audit.services import audit_record
from certportal.workflow import transition

TEXT_MAX_LENGTH = 5000
APPROACH_FIELDS = ("candidate_group", "purpose", "context", "confirmed_with", "benchmarks",
                   "written_questions_per_unit", "written_minutes", "written_pass_percent")
DEFAULT_INSTRUMENTS = tuple(sorted({row[1] for row in DEFAULT_PLAN_ROWS}))


def scheme_instruments(scheme) -> list[str]:
    """The instruments the scheme uses (its configuration, else the default plan's four), in code order."""
    codes = list(SchemeInstrument.objects.filter(scheme=scheme).values_list("instrument", flat=True))
    return sorted(codes or DEFAULT_INSTRUMENTS)


def scheme_instruments_set(scheme, *, actor, instruments: list[str]) -> list[str]:
    """The LSP admin sets which instruments the scheme uses (at least one; only BNSP's codes)."""
    codes = sorted(set(instruments))
    if not codes:
        raise AssessmentError(_("Choose at least one instrument."))
    if set(codes) - set(Instrument.values):
        raise AssessmentError(_("Unknown instrument."))
    with transaction.atomic():
        SchemeInstrument.objects.filter(scheme=scheme).exclude(instrument__in=codes).delete()
        for code in codes:
            SchemeInstrument.objects.get_or_create(scheme=scheme, instrument=code)
        audit_record(actor=actor, obj=scheme, action="assessments.scheme.instruments_set", note=", ".join(codes))
    return codes


def plan_in_force(scheme) -> AssessmentPlan | None:
    return AssessmentPlan.objects.filter(scheme=scheme, status=AssessmentPlan.Status.VALIDATED).first()


def _check_maker(scheme, actor) -> None:
    assessor = getattr(actor, "assessor", None)
    if not (assessor and assessor.is_active and assessor.in_scope(scheme)):
        raise AssessmentError(_("An active assessor whose scope includes this scheme makes its assessment plan."))


def plan_create(scheme, *, actor) -> AssessmentPlan:
    """A new draft plan for ``scheme``: a copy of the plan in force, else the seed-000 rule for every unit
    (experienced: portfolio and interview; the others: observation and oral questions)."""
    _check_maker(scheme, actor)
    with transaction.atomic():
        current = plan_in_force(scheme)
        number = (AssessmentPlan.objects.filter(scheme=scheme).aggregate(n=Max("number"))["n"] or 0) + 1
        approach = {f: getattr(current, f) for f in APPROACH_FIELDS} if current else _default_approach(scheme)
        try:
            with transaction.atomic():
                plan = AssessmentPlan.objects.create(scheme=scheme, number=number, made_by=actor, **approach)
        except IntegrityError:  # two drafts numbered at once
            raise AssessmentError(_("Another plan was just made for this scheme; reload the page.")) from None
        if current:
            rows = [PlanEvidence(plan=plan, unit_id=r.unit_id, group=r.group, instrument=r.instrument,
                                 evidence_type=r.evidence_type, evidence=r.evidence, position=r.position)
                    for r in current.evidence.all()]
        else:
            rows = [PlanEvidence(plan=plan, unit_id=su.unit_id, group=group, instrument=instrument,
                                 evidence_type=kind, evidence=text, position=i)
                    for su in scheme.scheme_units.order_by("position")
                    for i, (group, instrument, kind, text) in enumerate(DEFAULT_PLAN_ROWS)]
        PlanEvidence.objects.bulk_create(rows)
        audit_record(actor=actor, obj=plan, action="assessments.assessmentplan.created", to_state=plan.status)
    return plan


def _default_approach(scheme) -> dict:
    # data in Indonesian, as the paper form is written; the assessor edits it
    return {"candidate_group": "Aparatur Sipil Negara yang mengajukan sertifikasi skema " + scheme.name,
            "purpose": AssessmentPlan.Purpose.CERTIFICATION,
            "context": "TUK sewaktu; bukti dikumpulkan melalui observasi/demonstrasi atau portofolio sesuai "
                       "pengalaman asesi",
            "confirmed_with": "Manajer sertifikasi LSP; asesor kompetensi",
            "benchmarks": "SKKNI yang menjadi dasar skema dan kriteria unjuk kerja setiap unit"}


def _locked_draft(plan: AssessmentPlan) -> AssessmentPlan:
    plan = AssessmentPlan.objects.select_for_update().select_related("scheme").get(pk=plan.pk)
    if plan.status != AssessmentPlan.Status.DRAFT:
        raise AssessmentError(_("A validated plan is never changed: make a new version of it."))
    return plan


def _check_editor(plan: AssessmentPlan, actor) -> None:
    if plan.made_by_id != actor.pk:
        raise AssessmentError(_("Only the assessor who made this draft edits it."))


def plan_edit(plan: AssessmentPlan, *, actor, **approach) -> AssessmentPlan:
    """Change the approach of a draft (its maker only)."""
    unknown = set(approach) - set(APPROACH_FIELDS)
    if unknown:
        raise AssessmentError(_("Unknown field."))
    for value in approach.values():
        if isinstance(value, str) and len(value) > TEXT_MAX_LENGTH:
            raise AssessmentError(_("A field can be at most %(limit)d characters long.") % {"limit": TEXT_MAX_LENGTH})
    if "written_pass_percent" in approach and not 1 <= int(approach["written_pass_percent"]) <= 100:
        raise AssessmentError(_("The pass mark is a percentage from 1 to 100."))
    if "written_minutes" in approach and not 1 <= int(approach["written_minutes"]) <= 480:
        raise AssessmentError(_("The test lasts from 1 to 480 minutes."))
    if "written_questions_per_unit" in approach and not 1 <= int(approach["written_questions_per_unit"]) <= 100:
        raise AssessmentError(_("Draw from 1 to 100 questions per unit."))
    if "purpose" in approach and approach["purpose"] not in AssessmentPlan.Purpose.values:
        raise AssessmentError(_("Unknown purpose."))
    with transaction.atomic():
        plan = _locked_draft(plan)
        _check_editor(plan, actor)
        for name, value in approach.items():
            setattr(plan, name, value.strip() if isinstance(value, str) else value)
        plan.save()
        audit_record(actor=actor, obj=plan, action="assessments.assessmentplan.edited")
    return plan


@dataclass(frozen=True)
class PlanRow:
    unit_id: int
    group: str
    instrument: str
    evidence_type: str
    evidence: str


def plan_set_rows(plan: AssessmentPlan, *, actor, rows: list[PlanRow]) -> AssessmentPlan:
    """Replace the evidence rows of a draft: each names a unit of the scheme, a group, an instrument the scheme
    uses, the evidence type and the evidence (one row per unit, group and instrument)."""
    with transaction.atomic():
        plan = _locked_draft(plan)
        _check_editor(plan, actor)
        units = set(plan.scheme.scheme_units.values_list("unit_id", flat=True))
        allowed = set(scheme_instruments(plan.scheme))
        seen = set()
        for r in rows:
            if r.unit_id not in units:
                raise AssessmentError(_("A row names a unit that is not in the scheme."))
            if r.group not in CandidateGroup.values or r.evidence_type not in EvidenceType.values:
                raise AssessmentError(_("Choose the candidate group and the type of evidence of every row."))
            if r.instrument not in allowed:
                raise AssessmentError(_("The scheme does not use instrument FR.%(code)s: the LSP admin sets the "
                                        "scheme's instruments.") % {"code": r.instrument})
            if not r.evidence.strip() or len(r.evidence) > TEXT_MAX_LENGTH:
                raise AssessmentError(_("Describe the evidence of every row (at most %(limit)d characters).")
                                      % {"limit": TEXT_MAX_LENGTH})
            key = (r.unit_id, r.group, r.instrument)
            if key in seen:
                raise AssessmentError(_("An instrument is planned twice for the same unit and group."))
            seen.add(key)
        plan.evidence.all().delete()
        PlanEvidence.objects.bulk_create([
            PlanEvidence(plan=plan, unit_id=r.unit_id, group=r.group, instrument=r.instrument,
                         evidence_type=r.evidence_type, evidence=r.evidence.strip(), position=i)
            for i, r in enumerate(rows)])
        audit_record(actor=actor, obj=plan, action="assessments.assessmentplan.edited",
                     note=_("%(count)d rows of evidence") % {"count": len(rows)})
    return plan


def _registration(user) -> str:
    assessor = getattr(user, "assessor", None) if user else None
    return assessor.registration_number if assessor else ""


def plan_snapshot(plan: AssessmentPlan, *, validator=None) -> dict:
    """What FR.MAPA.01 and .02 print, frozen when the plan is validated (with the maker's and the validator's
    registration numbers as they were then)."""
    units = [{"id": su.unit_id, "code": su.unit.code, "title": su.unit.title}
             for su in plan.scheme.scheme_units.select_related("unit").order_by("position")]
    rows = [{"unit": r.unit_id, "group": r.group, "instrument": r.instrument, "type": r.evidence_type,
             "evidence": r.evidence} for r in plan.evidence.all()]
    return {"scheme": {"code": plan.scheme.code, "name": plan.scheme.name, "version": plan.scheme.version},
            "units": units, "rows": rows,
            "approach": {f: getattr(plan, f) for f in APPROACH_FIELDS},
            "made_by": plan.made_by.full_name, "made_by_reg": _registration(plan.made_by),  # made_at: on the row
            "validated_by": validator.full_name if validator else "", "validated_by_reg": _registration(validator)}


def plan_validate(plan: AssessmentPlan, *, actor, ip: str | None = None) -> AssessmentPlan:
    """A second assessor validates the draft: it is frozen (its snapshot), put in force, and the plan in force
    before it is superseded (events planned with it keep it)."""
    with transaction.atomic():
        locked = AssessmentPlan.objects.select_for_update().get(pk=plan.pk)
        for old in AssessmentPlan.objects.select_for_update().filter(
                scheme_id=locked.scheme_id, status=AssessmentPlan.Status.VALIDATED).exclude(pk=locked.pk):
            transition(old, "superseded", user=None, reason=_("Plan version %(n)d is in force.") % {
                "n": locked.number})
        validated = transition(locked, "validated", user=actor, ip=ip, validated_by=actor,
                               snapshot=plan_snapshot(locked, validator=actor))
    plan.refresh_from_db()
    return validated


# --- what the plan asks of one participant -------------------------------------------------------------------


def participant_group(participant) -> str:
    """The participant's candidate potential: seed 000 asks only whether they are experienced (see
    :class:`CandidateGroup`)."""
    return CandidateGroup.WORKER_STD if participant.application.experienced else CandidateGroup.TRAINING_STD


def planned_rows(participant, unit_id: int | None = None) -> list[PlanEvidence]:
    """The plan's evidence rows for this participant's group (one unit's, or every unit's); [] without a plan.
    Every unit's are read once and kept on the participant for the request (its page asks for them from three
    sections: the results, the agreement of FR.AK.01 and the written test); a validated plan does not change."""
    plan_id = participant.event.plan_id
    if not plan_id:
        return []
    key = (plan_id, participant_group(participant))
    kept = getattr(participant, "_planned_rows", None)
    if kept is None or kept[0] != key:
        kept = (key, list(PlanEvidence.objects.filter(plan_id=plan_id, group=key[1]).order_by("unit_id", "position",
                                                                                                  "id")))
        participant._planned_rows = kept
    return kept[1] if unit_id is None else [row for row in kept[1] if row.unit_id == unit_id]


@dataclass
class EvidenceLine:
    row: PlanEvidence
    record: InstrumentRecord | None

    @property
    def signed(self) -> bool:
        return bool(self.record and self.record.status == InstrumentRecord.Status.SIGNED)

    @property
    def sufficient(self) -> bool:
        return self.signed and self.record.outcome == InstrumentRecord.Outcome.SATISFACTORY


@dataclass
class EvidenceState:
    planned: bool  # the event has a plan
    lines: list[EvidenceLine]

    @property
    def complete(self) -> bool:
        """Every planned piece of evidence is signed and sufficient."""
        return self.planned and bool(self.lines) and all(line.sufficient for line in self.lines)

    @property
    def missing(self) -> list[EvidenceLine]:
        return [line for line in self.lines if not line.sufficient]

    def summary(self) -> str:
        """The evidence column of FR.AK.02, from the records: "IA.08 Portofolio …: memadai; IA.09 …"."""
        words = {True: "memadai", False: "belum memadai"}
        parts = []
        for line in self.lines:
            state = words[line.sufficient] if line.signed else "belum ditandatangani" if line.record else "belum ada"
            parts.append(f"FR.{line.row.instrument} ({line.row.evidence_type}) {line.row.evidence}: {state}")
        return "; ".join(parts)


def evidence_state(participant, unit_id: int, *, records: dict | None = None) -> EvidenceState:
    """The plan's evidence for ``participant`` in one unit, each with its record. ``records`` (optional):
    {(unit_id, instrument): record} already loaded, for pages of many participants."""
    rows = planned_rows(participant, unit_id)
    if records is None:
        records = {(r.unit_id, r.instrument): r for r in InstrumentRecord.objects.filter(
            participant=participant, unit_id=unit_id)}
    return EvidenceState(bool(participant.event.plan_id),
                         [EvidenceLine(row, records.get((unit_id, row.instrument))) for row in rows])

