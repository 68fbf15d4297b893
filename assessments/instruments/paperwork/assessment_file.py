"""A participant's complete assessment file, FR.APL.01 to FR.AK.05 (with their assessor's planning of the test, SOP
step 2, and the event's FR.AK.06 review), as ONE PDF for the archive step of the SOP (seed 002 step 8): a cover
listing every form with its page (or why it is not in the file), then each form as it was signed, in the order of
the assessment.

Each form comes from its own renderer (``applicants.paperwork``, ``assessments.instruments.paperwork.*``), which prints the
data frozen on the signed row; the file only puts them together (pypdf)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from assessments.events.models import Participant
from assessments.instruments.models import InstrumentRecord
from assessments.instruments.models.plans import Instrument
from certportal.lsp.services import letterhead
from certportal.pdf import render_pdf


@dataclass
class Part:
    code: str  # the form code as printed ("FR.IA.01")
    title: str  # the form's Indonesian title
    detail: str = ""  # e.g. the unit of an instrument record
    render: Callable[[], bytes] | None = None  # None: not in the file
    missing: str = ""  # why not (Indonesian, as the file is)
    pages: int = 0
    first_page: int = 0


INSTRUMENT_TITLES = {
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


def parts(participant: Participant) -> list[Part]:
    """Every form of the file, in order, with how to render it or why it is not there."""
    from applicants.paperwork import render_apl
    from assessments.instruments.paperwork import feedback, instruments, plans, records, written_test

    app, event = participant.application, participant.event
    plan = event.plan
    out = [Part("FR.APL.01", "Permohonan Sertifikasi Kompetensi", render=lambda: render_apl(app, "apl01")),
           Part("FR.APL.02", "Asesmen Mandiri", render=lambda: render_apl(app, "apl02"))]
    no_plan = "Acara direncanakan sebelum skema memiliki rencana asesmen yang divalidasi"
    out += [Part("FR.MAPA.01", "Merencanakan Aktivitas dan Proses Asesmen",
                 render=(lambda: plans.render_mapa01(plan)) if plan else None, missing=no_plan),
            Part("FR.MAPA.02", "Peta Instrumen Asesmen Berdasarkan Potensi Asesi",
                 render=(lambda: plans.render_mapa02(plan)) if plan else None, missing=no_plan),
            _planning_part(participant)]
    adjustment = getattr(participant, "adjustment", None) if _has(participant, "adjustment") else None
    out.append(Part("FR.AK.07", "Ceklis Penyesuaian yang Wajar dan Beralasan",
                    render=(lambda: records.render_ak07(adjustment)) if adjustment else None,
                    missing="Tidak ada penyesuaian yang dicatat"))
    consented = participant.consents.exists()
    out.append(Part("FR.AK.01", "Persetujuan Asesmen dan Kerahasiaan",
                    render=(lambda: records.render_ak01(participant)) if consented else None,
                    missing="Belum ditandatangani"))
    signed = (InstrumentRecord.objects.filter(participant=participant, status=InstrumentRecord.Status.SIGNED)
              .exclude(instrument=Instrument.IA05).select_related("unit").order_by("instrument", "unit__code"))
    for record in signed:
        out.append(Part(f"FR.{record.instrument}", INSTRUMENT_TITLES[record.instrument], detail=record.unit.code,
                        render=lambda record=record: instruments.render_record(record)))
    test = getattr(participant, "written_test", None) if _has(participant, "written_test") else None
    if test is not None and test.status == test.Status.SUBMITTED:
        out.append(Part("FR.IA.05", INSTRUMENT_TITLES[Instrument.IA05],
                        render=lambda: written_test.render_ia05(participant)))
    out.append(Part("FR.AK.02", "Rekaman Asesmen Kompetensi",
                    render=(lambda: instruments.render_ak02(participant)) if participant.results.exists() else None,
                    missing="Belum ada hasil per unit"))
    fb = getattr(participant, "feedback", None) if _has(participant, "feedback") else None
    out.append(Part("FR.AK.03", "Umpan Balik dan Catatan Asesmen",
                    render=(lambda: feedback.render_ak03(fb)) if fb else None, missing="Belum diisi oleh asesi"))
    report = event.assessor_reports.filter(assessor_id=participant.assessor_id).first()
    out.append(Part("FR.AK.05", "Laporan Asesmen",
                    render=(lambda: records.render_ak05(report)) if report else None,
                    missing="Belum ditandatangani oleh asesor"))
    review = getattr(event, "assessment_review", None) if _has(event, "assessment_review") else None
    out.append(Part("FR.AK.06", "Meninjau Proses Asesmen",
                    render=(lambda: records.render_ak06(review)) if review else None,
                    missing="Belum ditinjau oleh manajemen mutu"))
    return out


def _planning_part(participant: Participant) -> Part:
    """Seed 002 step 2: the planning of the test by the participant's assessor (following FR.MAPA.01)."""
    from assessments.events.paperwork import render_planning

    event = participant.event
    links = list(event.event_assessors.filter(assessor_id=participant.assessor_id, planning__isnull=False)
                 .select_related("assessor__user"))
    return Part("SOP 002 L2", "Perencanaan Pelaksanaan Uji Kompetensi oleh Asesor",
                render=(lambda: render_planning(event, links)) if links else None,
                missing="Belum dicatat oleh asesor" if participant.assessor_id else "Belum ada asesor")


def _has(obj, name: str) -> bool:
    """A reverse one-to-one exists (without raising)."""
    try:
        getattr(obj, name)
    except Exception:  # noqa: BLE001 (RelatedObjectDoesNotExist of whichever model)
        return False
    return True


def render_assessment_file(participant: Participant, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The whole file as one PDF: the cover (with each form's first page), then every form present.
    ``progress(done, total)`` is told after each form (the cover is the last part)."""
    items = parts(participant)
    total = sum(part.render is not None for part in items) + 1
    rendered = []
    for part in items:
        if part.render is None:
            continue
        data = part.render()
        part.pages = len(PdfReader(io.BytesIO(data)).pages)
        rendered.append((part, data))
        if progress is not None:
            progress(len(rendered), total)
    cover = _cover(participant, items, cover_pages=1)
    cover_pages = len(PdfReader(io.BytesIO(cover)).pages)
    if cover_pages != 1:  # a long index: number again with its real length
        cover = _cover(participant, items, cover_pages=cover_pages)
    writer = PdfWriter()
    writer.append(io.BytesIO(cover))
    for _part, data in rendered:
        writer.append(io.BytesIO(data))
    writer.add_metadata({"/Title": f"Berkas asesmen — {participant.name}"})
    out = io.BytesIO()
    writer.write(out)
    if progress is not None:
        progress(total, total)
    return out.getvalue()


def _cover(participant: Participant, items: list[Part], *, cover_pages: int) -> bytes:
    """The cover's index. The template gets each form's row, never the form's ``render``: a template calls what is
    callable, so ``{% if i.render %}`` drew the whole form again, three times a row and each time the cover was
    drawn (a file took four to seven times its forms' time)."""
    page = cover_pages + 1
    rows = []
    for part in items:
        present = part.render is not None
        if present:
            part.first_page, page = page, page + part.pages
        rows.append({"code": part.code, "title": part.title, "detail": part.detail, "missing": part.missing,
                     "present": present, "first_page": part.first_page})
    return render_pdf("assessments/pdf/assessment_file_cover.html", {
        "p": participant, "event": participant.event, "scheme": participant.application.scheme,
        "items": rows, "lsp": letterhead(), "printed_at": timezone.now()}, language="id")
