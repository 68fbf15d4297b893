"""The printed forms of this area, laid out like BNSP's paper forms and written in Indonesian as they are:
FR.MAPA.01 (the assessment plan), FR.MAPA.02 (its instrument map) and FR.VA (a validation of the instruments).

A validated (or superseded) plan prints from its ``snapshot``, frozen when it was validated; a draft prints from
its live rows with a visible "KONSEP" mark. The participant's assessment file merges these bytes into its own."""

from __future__ import annotations

from django.utils import timezone

from assessments.instruments.models.plans import (
    INSTRUMENT_METHOD,
    AssessmentPlan,
    CandidateGroup,
    Instrument,
    InstrumentValidation,
)
from assessments.instruments.services.plans import plan_snapshot
from certportal.lsp.services import letterhead
from certportal.pdf import render_pdf

# The words of BNSP's forms (data printed in Indonesian whatever the reader's language, like the paper form).
INSTRUMENT_NAMES = {
    Instrument.IA01: "Ceklis Observasi Aktivitas di Tempat Kerja atau Tempat Kerja Simulasi",
    Instrument.IA02: "Tugas Praktik Demonstrasi",
    Instrument.IA03: "Pertanyaan untuk Mendukung Observasi",
    Instrument.IA05: "Pertanyaan Tertulis Pilihan Ganda",
    Instrument.IA06: "Pertanyaan Tertulis Esai",
    Instrument.IA07: "Pertanyaan Lisan",
    Instrument.IA08: "Ceklis Verifikasi Portofolio",
    Instrument.IA09: "Pertanyaan Wawancara",
    Instrument.IA10: "Klarifikasi Bukti Pihak Ketiga",
    Instrument.IA11: "Ceklis Meninjau Produk",
}
METHOD_NAMES = {
    "CL": "Ceklis Observasi", "DIT": "Daftar Instruksi Terstruktur (tugas praktik)",
    "PMO": "Pertanyaan Mendukung Observasi", "DPT": "Daftar Pertanyaan Tertulis", "DPL": "Daftar Pertanyaan Lisan",
    "VP": "Verifikasi Portofolio", "PW": "Pertanyaan Wawancara", "VPK": "Verifikasi Pihak Ketiga",
    "CRP": "Ceklis Meninjau Produk",
}
# BNSP's wording of the five candidate potentials (potensi asesi), as FR.MAPA.01/02 and FR.AK.07 print them.
GROUP_NAMES = {
    CandidateGroup.TRAINING_STD: "Hasil pelatihan dan/atau pendidikan, dimana kurikulum dan fasilitas praktek mampu "
                                 "telusur terhadap standar kompetensi",
    CandidateGroup.TRAINING: "Hasil pelatihan dan/atau pendidikan, dimana kurikulum belum berbasis kompetensi",
    CandidateGroup.WORKER_STD: "Pekerja berpengalaman, dimana berasal dari industri/tempat kerja yang dalam "
                               "operasionalnya mampu telusur dengan standar kompetensi",
    CandidateGroup.WORKER: "Pekerja berpengalaman, dimana berasal dari industri/tempat kerja yang dalam "
                           "operasionalnya belum berbasis kompetensi",
    CandidateGroup.SELF_TAUGHT: "Pelatihan/belajar mandiri atau otodidak",
}
# FR.MAPA.02 marks each instrument with the candidate potentials (potensi asesi) it is planned for: 1 to 5.
GROUP_MARKS = {group: str(n) for n, group in enumerate(CandidateGroup, start=1)}
PURPOSE_NAMES = [
    (AssessmentPlan.Purpose.CERTIFICATION, "Sertifikasi"),
    (AssessmentPlan.Purpose.RECERTIFICATION, "Sertifikasi Ulang"),
    (AssessmentPlan.Purpose.CURRENT, "Pengakuan Kompetensi Terkini (PKT)"),
    (AssessmentPlan.Purpose.RPL, "Rekognisi Pembelajaran Lampau (RPL)"),
    (AssessmentPlan.Purpose.OTHER, "Lainnya"),
]
EVIDENCE_TYPES = ("L", "TL", "T")


