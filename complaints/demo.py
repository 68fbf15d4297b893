"""Demo complaints in several states and two quarters of survey answers. Idempotent (keyed on fixed markers)."""

import datetime
import random

from django.utils import timezone

from certportal.accounts.models import User

from . import services
from .models import Channel, Complaint, Route, SurveyResponse

SCHEME = "SS-02/LSP-BPSDM DKI/2017"


def _at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


def _file(data: dict, days_ago: int, channel: str = Channel.WEB, actor=None) -> Complaint:
    existing = Complaint.objects.filter(message=data["message"]).first()
    if existing:
        return existing
    return services.complaint_file(data=data, actor=actor, channel=channel, received_at=_at(days_ago))


def load(stdout) -> None:
    officer = User.objects.filter(email="pengaduan@demo.go.id").first()
    head = User.objects.filter(email="pimpinan@demo.go.id").first()
    if not officer or not head:
        stdout.write("complaints: demo accounts missing; run load_demo")
        return
    from certportal.sla.models import SlaPolicy
    from certportal.sla.reference import seed_policies

    seed_policies(SlaPolicy)  # idempotent; the clocks below need the complaint policies even without load_reference
    today = timezone.localdate()
    # 1. An anonymous report: a suggestion.
    _file({"message": "Ruang tunggu uji kompetensi kurang kursi dan tidak ada papan informasi antrean.",
           "object_text": "Ruang tunggu TUK"}, 20)
    # 2. A late complaint: a suggestion too (more than 30 days after the service).
    _file({"name": "Rudi Hartono", "email": "rudi.hartono@demo.go.id", "object_text": "Surat keterangan hasil uji",
           "service_date": today - datetime.timedelta(days=45),
           "message": "Surat keterangan hasil uji baru saya terima setelah tiga minggu."}, 1)
    # 3. A complaint just received by phone.
    _file({"name": "Maya Sari", "phone": "081234567890", "object_text": "Jadwal uji kompetensi",
           "service_date": today - datetime.timedelta(days=3),
           "message": "Jadwal uji diubah tanpa pemberitahuan kepada peserta."}, 2, Channel.PHONE, officer)
    # 4. A complaint answered after an internal route.
    answered = _file({"name": "Siti Rahmawati", "email": "pemohon@demo.go.id", "object_text": "Verifikasi berkas",
                      "service_date": today - datetime.timedelta(days=12), "reference": "application:1",
                      "message": "Berkas saya dikembalikan dua kali dengan alasan yang berbeda."},
                     10, Channel.EMAIL, officer)
    _walk(answered, officer, head, Route.INTERNAL, answer=True)
    # 5. A complaint handed to APIP with the head's approval.
    apip = _file({"name": "Anton Wibowo", "email": "anton.wibowo@demo.go.id", "object_text": "Biaya uji kompetensi",
                  "service_date": today - datetime.timedelta(days=8),
                  "message": "Ada permintaan biaya tambahan oleh oknum petugas saat uji kompetensi."},
                 6, Channel.LAPOR, officer)
    _walk(apip, officer, head, Route.APIP, answer=False)
    # 6. A closed complaint.
    closed = _file({"name": "Dewi Anggraini", "email": "dewi.anggraini@demo.go.id",
                    "object_text": "Sertifikat kompetensi", "service_date": today - datetime.timedelta(days=25),
                    "message": "Nama pada sertifikat salah eja."}, 24, Channel.IN_PERSON, officer)
    _walk(closed, officer, head, Route.TECHNICAL, answer=True, close=True)
    _surveys(stdout)
    stdout.write("complaints: demo complaints and survey answers ready")


def _walk(c: Complaint, officer, head, route: str, *, answer: bool, close: bool = False) -> None:
    c.refresh_from_db()
    if c.status == "received":
        c = services.complaint_classify(complaint=c, actor=officer, service="application", component="procedure")
    if c.status == "classified":
        services.complaint_start_analysis(complaint=c, actor=officer)
        services.complaint_record_analysis(
            complaint=c, actor=officer, core_problem="Inkonsistensi alasan pengembalian berkas.",
            standard_concerned="Standar Pelayanan butir 2 (sistem, mekanisme dan prosedur).",
            planned_handling="Klarifikasi kepada verifikator dan pemeriksaan catatan verifikasi.",
            findings="Alasan pengembalian kedua tidak tercatat pada pemeriksaan pertama.")
        if route == Route.APIP:
            services.complaint_approve_apip(complaint=c, actor=head, note="Disetujui untuk pemeriksaan APIP.")
        services.complaint_route(complaint=c, actor=officer, route=route,
                                 detail="Inspektorat" if route == Route.APIP else "Bidang PSDA")
    c.refresh_from_db()
    if answer and c.status == "routed":
        services.complaint_answer(complaint=c, actor=officer,
                                  answer="Mohon maaf atas ketidaknyamanan. Verifikator telah diberi arahan dan "
                                         "berkas Anda diperiksa ulang dalam 2 hari kerja.",
                                  superior_report="Pengaduan diselesaikan di internal; verifikator diberi pembinaan.")
    c.refresh_from_db()
    if close and c.status == "answered":
        services.complaint_close(complaint=c, actor=officer)


def _surveys(stdout) -> None:
    """About forty answers in each of the last two quarters, online and on paper (fixed seed: same figures)."""
    if SurveyResponse.objects.filter(comment__in=_COMMENTS).exists():
        return
    rng = random.Random(2026)  # noqa: S311 - demo figures, not security
    today = timezone.localdate()
    rows = []
    for quarter_start in (_quarter_start(today, -1), _quarter_start(today, 0)):
        for i in range(40):
            day = min(quarter_start + datetime.timedelta(days=rng.randrange(0, 88)), today)
            scores = [rng.choice(weights) for weights in _WEIGHTS]
            rows.append(SurveyResponse(
                source=SurveyResponse.Source.PAPER if i % 3 == 0 else SurveyResponse.Source.ONLINE,
                answered_on=day, scheme_code=SCHEME if i % 4 else "",
                comment=rng.choice(_COMMENTS) if i % 5 == 0 else "",
                **{f"u{k + 1}": s for k, s in enumerate(scores)}))
    rows[0].comment = _COMMENTS[0]  # a demo comment is what makes a rerun a no-op
    SurveyResponse.objects.bulk_create(rows)


def _quarter_start(today: datetime.date, offset: int) -> datetime.date:
    q = (today.month - 1) // 3 + offset
    year = today.year + q // 4
    return datetime.date(year, (q % 4) * 3 + 1, 1)


# Answer pools per element: cost is free (4), complaint handling and waiting time are weaker.
_WEIGHTS = [
    (3, 3, 4, 4), (3, 3, 3, 4), (2, 3, 3, 3), (4, 4, 4, 4), (3, 3, 4, 4),
    (3, 4, 4, 4), (3, 4, 4, 4), (2, 2, 3, 3), (2, 3, 3, 4),
]
_COMMENTS = ["Pelayanan cepat dan ramah.", "Ruang tunggu perlu diperbaiki.", "Informasi jadwal kurang jelas.",
             "Petugas sangat membantu.", "Mohon penanganan pengaduan lebih cepat."]
