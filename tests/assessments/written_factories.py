"""Set-up for the question bank and the browser FR.IA.05 test: a scheme whose plan in force asks a written
multiple-choice test of every unit for both groups, and a bank of questions per unit (through the services)."""

from assessments import services
from assessments.instruments.models.plans import CandidateGroup, Instrument
from assessments.instruments.services import bank
from tests.assessments.factories import make_assessor

SCHEME_INSTRUMENTS = ["IA.01", "IA.02", "IA.05", "IA.07", "IA.08", "IA.09"]


def plan_with_written_test(scheme, *, admin, maker=None, validator=None, per_unit: int = 3, minutes: int = 30,
                           pass_percent: int = 70, units=None):
    """The seed-000 plan plus FR.IA.05 for ``units`` (default: every unit of the scheme), both groups; validated,
    so events planned from now on keep it."""
    services.scheme_instruments_set(scheme, actor=admin, instruments=SCHEME_INSTRUMENTS)
    maker = maker or make_assessor(schemes=[scheme]).user
    validator = validator or make_assessor(schemes=[scheme]).user
    plan = services.plan_create(scheme, actor=maker)
    services.plan_edit(plan, actor=maker, written_questions_per_unit=per_unit, written_minutes=minutes,
                       written_pass_percent=pass_percent)
    written = {u.pk for u in (units if units is not None else [su.unit for su in scheme.scheme_units.all()])}
    rows = [services.PlanRow(r.unit_id, r.group, r.instrument, r.evidence_type, r.evidence)
            for r in plan.evidence.all()]
    rows += [services.PlanRow(unit_id, group, Instrument.IA05, "T", "Jawaban pertanyaan tertulis pilihan ganda")
             for unit_id in sorted(written) for group in (CandidateGroup.WORKER_STD, CandidateGroup.TRAINING_STD)]
    services.plan_set_rows(plan, actor=maker, rows=rows)
    return services.plan_validate(plan, actor=validator)


def fill_bank(unit, *, actor, count: int = 6, options: int = 4, prefix: str = ""):
    """``count`` multiple-choice questions in ``unit``'s bank, the key a different letter each time."""
    items = []
    for n in range(1, count + 1):
        text = f"{prefix}Soal {n} unit {unit.code}: manakah jawaban yang benar?"
        items.append(bank.bank_item_save(unit, actor=actor, instrument=Instrument.IA05, data=bank.ItemData(
            text=text, options=[f"Pilihan {letter} soal {n} {unit.code}" for letter in "ABCDEF"[:options]],
            key=(n - 1) % options)))
    return items


def right_choice(test, item_id) -> int:
    """The option index, as shown to the participant, of the key of question ``item_id``."""
    q = next(q for q in test.questions if q["item"] == item_id)
    return q["order"].index(q["key"])


def wrong_choice(test, item_id) -> int:
    return (right_choice(test, item_id) + 1) % len(next(q for q in test.questions if q["item"] == item_id)["order"])
