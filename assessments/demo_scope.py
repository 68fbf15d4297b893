"""Demo of issue 30 items 3 and 4: a certificate reduced in scope after surveillance, with its replacement; a
misuse report handled to a warning and one still open."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.certificates.models import Certificate
from assessments.certificates.services import misuse, reduction
from certportal.accounts.models import User


def load(*, admin) -> None:
    quality = User.objects.filter(email="mutu@demo.go.id").first()
    members = [u for u in (admin, quality) if u is not None]
    # the portal's own certificates (the demo's register import brings older ones, issued on paper)
    candidates = Certificate.objects.filter(source=Certificate.Source.PORTAL, status=Certificate.Status.ISSUED,
                                            replaces=None, bnsp_registration_number=None, expires_on__gte=timezone.localdate())
    original = next((c for c in candidates.order_by("pk") if len(c.snapshot.get("units") or []) > 1), None)
    if original is not None:
        units = reduction.certificate_units(original)
        reduction.reduction_decide(
            original, actor=admin, kept_codes=[u["code"] for u in units[:-1]], ground="surveillance",
            ground_reference="SURV-DEMO-01", decree_number="SK-LSP/RED/001/DEMO", decided_on=timezone.localdate(),
            members=members, reason="Bukti surveilans tahun pertama tidak menunjukkan praktik unit terakhir; "
                                    "pemegang tidak lagi melaksanakan tugas tersebut.")
    andi = Certificate.objects.filter(source=Certificate.Source.PORTAL, holder_name__startswith="Andi",
                                      status=Certificate.Status.ISSUED).first()
    if andi is not None:
        warned = misuse.misuse_report_file(
            andi, what="Logo LSP dan BNSP dipasang pada brosur jasa konsultan pribadi pemegang.",
            where="https://jasa-konsultan.example/brosur", reporter_name="Pelapor (demo)",
            reporter_contact="pelapor@demo.example", uploads=[ContentFile(_png(), name="brosur.png")])
        misuse.misuse_handle(warned, "warned", actor=admin,
                             reason="Pemegang diminta menarik brosur dan tidak memakai logo LSP/BNSP pada jasa "
                                    "pribadi.")
        misuse.misuse_report_file(andi, what="Sertifikat ditampilkan untuk pekerjaan di luar skema.",
                                  where="Kantor Kelurahan Contoh, papan pengumuman")


def _png() -> bytes:
    from assessments.demo_portrait import demo_portrait

    return demo_portrait(female=False)
