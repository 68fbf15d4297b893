"""Demo records (``manage.py load_demo``, after ``load_reference``), idempotent.

* the Kepala TUK demo account heads the Pelayanan Prima test site;
* a KKNI scheme built on Kepmenaker 3/2021 section I (Asesor, level 4), created through the same service the
  scheme editor uses, so it satisfies the packaging rule.
"""

from django.contrib.auth import get_user_model

from .models import Qualification, Scheme, TestSite
from .reference_data import PELAYANAN_PRIMA_TUK
from .services import SchemeParts, scheme_create

ASESOR_CODE = "SK-ASESOR-4/LSP-DEMO/2026"
ASESOR_UNITS = ["M.74SPS03.088.2", "M.74SPS03.090.1", "M.74SPS03.089.1"]


def load(stdout=None) -> None:
    write = stdout.write if stdout else (lambda *_: None)
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
