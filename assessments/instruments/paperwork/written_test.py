"""FR.IA.05 Pertanyaan Tertulis Pilihan Ganda as a PDF, laid out like BNSP's paper form: the header (scheme, TUK,
assessor, participant, date), per unit the questions with their options as the participant saw them, the answer
sheet (answer, key, achieved yes/no) and the score, and the signatures. Printed from what was frozen when the
test was scored (each unit's signed ``InstrumentRecord.snapshot``), never from the live bank."""

from __future__ import annotations

from django.utils import timezone

from assessments.instruments.models.plans import Instrument
from assessments.instruments.models.records import InstrumentRecord, WrittenTest
from assessments.instruments.services.bank import LETTERS
from assessments.instruments.services.written_test import with_times
from certportal.lsp.services import letterhead
from certportal.pdf import render_pdf

IA05_FORM_VERSION = "1"


def ia05_context(participant) -> dict:
    test = WrittenTest.objects.get(participant=participant, status=WrittenTest.Status.SUBMITTED)
    unit_order = list(dict.fromkeys(q["unit"] for q in test.questions))
    records = {r.unit_id: r for r in InstrumentRecord.objects.filter(
        participant=participant, instrument=Instrument.IA05, status=InstrumentRecord.Status.SIGNED,
        unit_id__in=unit_order)}
    units = []
    for unit_id in unit_order:
        record = records.get(unit_id)
        if record is None:
            continue
        snap = record.snapshot
        questions = [{**q, "lettered": [(LETTERS[i], text, LETTERS[i] == q["chosen"]) for i, text in
                                        enumerate(q["options"])]} for q in with_times(test, snap["questions"])]
        units.append({"unit": snap["unit"], "questions": questions, "score": snap["score"],
                      "sufficient": record.outcome == InstrumentRecord.Outcome.SATISFACTORY,
                      "signed_at": record.signed_at, "signed_name": record.signed_name})
    first = records[unit_order[0]].snapshot if unit_order and unit_order[0] in records else {}
    return {"p": participant, "test": test, "units": units, "head": first, "lsp": letterhead(),
            "version": IA05_FORM_VERSION,
            "correct": sum(u["score"]["correct"] for u in units), "total": sum(u["score"]["total"] for u in units),
            "printed_at": timezone.now()}


def render_ia05(participant) -> bytes:
    """FR.IA.05 of the participant's submitted browser test (bytes of the PDF)."""
    return render_pdf("assessments/pdf/ia05.html", ia05_context(participant), language="id")
