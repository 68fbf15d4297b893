"""Public pages: catalogue, detail pages, packaging checker, service standard (anonymous and logged in)."""

import pytest
from django.urls import reverse

from schemes import reference
from schemes.models import Qualification, Scheme

from .factories import SchemeFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref():
    reference.load(None)
    return Scheme.objects.get(code="SS-02/LSP-BPSDM DKI/2017")


def test_anyone_can_browse_and_search_the_catalogue(client, ref):
    SchemeFactory(name="Pengelolaan Arsip")
    r = client.get(reverse("schemes:catalogue"))
    assert r.status_code == 200 and "Pelayanan Prima" in r.text and "Pengelolaan Arsip" in r.text
    r = client.get(reverse("schemes:catalogue"), {"q": "N.821100.051"})
    assert "Pelayanan Prima" in r.text and "Pengelolaan Arsip" not in r.text
    r = client.get(reverse("schemes:catalogue"), {"kind": "cluster"})
    assert "Pelayanan Prima" not in r.text


def test_scheme_detail_shows_units_requirements_documents_methods_and_validity(client, ref):
    r = client.get(reverse("schemes:scheme-detail", args=[ref.pk]))
    assert r.status_code == 200
    for text in ("N.821100.051.01", "Golongan paling rendah III/b", "Pasfoto ukuran 3x4", "Asesmen Portofolio",
                 "Observasi Demonstrasi", "3 tahun", "TUK Sewaktu", "mengajukan banding"):
        assert text in r.text, text


def test_unpublished_schemes_are_not_shown(client):
    hidden = SchemeFactory(is_published=False, name="Rahasia")
    assert "Rahasia" not in client.get(reverse("schemes:catalogue")).text
    assert client.get(reverse("schemes:scheme-detail", args=[hidden.pk])).status_code == 404


def test_qualification_pages_show_rule_core_elective_and_prerequisites(client, ref):
    r = client.get(reverse("schemes:qualifications"), {"group": "Asesor"})
    assert r.status_code == 200 and "Jenjang Kualifikasi 4 Kelompok Asesor" in r.text
    assert "Kelompok Instruktur" not in r.text
    c = Qualification.objects.get(letter="C")
    r = client.get(reverse("schemes:qualification-detail", args=[c.pk]))
    assert "17 unit harus diselesaikan: 8 inti dan 9 pilihan." in r.text or "17 units must be completed" in r.text
    assert "N.78SPS02.084.2" in r.text  # the prerequisite printed against 023.1


@pytest.mark.slow
def test_packaging_checker_explains_the_verdict(client, ref):
    a = Qualification.objects.get(letter="A")
    r = client.get(reverse("schemes:packaging-checker"), {"qualification": a.pk})
    assert "N.78SPS02.028.2" in r.text and 'id="verdict"' not in r.text
    r = client.get(reverse("schemes:packaging-checker"), {"qualification": a.pk, "check": "1",
                                                          "units": ["N.78SPS02.028.2"]})
    assert 'id="verdict"' in r.text and "N.78SPS02.019.2" in r.text
    assert r.context["verdict"].met is False
    i_units = ["M.74SPS03.088.2", "M.74SPS03.090.1", "M.74SPS03.089.1"]
    i = Qualification.objects.get(letter="I")
    r = client.get(reverse("schemes:packaging-checker"), {"qualification": i.pk, "check": "1", "units": i_units})
    assert r.context["verdict"].met is True
    assert [q.letter for q in r.context["also_met"]] == []  # I's units alone meet no other qualification
    assert client.get(reverse("schemes:packaging-checker"), {"qualification": "x"}).status_code == 404


def test_service_standard_page_shows_seed_001_and_the_maklumat(client, ref):
    r = client.get(reverse("schemes:service-standard"))
    assert r.status_code == 200
    for text in ("Surat Rekomendasi dari Sekretaris Daerah", "Maksimal 14 (empat belas) sampai dengan 30",
                 "SP4N-LAPOR!", "Undang-Undang Nomor 25 Tahun 2009", "Minimal 2 orang",
                 "Dengan ini kami menyatakan sanggup", "Kerahasiaan dokumen dan data pemohon"):
        assert text in r.text, text


def test_catalogue_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(5):
        SchemeFactory()
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("schemes:catalogue"))
    for _ in range(55):
        SchemeFactory()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("schemes:catalogue"))


def test_qualification_list_runs_a_constant_number_of_queries(client, ref, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        r = client.get(reverse("schemes:qualifications"))
    assert r.status_code == 200


def test_public_menu_links_are_registered():
    from certportal import menus

    names = [i.url_name for i in menus.menu_for(menus.PUBLIC)]
    assert {"schemes:catalogue", "schemes:packaging-checker", "schemes:service-standard"} <= set(names)


def test_units_are_listed_on_detail(client):
    s = SchemeFactory()
    u = UnitFactory(title="Menata Arsip Dinamis")
    s.scheme_units.create(unit=u, position=1)
    assert "Menata Arsip Dinamis" in client.get(reverse("schemes:scheme-detail", args=[s.pk])).text


# --- Issue 16, item 5 -------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_prerequisite_outside_the_qualification_can_be_ticked_so_3_2021_c_is_met(client, ref):
    """Section C's unit N.78SPS02.023.1 requires N.78SPS02.084.2, which C does not list."""
    from schemes.engine import evaluate, rule_for

    c = Qualification.objects.get(letter="C")
    r = client.get(reverse("schemes:packaging-checker"), {"qualification": c.pk})
    assert 'value="N.78SPS02.084.2"' in r.text
    rule = rule_for(c)
    held = [x.code for x in rule.core]
    held += evaluate(rule, held).suggested_units
    assert "N.78SPS02.084.2" in held  # the fewest units that complete C include the outside prerequisite
    r = client.get(reverse("schemes:packaging-checker"), {"qualification": c.pk, "check": "1", "units": held})
    assert r.context["verdict"].met is True
    assert "value=\"N.78SPS02.084.2\" id=\"u-N.78SPS02.084.2\" checked" in r.text
    without = [u for u in held if u != "N.78SPS02.084.2"]
    r = client.get(reverse("schemes:packaging-checker"), {"qualification": c.pk, "check": "1", "units": without})
    assert r.context["verdict"].met is False
    assert r.context["verdict"].prerequisites_missing == [{"unit": "N.78SPS02.023.1", "requires": "N.78SPS02.084.2"}]


def test_searching_the_catalogue_does_not_multiply_the_unit_count(client, ref):
    """Seed 000: "Jumlah Unit Kompetensi : 7 (Tujuh)" — the search for "prima" used to show 49."""
    r = client.get(reverse("schemes:catalogue"), {"q": "prima"})
    row = next(s for s in r.context["page"] if s.code == "SS-02/LSP-BPSDM DKI/2017")
    assert row.n_units == 7
    r = client.get(reverse("schemes:catalogue"), {"q": "Pelanggan"})  # matches several of its unit titles
    assert next(s for s in r.context["page"] if s.code == "SS-02/LSP-BPSDM DKI/2017").n_units == 7
