"""Reference data every installation needs, loaded idempotently by ``manage.py load_reference``:

* the KKNI decree Kepmenaker 3/2021 (seed 004, shipped as ``fixtures/kkni/kepmenaker_3_2021.txt``) through the
  same importer admins use;
* the Pelayanan Prima scheme of seed 000 with its test site (TUK Sewaktu BPSDM DKI);
* the published service standard of seed 001 with its Maklumat Pelayanan.

Documents of the Pelayanan Prima scheme: the scheme's own five basic and three administrative documents, plus the
service standard's 12 required documents (seed 001 item 1) as category ``service``. Two of those twelve duplicate
a scheme document and are merged into it rather than asked for twice: item 4 "Fotokopi SK Pangkat terakhir" is the
scheme's "Fotokopi SK kenaikan pangkat terakhir (minimal golongan III/b)", and item 7 "Pas foto terbaru" is the
scheme's "Pasfoto ukuran 3x4 sebanyak 3 lembar dengan latar belakang warna merah" (three JPEG/PNG files). Each
merged scheme document says so in its description. Item 9 "Formulir pendaftaran" is the FR.APL.01 the portal
generates from the applicant's data, not an upload. So the scheme has 8 + 9 = 17 document rows.

A scheme that already exists (under any version) is left alone: an admin may have edited it since.
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from . import reference_data as data
from .codes import parse_code
from .models import (
    Decree,
    RequiredDocument,
    Scheme,
    SchemeRequirement,
    SchemeUnit,
    ServiceStandard,
    ServiceStandardItem,
    TestSite,
    Unit,
)

KKNI_FILE = Path(settings.BASE_DIR) / "fixtures" / "kkni" / "kepmenaker_3_2021.txt"


def load(stdout=None) -> None:
    write = stdout.write if stdout else (lambda *_: None)
    load_kkni(write)
    with transaction.atomic():
        created = load_pelayanan_prima()
        write("schemes: Pelayanan Prima scheme " + ("created" if created else "already present"))
        created = load_service_standard()
        write("schemes: service standard " + ("created" if created else "already present"))


def load_kkni(write) -> None:
    from .importers.kkni_load import import_kkni_file

    result = import_kkni_file(KKNI_FILE, actor=None)
    write(f"schemes: {result.message}")


def _unit(code: str, title: str, decree: Decree) -> Unit:
    parts = parse_code(code)
    unit, _ = Unit.objects.get_or_create(code=code, defaults={
        "sector": parts.sector, "field": parts.field, "number": parts.number, "version": parts.version,
        "title": title, "decree": decree})
    return unit


def _test_site() -> TestSite:
    tuk = data.PELAYANAN_PRIMA_TUK
    site, _ = TestSite.objects.get_or_create(registration_number=tuk["registration_number"],
                                             defaults={"name": tuk["name"], "address": tuk["address"],
                                                       "kind": tuk["kind"]})
    return site


def load_pelayanan_prima() -> bool:
    src = data.PELAYANAN_PRIMA
    if Scheme.objects.filter(code=src["code"]).exists():
        return False
    d = data.SKKNI_183_2016
    decree, _ = Decree.objects.get_or_create(kind=Decree.Kind.SKKNI, number=d["number"], year=d["year"],
                                             defaults={"title": d["title"], "issued_by": d["issued_by"]})
    fields = {k: src[k] for k in ("code", "name", "kind", "legal_basis", "description", "methods_experienced",
                                  "methods_inexperienced", "validity_years", "payer", "applicant_rights",
                                  "holder_obligations")}
    scheme = Scheme.objects.create(**fields, decree=decree)
    scheme.test_sites.add(_test_site())
    for pos, (code, title) in enumerate(src["units"], start=1):
        SchemeUnit.objects.create(scheme=scheme, unit=_unit(code, title, decree), position=pos)
    for pos, (kind, value, text, *government) in enumerate(src["requirements"], start=1):
        SchemeRequirement.objects.create(scheme=scheme, kind=kind, value=value, text=text, position=pos,
                                         government=government[0] if government else "")
    _documents(scheme)
    return True


def _documents(scheme: Scheme) -> None:
    pos = 0
    for category, name, description, kinds, lo, hi in data.PELAYANAN_PRIMA_DOCUMENTS:
        pos += 1
        RequiredDocument.objects.create(scheme=scheme, category=category, name=name, description=description,
                                        accepted_kinds=kinds, min_files=lo, max_files=hi, position=pos)
    for number, name, merged_into in data.SERVICE_STANDARD_DOCUMENTS:
        if merged_into:
            continue
        pos += 1
        many = number == 8  # the portfolio: as many supporting documents as the applicant needs
        RequiredDocument.objects.create(
            scheme=scheme, category=RequiredDocument.Category.SERVICE, name=name,
            description=f"Standar pelayanan, persyaratan nomor {number}.",
            accepted_kinds=data.PDF_IMG if number != 9 else data.PDF, min_files=1, max_files=10 if many else 1,
            position=pos)


def load_service_standard() -> bool:
    src = data.SERVICE_STANDARD
    if ServiceStandard.objects.exists():
        return False
    standard = ServiceStandard.objects.create(title=src["title"], service_name=src["service_name"],
                                              maklumat=src["maklumat"])
    for part, number, component, intro, points in src["items"]:
        ServiceStandardItem.objects.create(standard=standard, part=part, position=number, component=component,
                                           intro=intro, points=points)
    return True
