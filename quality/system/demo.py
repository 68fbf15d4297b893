"""Demo of the management system (issue 30 item 2): an internal audit with a finding whose corrective action was
closed by someone other than its owner and one that is overdue (on the supervisor's dashboard and the Kepala TUK's
queue), a concluded management review whose action awaits closure, and controlled documents with two versions (the
older superseded, kept). Idempotent (keyed on the audit's scope)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applicants.samples import sample_pdf
from certportal.accounts import demo as demo_accounts
from certportal.accounts.models import Role, User, UserRole
from quality.impartiality.rules import current_declaration
from quality.impartiality.services import declaration_sign

from . import selectors, services
from .models import SystemReview
from .review_inputs import portal_figures

AUDITOR = ("auditor.internal@demo.go.id", "Yuliana Pratiwi, S.E., M.Ak.")
AUDIT_SCOPE = "Audit internal proses sertifikasi skema SS-02 (ISO/IEC 17024 klausul 7 dan 9)"
DOCUMENTS = [  # code, title, kind, [(label, days before today it took effect, approved)]
    ("PM-01", "Panduan Mutu LSP", "manual", [("Rev. 0", 540, True), ("Rev. 1", 90, True)]),
    ("SOP-03", "Prosedur Asesmen dan Keputusan Sertifikasi", "procedure", [("Rev. 0", 400, True),
                                                                          ("Rev. 1", 0, False)]),
    ("SKM-SS02", "Dokumen Skema SS-02 Pelayanan Prima", "scheme", [("Rev. 0", 300, True)]),
]


def _pdf(name: str, title: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample_pdf(title), content_type="application/pdf")


def _people() -> dict | None:
    found = {u.email: u for u in User.objects.filter(email__in=[
        "admin.lsp@demo.go.id", "mutu@demo.go.id", "kepala.tuk@demo.go.id"])}
    if len(found) < 3:
        return None
    return {"admin": found["admin.lsp@demo.go.id"], "quality": found["mutu@demo.go.id"],
            "tuk": found["kepala.tuk@demo.go.id"]}


def _auditor() -> User:
    """The internal auditor: LSP personnel who took part in none of the demo events (the quality reviewer, who
    signed their FR.AK.06, may not audit them). A demo login like every other (the README lists it)."""
    user, created = User.objects.get_or_create(email=AUDITOR[0], defaults={
        "full_name": AUDITOR[1], "email_verified_at": timezone.now(), "data_consent_at": timezone.now()})
    if created:
        demo_accounts.set_password(user)
        user.save(update_fields=["password"])
    UserRole.objects.get_or_create(user=user, role=Role.QUALITY)
    if current_declaration(user) is None:
        declaration_sign(user, interests="", signed_name=user.full_name)
    return user


def _audit(p: dict, today: datetime.date) -> None:
    held_on = today - datetime.timedelta(days=63)
    before = timezone.make_aware(datetime.datetime.combine(held_on, datetime.time()))
    review = services.review_record(actor=p["admin"], kind=SystemReview.Kind.INTERNAL_AUDIT, held_on=held_on,
                                    scope=AUDIT_SCOPE, auditor=_auditor(),
                                    audited_events=selectors.audited_events().filter(starts_at__lt=before),
                                    participants=f"{AUDITOR[1]} (auditor internal)\nRina Kartika, S.Kom. "
                                                 "(administrasi LSP)\nHendra Wijaya, S.T. (Kepala TUK)")
    closed = services.finding_record(
        review, actor=p["admin"], severity="minor", clause="ISO/IEC 17024 9.3.5",
        description="Dua berkas asesmen tidak memuat FR.AK.06 yang ditandatangani.",
        action="Lengkapi FR.AK.06 pada kedua berkas dan tambahkan pemeriksaan FR.AK.06 pada daftar periksa pleno.",
        owner=p["admin"]).action
    services.action_analyse(closed, actor=p["admin"],
                            correction="FR.AK.06 kedua berkas dilengkapi dan ditandatangani oleh Bidang Manajemen Mutu.",
                            cause="Daftar periksa pleno tidak memuat FR.AK.06, sehingga berkas tanpa FR.AK.06 tidak "
                                  "tertahan sebelum keputusan.")
    services.evidence_add(closed, actor=p["admin"], upload=_pdf("daftar-periksa-pleno.pdf", "Daftar periksa pleno"),
                          note="Daftar periksa pleno revisi dan dua FR.AK.06 bertanda tangan")
    services.action_take(closed, "completed", actor=p["admin"])
    services.action_take(closed, "closed", actor=p["quality"],
                         reason="Efektif: daftar periksa pleno revisi dipakai pada pleno berikutnya dan seluruh berkas "
                                "yang diputuskan sejak itu memuat FR.AK.06 bertanda tangan.")
    services.finding_record(
        review, actor=p["admin"], severity="major", clause="ISO/IEC 17024 6.3",
        description="Kalibrasi peralatan TUK Sewaktu tidak terdokumentasi sejak verifikasi TUK terakhir.",
        action="Dokumentasikan pemeliharaan peralatan TUK dan verifikasi ulang TUK Sewaktu.", owner=p["tuk"])
    review.refresh_from_db()
    services.review_conclude(review, actor=p["admin"], conclusions="Sistem manajemen berjalan efektif dengan dua "
                                                                   "temuan; tindak lanjut dipantau.")


def _management_review(p: dict, today: datetime.date) -> None:
    held_on = today - datetime.timedelta(days=7)
    inputs = portal_figures(held_on) | {  # the portal's figures, and what only people know
        "objectives": "Sasaran mutu 2026: 90% berkas diputuskan dalam 30 hari kerja (tercapai 94%); IKM minimal "
                      "B (tercapai).",
        "changes": "Lisensi BNSP diperpanjang; ruang lingkup tanpa skema SK-ASESOR-4; SOP asesmen revisi 1 berlaku."}
    review = services.review_record(actor=p["admin"], kind=SystemReview.Kind.MANAGEMENT_REVIEW,
                                    held_on=held_on, inputs=inputs,
                                    scope="Kaji ulang manajemen tahunan: hasil audit internal, banding, pengaduan, "
                                          "umpan balik asesi, tindakan korektif",
                                    participants="Ketua LSP\nManajer Mutu\nAdministrasi LSP")
    action = services.finding_record(
        review, actor=p["admin"], severity="decision", clause="ISO/IEC 17024 10.2.5",
        description="Umpan balik asesi dianalisis per skema, tidak hanya untuk seluruh LSP.",
        action="Sajikan analisis umpan balik per skema pada kaji ulang berikutnya.", owner=p["quality"]).action
    services.action_analyse(action, actor=p["quality"], correction="Umpan balik asesi tahun berjalan dipilah per skema.",
                            cause="Rekap umpan balik (FR.AK.03) hanya disusun untuk seluruh LSP, tidak per skema.")
    services.evidence_add(action, actor=p["quality"], upload=_pdf("analisis-umpan-balik.pdf", "Analisis umpan balik"))
    services.action_take(action, "completed", actor=p["quality"])
    review.refresh_from_db()
    services.review_conclude(review, actor=p["admin"], conclusions=(
        "Sistem manajemen efektif dan sesuai; sumber daya cukup. Keputusan: umpan balik asesi dianalisis per skema "
        "(tindakan di atas), sasaran mutu 2027 dipertahankan."))


def _documents(p: dict, today: datetime.date) -> None:
    for code, title, kind, versions in DOCUMENTS:
        doc = services.document_create(actor=p["quality"], code=code, title=title, kind=kind)
        for label, days, approved in versions:
            version = services.version_upload(doc, actor=p["quality"], label=label,
                                              effective_on=today - datetime.timedelta(days=days),
                                              upload=_pdf(f"{code}.pdf", f"{code} {title} {label}"))
            if approved:
                services.version_approve(version, actor=p["admin"])


def load(stdout) -> None:
    people = _people()
    if people is None:
        stdout.write("quality.system: demo accounts missing; no management-system records")
        return
    if SystemReview.objects.filter(scope=AUDIT_SCOPE).exists():
        stdout.write("quality.system: demo audit present")
        return
    today = timezone.localdate()
    _audit(people, today)
    _management_review(people, today)
    _documents(people, today)
    stdout.write("quality.system: an internal audit (one action closed, one overdue), a management review and "
                 f"{len(DOCUMENTS)} controlled documents")
