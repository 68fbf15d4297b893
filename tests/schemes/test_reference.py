"""Reference data: the Pelayanan Prima scheme of seed 000 exactly, the service standard of seed 001, idempotent."""

import pytest

from schemes import models, reference
from schemes.models import Decree, Qualification, RequiredDocument, Scheme, ServiceStandard, Unit
from schemes.selectors import current_schemes
from schemes.services import check_eligibility

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def loaded():
    reference.load(None)
    return Scheme.objects.get(code="SS-02/LSP-BPSDM DKI/2017")


def test_pelayanan_prima_units_are_exactly_as_printed(loaded):
    units = [(su.unit.code, su.unit.title) for su in loaded.scheme_units.select_related("unit")]
    assert units == [
        ("N.821199.028.02", "Mengaplikasikan Keterampilan Dasar Komunikasi"),
        ("N.821100.032.02", "Melakukan Komunikasi Lisan dalam Bahasa Inggris pada Tingkat Operasional"),
        ("N.821100.044.02", "Menerapkan Kerjasama dengan Kolega dan Pelanggan"),
        ("N.821100.045.02", "Memberikan Layanan Kepada Pelanggan"),
        ("N.821100.046.01", "Mengelola Layanan Pelanggan Berkualitas"),
        ("N.821100.049.02", "Memenuhi Kebutuhan Pelanggan"),
        ("N.821100.051.01", "Menerapkan Etika Profesi"),
    ]
    u = Unit.objects.get(code="N.821100.046.01")
    assert (u.sector, u.field, u.number, u.version) == ("N", "821100", "046", 1)
    assert u.decree.number == "183" and u.decree.year == 2016


def test_pelayanan_prima_rules_methods_validity_and_site(loaded):
    assert loaded.name == "Pelayanan Prima" and loaded.kind == "occupation"
    assert [(r.kind, r.value) for r in loaded.requirements.all()] == [
        ("employment", "pns"), ("min_education", "S1"), ("min_rank", "III/b"), ("min_years", "4")]
    assert loaded.validity_years == 3
    assert "Asesmen Portofolio dan Pertanyaan Wawancara" in loaded.methods_experienced
    assert "Observasi Demonstrasi dan Pertanyaan Lisan" in loaded.methods_inexperienced
    assert "APBD Provinsi DKI Jakarta" in loaded.payer
    assert len(loaded.applicant_rights.splitlines()) == 3 and len(loaded.holder_obligations.splitlines()) == 2
    assert [t.name for t in loaded.test_sites.all()] == ["TUK Sewaktu BPSDM Provinsi DKI Jakarta"]
    assert check_eligibility(loaded, employment_status="pns", education="S2", rank="III/c", years_of_service=5,
                             employer_government="31", years_in_government=5) == []
    # Without the employer the two DKI Jakarta rules fail too (issue 16): employer, education, rank, years in DKI.
    assert len(check_eligibility(loaded, employment_status="pns", education="D3", rank="III/a",
                                 years_of_service=2)) == 4


def test_pelayanan_prima_documents_merge_the_service_standard_duplicates(loaded):
    docs = list(loaded.required_documents.all())
    assert [d.category for d in docs].count("basic") == 5
    assert [d.category for d in docs].count("administrative") == 3
    # 12 of seed 001 minus 2 merged, minus "9. Formulir pendaftaran": the portal generates it (FR.APL.01, issue 16)
    assert [d.category for d in docs].count("service") == 9
    assert not RequiredDocument.objects.filter(scheme=loaded, name="Formulir pendaftaran").exists()
    photos = next(d for d in docs if d.name.startswith("Pasfoto"))
    assert (photos.min_files, photos.max_files, photos.accepted_kinds) == (3, 3, ["jpeg", "png"])
    assert "nomor 7" in photos.description
    assert not RequiredDocument.objects.filter(scheme=loaded, name="Pas foto terbaru").exists()


def test_reference_load_also_ships_kkni_and_service_standard_and_is_idempotent(loaded):
    reference.load(None)
    assert Scheme.objects.filter(code=loaded.code).count() == 1
    assert models.TestSite.objects.count() == 1 and ServiceStandard.objects.count() == 1
    assert Qualification.objects.count() == 14
    assert Decree.objects.filter(kind="kkni").count() == 1
    standard = ServiceStandard.objects.get()
    assert standard.items.count() == 14 and len(standard.items.get(position=1).points) == 12
    assert "Maklumat" not in standard.maklumat and standard.maklumat.startswith("Dengan ini kami menyatakan")


def test_current_schemes_are_published_current_versions(loaded):
    old = Scheme.objects.create(code="X", name="Old", kind="cluster", version=1, is_current=False)
    Scheme.objects.create(code="X", name="New", kind="cluster", version=2, previous_version=old)
    Scheme.objects.create(code="Y", name="Hidden", kind="cluster", is_published=False)
    assert sorted(s.name for s in current_schemes()) == ["New", "Pelayanan Prima"]


def test_the_module_says_how_many_document_rows_the_scheme_has_and_it_has_them(loaded):
    import re

    said = re.search(r"So the scheme has (\d+) \+ (\d+) = (\d+) document rows", reference.__doc__)
    assert said, "schemes/reference.py no longer says how many document rows the scheme has"
    scheme_docs, service_docs, total = (int(n) for n in said.groups())
    assert scheme_docs + service_docs == total
    docs = list(loaded.required_documents.all())
    assert len(docs) == total == 17
    assert sum(d.category != "service" for d in docs) == scheme_docs
    assert sum(d.category == "service" for d in docs) == service_docs
