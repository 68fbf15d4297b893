"""Demo of the competence of personnel: the criteria of every role, the records of the demo staff (education,
training, experience, the authorisation for each role), the assessors' witnessing, monitoring and CPD, with the
main demo assessor's witnessed assessment overdue, the plan validator's CPD short and the complaint officer's
training missing. Idempotent (keyed on the criterion's text, the record's person, kind and title)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applicants.samples import sample_pdf
from assessments.models import Assessor
from certportal.accounts.models import Role, User

from . import services
from .models import CompetenceCriterion, CompetenceRecord, CriterionKind, Outcome, RecordKind
from .rules import COMPETENCE_ROLES

K = CriterionKind
SERVICE_STAFF = ["Memahami regulasi sertifikasi profesi dan pengembangan kompetensi",
                 "Memahami administrasi kepegawaian", "Memiliki kemampuan verifikasi dokumen",
                 "Memiliki kemampuan pelayanan publik", "Mampu mengoperasikan aplikasi kepegawaian"]
CRITERIA = {
    Role.LSP_ADMIN: [(K.EDUCATION, "Paling rendah S1 bidang apa pun"),
                     (K.TRAINING, "Pelatihan sistem manajemen mutu LSP (ISO/IEC 17024, Pedoman BNSP 201 dan 301)"),
                     (K.EXPERIENCE, "Dua tahun di administrasi kepegawaian atau sertifikasi")],
    # the service's staff: seed 001 item 9 (Kompetensi Pelaksana), each ability evaluated
    Role.VERIFIER: [(K.EDUCATION, "Paling rendah D3 bidang apa pun"),
                    *[(K.OTHER, text) for text in SERVICE_STAFF]],
    Role.ASSESSOR: [(K.EDUCATION, "Paling rendah S1 atau setara"),
                    (K.TRAINING, "Pelatihan Asesor Kompetensi BNSP (MET) dengan sertifikat yang berlaku"),
                    (K.EXPERIENCE, "Tiga tahun di bidang skema yang dinilai"),
                    (K.OTHER, "Kompeten pada unit kompetensi skema yang dinilai")],
    Role.TUK_HEAD: [(K.EDUCATION, "Paling rendah D3 bidang apa pun"),
                    (K.TRAINING, "Sosialisasi persyaratan Tempat Uji Kompetensi (Pedoman BNSP 206)"),
                    (K.EXPERIENCE, "Dua tahun mengelola sarana pelatihan atau ujian")],
    Role.QUALITY: [(K.EDUCATION, "Paling rendah S1 bidang apa pun"),
                   (K.TRAINING, "Pelatihan auditor internal ISO/IEC 17024 atau ISO 19011"),
                   (K.EXPERIENCE, "Dua tahun di bidang mutu atau audit")],
    Role.COMPLAINT_OFFICER: [(K.EDUCATION, "Paling rendah D3 bidang apa pun"),
                             (K.TRAINING, "Pelatihan pengelolaan pengaduan pelayanan publik (SP4N-LAPOR!)"),
                             (K.EXPERIENCE, "Satu tahun di pelayanan publik")],
    Role.SUPERVISOR: [(K.EDUCATION, "Paling rendah S2 bidang apa pun"),
                      (K.TRAINING, "Pelatihan Kepemimpinan Administrator (PKA)"),
                      (K.EXPERIENCE, "Dua tahun memimpin unit kerja")],
}
STAFF = ["admin.lsp@demo.go.id", "verifikator@demo.go.id", "asesor@demo.go.id", "asesor.validator@demo.go.id",
         "kepala.tuk@demo.go.id", "mutu@demo.go.id", "auditor.internal@demo.go.id", "pengaduan@demo.go.id",
         "pimpinan@demo.go.id"]
CHAIR = "Dr. Ir. Rahmat Hidayat, M.Si. (Ketua LSP)"
MASTER = "Ir. Bambang Supriyadi, M.T. (Master Asesor BNSP)"
WITNESS_OVERDUE = "asesor@demo.go.id"  # last witnessed three years and two months ago
CPD_SHORT = "asesor.validator@demo.go.id"  # 8 of 20 hours in the last year
MISSING = ("pengaduan@demo.go.id", K.TRAINING)  # the complaint officer's training not recorded yet
WORDS = {K.EDUCATION: "Ijazah", K.TRAINING: "Sertifikat pelatihan", K.EXPERIENCE: "Riwayat jabatan",
         K.OTHER: "Evaluasi"}
RECORD_KIND = {K.EDUCATION: RecordKind.EDUCATION, K.TRAINING: RecordKind.TRAINING,
               K.EXPERIENCE: RecordKind.EXPERIENCE, K.OTHER: RecordKind.EVALUATION}


def _criteria(admin: User) -> None:
    for role, items in CRITERIA.items():
        for kind, text in items:
            if not CompetenceCriterion.objects.filter(role=role, requirement=text).exists():
                services.criterion_save(actor=admin, role=role, kind=kind, requirement=text)


def _add(person: User, admin: User, kind: str, title: str, done_on: datetime.date, **fields) -> None:
    if CompetenceRecord.objects.filter(person=person, kind=kind, title=title).exists():
        return
    services.record_add(person, actor=admin, kind=kind, title=title, done_on=done_on, **fields)


def _staff_records(person: User, admin: User, today: datetime.date) -> None:
    roles = [r for r in person.roles if r in COMPETENCE_ROLES]
    for role in roles:
        for criterion in CompetenceCriterion.objects.filter(role=role, is_active=True):
            if (person.email, criterion.kind) == MISSING:
                continue
            title = f"{WORDS[criterion.kind]}: {criterion.requirement}"[:200]
            if criterion.kind == K.OTHER:
                title = f"Evaluasi: {criterion.requirement}"[:200]
            extra = {"outcome": Outcome.SATISFACTORY, "by_name": CHAIR} if criterion.kind == K.OTHER else {}
            upload = (SimpleUploadedFile("sertifikat-met.pdf", sample_pdf("Sertifikat Pelatihan MET"),
                                         content_type="application/pdf")
                      if role == Role.ASSESSOR and criterion.kind == K.TRAINING else None)
            _add(person, admin, RECORD_KIND[criterion.kind], title, today - datetime.timedelta(days=900),
                 criterion=criterion, upload=upload, **extra)
        _add(person, admin, RecordKind.AUTHORISATION, f"SK Ketua LSP: penugasan sebagai {Role(role).label}",
             today - datetime.timedelta(days=700), role=role, by_name=CHAIR)


def _assessor_records(person: User, admin: User, today: datetime.date) -> None:
    days = 365 * 3 + 60 if person.email == WITNESS_OVERDUE else 200
    _add(person, admin, RecordKind.WITNESSING, "Asesmen disaksikan: uji kompetensi skema ASN",
         today - datetime.timedelta(days=days), by_name=MASTER, outcome=Outcome.SATISFACTORY)
    _add(person, admin, RecordKind.MONITORING, "Monitoring kinerja asesor tahunan",
         today - datetime.timedelta(days=120), by_name=CHAIR, outcome=Outcome.SATISFACTORY)
    activities = [("Seminar pembaruan Pedoman BNSP", 8, 300), ("Lokakarya penyusunan MUK", 8, 150),
                  ("Webinar asesmen jarak jauh", 6, 40)]
    if person.email == CPD_SHORT:  # 16 hours more than a year ago, 8 since: short for 35 days
        activities = [("Pelatihan asesmen berbasis portofolio", 16, 400), activities[0]]
    for topic, hours, ago in activities:
        _add(person, admin, RecordKind.CPD, topic, today - datetime.timedelta(days=ago), hours=hours)


def load(stdout) -> None:
    admin = User.objects.filter(email="admin.lsp@demo.go.id").first()
    if admin is None:
        return
    today = timezone.localdate()
    _criteria(admin)
    for person in User.objects.filter(email__in=STAFF, is_active=True).exclude(pk=admin.pk):
        _staff_records(person, admin, today)
    _staff_records(admin, User.objects.filter(email="pimpinan@demo.go.id").first() or admin, today)
    for assessor in Assessor.objects.filter(user__email__in=STAFF, is_active=True).select_related("user"):
        _assessor_records(assessor.user, admin, today)
    stdout.write(f"Competence: {CompetenceCriterion.objects.count()} criteria, "
                 f"{CompetenceRecord.objects.count()} records.")
