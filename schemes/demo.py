"""Demo records (``manage.py load_demo``, after ``load_reference``), idempotent.

* the Kepala TUK demo account heads the Pelayanan Prima test site;
* a KKNI scheme built on Kepmenaker 3/2021 section I (Asesor, level 4), created through the same service the
  scheme editor uses, so it satisfies the packaging rule;
* an SKKNI decree (118/2014, Video Editing) uploaded by the LSP admin and read: it waits on their home work queue
  for review ("Decree imports waiting").
"""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Qualification, Scheme, TestSite
from .reference_data import PELAYANAN_PRIMA, PELAYANAN_PRIMA_TUK
from .services import SchemeParts, scheme_create

ASESOR_CODE = "SK-ASESOR-4/LSP-DEMO/2026"
ASESOR_UNITS = ["M.74SPS03.088.2", "M.74SPS03.090.1", "M.74SPS03.089.1"]


DEMO_DECREE = Path(__file__).resolve().parent.parent / "fixtures" / "skkni" / "skkni_2014_118_video_editing.pdf"


def _waiting_import(write) -> None:
    from .importers import jobs
    from .models import ImportJob

    admin = get_user_model().objects.filter(email="admin.lsp@demo.go.id").first()
    if admin is None or not DEMO_DECREE.exists() or ImportJob.objects.filter(filename=DEMO_DECREE.name).exists():
        return
    job = jobs.import_start(kind=ImportJob.Kind.SKKNI, data=DEMO_DECREE.read_bytes(), filename=DEMO_DECREE.name,
                            actor=admin)
    jobs.import_run(job.pk)  # read now (a worker would too): the demo shows it waiting for review
    write("schemes: a decree import waiting for review")


def _evaluation(write) -> None:
    """Last year's evaluation of the service standard, its results sent to every member of staff (seed 003 item
    14.3): the verifier and the Kepala TUK have acknowledged reading them, the others not yet."""
    import datetime

    from django.utils import timezone

    from .evaluations import evaluation_record, results_acknowledge
    from .models import ServiceEvaluation, ServiceStandard

    User = get_user_model()
    admin = User.objects.filter(email="admin.lsp@demo.go.id").first()
    if admin is None or ServiceEvaluation.objects.exists() or not ServiceStandard.objects.exists():
        return
    today = timezone.localdate()
    held = min(datetime.date(today.year, 1, 15), today)
    record = evaluation_record(
        actor=admin, year=held.year - 1, held_on=held,
        participants="Kepala BKPSDM\nKepala Bidang Pengembangan Sumber Daya ASN\nVerifikator\nKepala TUK",
        findings="Waktu verifikasi berkas rata-rata 6 hari kerja; dua pengaduan tentang jadwal uji.",
        decisions="Jadwal uji diumumkan paling lambat 10 hari kerja sebelumnya; verifikator ditambah satu orang.")
    for email in ("verifikator@demo.go.id", "kepala.tuk@demo.go.id"):
        results_acknowledge(record, user=User.objects.get(email=email))
    write("schemes: last year's evaluation, its results sent to the staff (two have acknowledged reading them)")


def _reviews(write) -> None:
    """The scheme in force was validated when it was adopted and reviewed since; the demo KKNI scheme (outside the
    licence) has no validation yet, so the LSP admin's home shows it as due."""
    from .reviews import review_record

    scheme = Scheme.objects.filter(code=PELAYANAN_PRIMA["code"], is_current=True).first()
    admin = get_user_model().objects.filter(email="admin.lsp@demo.go.id").first()
    if scheme is None or admin is None or scheme.reviews.exists():
        return
    today = timezone.localdate()
    committee = "Komite Skema LSP: Dr. Rahmat Hidayat (ketua), Ir. Lestari Wibowo, Drs. Bambang Sutrisno (pakar)"
    validated_on = today - datetime.timedelta(days=400)
    review_record(actor=admin, scheme=scheme, kind="validation", held_on=validated_on, reviewers=committee,
                  outcome="fit", next_review_on=validated_on + datetime.timedelta(days=365),
                  findings="Unit kompetensi sesuai SKKNI yang berlaku; persyaratan dasar dan metode asesmen layak.")
    review_record(actor=admin, scheme=scheme, kind="review", held_on=today - datetime.timedelta(days=30),
                  reviewers=committee, outcome="fit", next_review_on=today + datetime.timedelta(days=335),
                  findings="Masukan asesor dan pemegang sertifikat ditinjau; tidak ada perubahan unit yang diperlukan.")
    write("schemes: the scheme in force validated and reviewed (the demo KKNI scheme not yet)")


def load(stdout=None) -> None:
    write = stdout.write if stdout else (lambda *_: None)
    _waiting_import(write)
    _evaluation(write)
    _reviews(write)
    User = get_user_model()
    head = User.objects.filter(email="kepala.tuk@demo.go.id").first()
    site = TestSite.objects.filter(registration_number=PELAYANAN_PRIMA_TUK["registration_number"]).first()
    if head and site and site.head_id is None:
        site.head = head
        site.save(update_fields=["head"])
    qual = Qualification.objects.filter(decree__kind="kkni", decree__number="3", decree__year=2021,
                                        letter="I").first()
    if qual is None or Scheme.objects.filter(code=ASESOR_CODE).exists():
        write("schemes: demo already present")
        return
    scheme_create(actor=None, fields={
        "code": ASESOR_CODE, "name": "Asesor Kompetensi (KKNI Jenjang 4)", "kind": Scheme.Kind.KKNI,
        "qualification": qual, "description": "Skema demo berdasarkan Kepmenaker 3/2021 bagian I.",
        "methods_experienced": "Asesmen portofolio dan wawancara.",
        "methods_inexperienced": "Observasi demonstrasi dan pertanyaan lisan.", "validity_years": 3,
        "payer": "APBD atau peserta."}, parts=SchemeParts(
        unit_codes=ASESOR_UNITS, requirements=[("employment", "pns", ""), ("min_education", "D3", "")],
        documents=[{"category": "basic", "name": "Fotokopi ijazah terakhir", "description": "", "mandatory": True,
                    "accepted_kinds": ["pdf", "jpeg", "png"], "min_files": 1, "max_files": 1}],
        test_site_ids=[site.pk] if site else []))
    write("schemes: demo KKNI scheme created")