def plan_data(plan: AssessmentPlan) -> dict:
    """What the plan's forms print: its snapshot once validated, its live rows while a draft."""
    if plan.status != AssessmentPlan.Status.DRAFT and plan.snapshot:
        return plan.snapshot
    return plan_snapshot(plan)


def _units(data: dict) -> list[dict]:
    """Each unit with its rows per candidate group, as FR.MAPA.01 part 2 lists them."""
    out = []
    for n, unit in enumerate(data["units"], start=1):
        groups = []
        for group in CandidateGroup:
            rows = [{"evidence": r["evidence"], "type": r["type"], "instrument": r["instrument"],
                     "method": INSTRUMENT_METHOD.get(r["instrument"], "")}
                    for r in data["rows"] if r["unit"] == unit["id"] and r["group"] == group.value]
            if rows:  # only the potentials the plan provides for (of BNSP's five)
                groups.append({"name": GROUP_NAMES[group], "rows": rows})
        out.append({**unit, "number": n, "groups": groups})
    return out


def _map(data: dict) -> list[dict]:
    """FR.MAPA.02: per unit, per instrument, the marks of the groups it is planned for ("1", "2", "1, 2")."""
    rows = []
    for n, unit in enumerate(data["units"], start=1):
        marks = []
        for code in Instrument.values:
            groups = [GROUP_MARKS[g] for g in CandidateGroup
                      if any(r["unit"] == unit["id"] and r["group"] == g.value and r["instrument"] == code
                             for r in data["rows"])]
            marks.append(", ".join(groups))
        rows.append({**unit, "number": n, "marks": marks})
    return rows


def _plan_context(plan: AssessmentPlan) -> dict:
    data = plan_data(plan)
    return {
        "plan": plan, "data": data, "approach": data["approach"], "scheme": data["scheme"],
        "draft": plan.status == AssessmentPlan.Status.DRAFT, "lsp": letterhead(), "printed_at": timezone.now(),
        "purposes": PURPOSE_NAMES, "groups": [(GROUP_MARKS[g], GROUP_NAMES[g]) for g in CandidateGroup],
        "instruments": [{"code": code, "method": INSTRUMENT_METHOD[code], "name": INSTRUMENT_NAMES[code]}
                        for code in Instrument.values],
        "methods": sorted(METHOD_NAMES.items()), "evidence_types": EVIDENCE_TYPES,
    }


def render_mapa01(plan: AssessmentPlan) -> bytes:
    """FR.MAPA.01 (Merencanakan Aktivitas dan Proses Asesmen): the approach, then per unit the evidence."""
    ctx = _plan_context(plan)
    ctx["units"] = _units(ctx["data"])
    return render_pdf("assessments/pdf/mapa01.html", ctx, language="id")


def render_mapa02(plan: AssessmentPlan) -> bytes:
    """FR.MAPA.02 (Peta Instrumen Asesmen): rows = units, columns = instruments, marks per candidate group."""
    ctx = _plan_context(plan)
    ctx["map"] = _map(ctx["data"])
    return render_pdf("assessments/pdf/mapa02.html", ctx, language="id")


def render_va(validation: InstrumentValidation) -> bytes:
    """FR.VA (Memberikan Kontribusi dalam Validasi Asesmen), from the recorded row."""
    instruments = [{"code": code, "method": INSTRUMENT_METHOD.get(code, ""), "name": INSTRUMENT_NAMES.get(code, code)}
                   for code in validation.instruments]
    validators = []
    for user in validation.validators.all().select_related("assessor"):
        assessor = getattr(user, "assessor", None)
        validators.append({"name": user.full_name, "reg": assessor.registration_number if assessor else ""})
    return render_pdf("assessments/pdf/va.html", {
        "va": validation, "scheme": validation.scheme, "instruments": instruments, "validators": validators,
        "lsp": letterhead(), "printed_at": timezone.now()}, language="id")
