"""Demo of impartiality (issue 30 item 1): the committee, this year's threat analysis approved, a current
declaration for every demo member of staff (so the demo's own assessments, reviews, plenos and decisions go through),
one assessor who has not signed yet and one whose declaration ends within the month. Idempotent.

The other apps' demos assess, review and decide before this app's ``load`` runs, with staff they create as they go:
:func:`prepare` (called by ``load_demo`` before every app's ``load``) signs for the staff there are and, while the
demo loads, for each member of staff an app's demo adds; :func:`load` stops that and adds the rest."""

from __future__ import annotations

import datetime

from django.db.models.signals import post_save
from django.utils import timezone

from certportal.accounts import demo as demo_accounts
from certportal.accounts.models import STAFF_ROLES, Role, User, UserRole
from certportal.workflow import transition

from . import services
from .models import CommitteeMeeting, CommitteeMember, Declaration, Threat, ThreatAnalysis
from .rules import current_declaration, one_year_from

UNSIGNED = ("asesor.baru@demo.go.id", "Yusuf Hidayat, S.Pd.")
EXPIRING = ("asesor.lama@demo.go.id", "Dra. Sri Mulyani, M.Si.")
COMMITTEE = [
    ("Prof. Dr. Hasan Basri, M.Si.", "Ketua Komite Ketidakberpihakan", "Akademisi (perguruan tinggi)"),
    ("Drs. Syamsul Bahri, M.Si.", "Anggota", "Pemerintah provinsi (Sekretariat Daerah)"),
    ("Ir. Wahyu Nugroho", "Anggota", "Asosiasi profesi (IAPI)"),
    ("Maria Ulfa, S.E.", "Anggota", "Pengguna: perangkat daerah yang mengusulkan ASN"),
]
THREATS = [
    (Threat.Source.FAMILIARITY, "Asesor menilai rekan kerja dari perangkat daerah yang sama.", Threat.Level.HIGH,
     "Penugasan asesor dari perangkat daerah lain; asesor menyatakan hubungan kerja sebelum penugasan."),
    (Threat.Source.TRAINING, "Widyaiswara BPSDM yang melatih peserta juga menjadi asesornya.", Threat.Level.MEDIUM,
     "Widyaiswara tidak ditugaskan menilai peserta yang dilatihnya dalam dua tahun terakhir."),
    (Threat.Source.FINANCIAL, "Target jumlah ASN tersertifikasi dari APBD menekan keputusan.", Threat.Level.LOW,
     "Keputusan diambil dalam pleno oleh anggota yang tidak menilai peserta; target tidak dikaitkan ke asesor."),
]


def _sign(user, *, until: datetime.date | None = None) -> None:
    if current_declaration(user) is not None:
        return
    today = timezone.localdate()
    start = (until - datetime.timedelta(days=364)) if until else today
    Declaration.objects.create(user=user, statement=services.statement(), signed_name=user.full_name,
                               signed_at=timezone.now(), valid_from=start, valid_until=until or one_year_from(today))


def _on_role(sender, instance: UserRole, created: bool, **kwargs) -> None:
    if created and instance.role in STAFF_ROLES and instance.user.email != UNSIGNED[0]:
        _sign(instance.user)


def prepare(stdout) -> None:
    """Every member of staff there is signs, and so does each one the other demos add while they load."""
    staff = User.objects.filter(email__endswith="@demo.go.id", role_links__role__in=STAFF_ROLES).distinct()
    for user in staff.exclude(email=UNSIGNED[0]):  # the one assessor yet to sign stays so on a second run
        _sign(user)
    post_save.connect(_on_role, sender=UserRole, dispatch_uid="quality-demo-declarations")


def _assessor(email: str, name: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={
        "full_name": name, "email_verified_at": timezone.now(), "data_consent_at": timezone.now()})
    if created:
        demo_accounts.set_password(user)
        user.save(update_fields=["password"])
    UserRole.objects.get_or_create(user=user, role=Role.ASSESSOR)
    return user


def _analysis(admin: User, quality: User) -> None:
    year = timezone.localdate().year
    analysis = ThreatAnalysis.objects.filter(year=year).first() or services.analysis_create(
        actor=admin, year=year, review_on=datetime.date(year, 12, 15))
    if analysis.status == ThreatAnalysis.Status.DRAFT:
        if not analysis.threats.exists():
            for source, threat, level, measure in THREATS:
                services.threat_add(analysis, actor=admin, source=source, threat=threat, level=level, measure=measure)
        transition(analysis, "approved", user=quality, approved_by=quality)


EVIDENCE = {
    Threat.Source.FAMILIARITY: "Surat tugas asesor tiga uji kompetensi terakhir: tidak ada asesor dari perangkat daerah "
                               "peserta (diperiksa Bagian Mutu).",
    Threat.Source.TRAINING: "Daftar widyaiswara pelatihan 2024–2025 dicocokkan dengan penugasan asesor: tidak ada yang "
                            "menilai peserta yang dilatihnya.",
}


def _meeting(admin: User) -> None:
    """The committee met today and endorsed this year's approved analysis; two measures have their evidence."""
    analysis = ThreatAnalysis.objects.filter(year=timezone.localdate().year, status=ThreatAnalysis.Status.APPROVED).first()
    if analysis is None or CommitteeMeeting.objects.filter(endorsed=analysis).exists():
        return
    services.meeting_record(
        actor=admin, held_on=timezone.localdate(), attendees=CommitteeMember.objects.all()[:3],
        agenda="Kaji ulang analisis ancaman ketidakberpihakan tahun berjalan; bukti pengendalian.", endorsed=analysis,
        minutes="Komite membahas tiga ancaman dan pengendaliannya. Komite mengesahkan analisis ancaman tahun ini dan "
                "meminta bukti penugasan asesor lintas perangkat daerah dilampirkan setiap triwulan.")
    for threat in analysis.threats.filter(source__in=EVIDENCE):
        services.threat_evidence(analysis, actor=admin, threat=threat, evidence=EVIDENCE[threat.source])


def load(stdout) -> None:
    post_save.disconnect(sender=UserRole, dispatch_uid="quality-demo-declarations")
    admin = User.objects.get(email="admin.lsp@demo.go.id")
    quality = User.objects.get(email="mutu@demo.go.id")
    for name, position, interest in COMMITTEE:
        if not CommitteeMember.objects.filter(name=name).exists():
            year = timezone.localdate().year
            services.member_save(actor=admin, name=name, position=position, interest=interest,
                                 term_from=datetime.date(year - 1, 1, 1), term_to=datetime.date(year + 1, 12, 31))
    _analysis(admin, quality)
    _meeting(admin)
    _assessor(*UNSIGNED)  # no declaration: refused a pleno seat, listed as due in the LSP admin's queue
    _sign(_assessor(*EXPIRING), until=timezone.localdate() + datetime.timedelta(days=20))
    stdout.write("  quality: impartiality committee and its meeting, approved and endorsed threat analysis with evidence, "
                 "declarations (one assessor yet to sign)")
