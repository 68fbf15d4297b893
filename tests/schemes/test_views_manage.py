"""LSP admin screens: access by role, the scheme editor's packaging refusal and versioning, the SKKNI upload,
units with elements and KUK, qualifications, test sites and the service standard; every change audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certportal.audit.models import AuditEntry
from certportal.files import pdf_active_content
from schemes import models, reference
from schemes.models import Qualification, Scheme, ServiceStandard, Unit

from .conftest import SKKNI_PDF
from .factories import SchemeFactory, SiteFactory, UnitFactory

pytestmark = pytest.mark.django_db

A_CORE = ["N.78SPS02.011.1", "N.78SPS02.019.2", "N.78SPS02.028.2", "N.78SPS02.035.1", "N.78SPS02.061.1"]
A_ELECTIVE = ["N.78SPS02.039.2", "N.78SPS02.041.2", "N.78SPS02.044.2", "N.78SPS02.060.2"]

PAGES = ["manage-home", "manage-schemes", "manage-scheme-create", "manage-units", "manage-unit-create",
         "manage-skkni-upload", "manage-qualifications", "manage-qualification-create", "manage-test-sites",
         "manage-test-site-create", "manage-service-standard"]


@pytest.fixture
def ref():
    reference.load(None)


@pytest.mark.parametrize("name", PAGES)
def test_admin_pages_need_an_lsp_admin(name, client, login, lina, alice, victor, ref):
    url = reverse(f"schemes:{name}")
    assert client.get(url).status_code == 302
    assert login(alice).get(url).status_code == 403
    assert login(victor).get(url).status_code == 403
    assert login(lina).get(url).status_code == 200


def _scheme_post(qualification, units, **extra):
    data = {"code": "SK-KKNI-A/2026", "name": "Instruktur Jenjang 3", "kind": "kkni",
            "qualification": qualification.pk if qualification else "", "units": "\n".join(units),
            "validity_years": 3, "is_published": "on", "min_education": "S1", "min_rank": "", "min_years": "",
            "doc-TOTAL_FORMS": "1", "doc-INITIAL_FORMS": "0", "doc-MIN_NUM_FORMS": "0", "doc-MAX_NUM_FORMS": "1000",
            "doc-0-category": "basic", "doc-0-name": "Ijazah", "doc-0-accepted_kinds": ["pdf"],
            "doc-0-min_files": "1", "doc-0-max_files": "1", "doc-0-mandatory": "on"}
    data.update(extra)
    return data


def test_scheme_editor_refuses_a_kkni_scheme_that_breaks_the_packaging_rule(login, lina, ref):
    a = Qualification.objects.get(letter="A")
    client = login(lina)
    r = client.post(reverse("schemes:manage-scheme-create"), _scheme_post(a, A_CORE[:4] + A_ELECTIVE[:3]))
    assert r.status_code == 200
    assert 'id="refusal"' in r.text and "N.78SPS02.061.1" in r.text
    assert not Scheme.objects.filter(code="SK-KKNI-A/2026").exists()
    r = client.post(reverse("schemes:manage-scheme-create"), _scheme_post(a, A_CORE + A_ELECTIVE))
    assert r.status_code == 302
    scheme = Scheme.objects.get(code="SK-KKNI-A/2026")
    assert scheme.scheme_units.count() == 9 and scheme.required_documents.get().name == "Ijazah"
    assert [(x.kind, x.value) for x in scheme.requirements.all()] == [("min_education", "S1")]
    assert AuditEntry.objects.filter(action="scheme_created", object_id=str(scheme.pk)).exists()


def test_editing_a_scheme_without_applications_changes_it_in_place(login, lina, ref):
    scheme = Scheme.objects.get(code="SS-02/LSP-BPSDM DKI/2017")
    client = login(lina)
    r = client.get(reverse("schemes:manage-scheme-edit", args=[scheme.pk]))
    assert "N.821100.051.01" in r.text
    units = [su.unit.code for su in scheme.scheme_units.all()][:6]
    r = client.post(reverse("schemes:manage-scheme-edit", args=[scheme.pk]),
                    _scheme_post(None, units, kind="occupation", name="Pelayanan Prima"))
    assert r.status_code == 302
    scheme.refresh_from_db()
    assert scheme.version == 1 and scheme.scheme_units.count() == 6
    assert AuditEntry.objects.filter(action="scheme_updated").exists()


def test_the_lsp_admin_sets_yearly_surveillance_and_a_forged_choice_is_refused(login, lina, ref):
    scheme = Scheme.objects.get(code="SS-02/LSP-BPSDM DKI/2017")
    assert scheme.surveillance == Scheme.Surveillance.NONE
    client = login(lina)
    assert 'name="surveillance"' in client.get(reverse("schemes:manage-scheme-edit", args=[scheme.pk])).text
    units = [su.unit.code for su in scheme.scheme_units.all()][:6]
    url = reverse("schemes:manage-scheme-edit", args=[scheme.pk])
    r = client.post(url, _scheme_post(None, units, kind="occupation", name="Pelayanan Prima", surveillance="daily"))
    assert r.status_code == 200 and "daily" in r.text
    r = client.post(url, _scheme_post(None, units, kind="occupation", name="Pelayanan Prima", surveillance="yearly"))
    assert r.status_code == 302
    scheme.refresh_from_db()
    assert scheme.surveillance == Scheme.Surveillance.YEARLY


def test_editing_a_scheme_with_applications_creates_a_new_version(login, lina, ref):
    from tests.applicants.factories import ApplicationFactory

    scheme = Scheme.objects.get(code="SS-02/LSP-BPSDM DKI/2017")
    app = ApplicationFactory(scheme=scheme)
    units = [su.unit.code for su in scheme.scheme_units.all()]
    r = login(lina).post(reverse("schemes:manage-scheme-edit", args=[scheme.pk]),
                         _scheme_post(None, units, kind="occupation", name="Pelayanan Prima 2026"))
    assert r.status_code == 302
    new = Scheme.objects.get(code=scheme.code, version=2)
    assert new.is_current and new.previous_version == scheme and new.name == "Pelayanan Prima 2026"
    scheme.refresh_from_db()
    assert not scheme.is_current and scheme.name == "Pelayanan Prima"
    app.refresh_from_db()
    assert app.scheme_id == scheme.pk


def test_skkni_upload_review_and_confirm(login, lina, django_capture_on_commit_callbacks):
    client = login(lina)
    pdf = SimpleUploadedFile("skkni.pdf", SKKNI_PDF.read_bytes(), content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):  # the reading job runs (eagerly) after the commit
        r = client.post(reverse("schemes:manage-skkni-upload"), {"file": pdf})
    assert r.status_code == 302
    r = client.get(r.url)
    assert "J.63OPR00.017.2" in r.text and "J.63OPR00.017.1" in r.text  # the version warning
    assert Unit.objects.count() == 0
    job = models.ImportJob.objects.get()
    # the decree as published links to web pages: the links are taken out of the kept file, said and recorded
    assert "8 tautan ke alamat web dihapus dari PDF" in r.text
    with job.file.open("rb") as kept:
        assert pdf_active_content(kept.read()) is None
    assert "(8 tautan ke alamat web dihapus dari PDF)" in AuditEntry.objects.get(action__endswith="uploaded").note
    r = client.post(reverse("schemes:manage-import-action", args=[job.public_id, "applied"]))
    assert r.status_code == 302 and Unit.objects.count() == 17
    assert AuditEntry.objects.filter(action="skkni_imported", actor=lina).exists()


def test_skkni_upload_refuses_a_file_that_is_not_a_decree(login, lina, django_capture_on_commit_callbacks):
    bad = SimpleUploadedFile("x.txt", b"bukan keputusan menteri", content_type="text/plain")
    client = login(lina)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("schemes:manage-skkni-upload"), {"file": bad})
    r = client.get(r.url)
    # The text is stored and read in the background: the job fails with the reason, nothing is written.
    assert r.status_code == 200 and "SKKNI" in r.text and Unit.objects.count() == 0


def test_unit_editor_saves_elements_and_kuk(login, lina):
    r = login(lina).post(reverse("schemes:manage-unit-create"), {
        "code": "J.63OPR00.001.2", "title": "Menggunakan Perangkat Komputer",
        "elements": "Menyalakan komputer\nKomputer dinyalakan\nLayar diperiksa\n\nMematikan komputer\nData disimpan"})
    assert r.status_code == 302
    unit = Unit.objects.get(code="J.63OPR00.001.2")
    assert [e.title for e in unit.elements.all()] == ["Menyalakan komputer", "Mematikan komputer"]
    assert [c.text for c in unit.elements.first().criteria.all()] == ["Komputer dinyalakan", "Layar diperiksa"]
    assert AuditEntry.objects.filter(action="unit_created").exists()
    r = login(lina).post(reverse("schemes:manage-unit-create"), {"code": "bukan kode", "title": "x"})
    assert r.status_code == 200 and Unit.objects.count() == 1


def test_test_site_and_qualification_editors(login, lina, tono):
    client = login(lina)
    r = client.post(reverse("schemes:manage-test-site-create"), {
        "registration_number": "TUK-01", "name": "TUK Balai Kota", "kind": "sewaktu", "address": "Jl. Merdeka",
        "head": tono.pk, "is_active": "on"})
    assert r.status_code == 302 and models.TestSite.objects.get().head == tono
    r = client.post(reverse("schemes:manage-qualification-create"), {
        "decree": "", "letter": "A", "title": "Q", "level": 3, "total_required": 2, "core_required": 1,
        "elective_required": 1, "core": "X.11ABC00.001.1 | Satu |", "elective": ""})
    assert r.status_code == 200  # a decree is required
    site = models.TestSite.objects.get()
    r = client.post(reverse("schemes:manage-test-site-edit", args=[site.pk]), {
        "registration_number": "TUK-01", "name": "TUK Balai Kota Baru", "kind": "sewaktu", "is_active": "on"})
    assert r.status_code == 302
    assert AuditEntry.objects.filter(action="test_site_updated").count() == 1


def test_service_standard_is_editable_by_the_lsp_admin(client, login, lina, ref):
    standard = ServiceStandard.objects.get()
    items = list(standard.items.all())
    data = {"title": standard.title, "service_name": standard.service_name, "is_published": "on",
            "maklumat": "Kami berjanji melayani dengan sepenuh hati.",
            "item-TOTAL_FORMS": str(len(items)), "item-INITIAL_FORMS": str(len(items)),
            "item-MIN_NUM_FORMS": "0", "item-MAX_NUM_FORMS": "1000"}
    for n, i in enumerate(items):
        data.update({f"item-{n}-id": i.pk, f"item-{n}-component": i.component, f"item-{n}-intro": i.intro,
                     f"item-{n}-points": "\n".join(i.points)})
    data["item-10-intro"] = "Minimal 3 orang"
    r = login(lina).post(reverse("schemes:manage-service-standard"), data)
    assert r.status_code == 302
    page = client.get(reverse("schemes:service-standard")).text
    assert "Kami berjanji melayani dengan sepenuh hati." in page and "Minimal 3 orang" in page
    assert AuditEntry.objects.filter(action="service_standard_updated", actor=lina).exists()


def test_admin_lists_run_a_constant_number_of_queries(login, lina, django_assert_max_num_queries):
    client = login(lina)
    for _ in range(5):
        SchemeFactory()
        UnitFactory()
        SiteFactory()
    counts = {}
    for name in ("manage-schemes", "manage-units", "manage-test-sites"):
        with django_assert_max_num_queries(30) as q:
            client.get(reverse(f"schemes:{name}"))
        counts[name] = len(q.captured_queries)
    for _ in range(55):
        SchemeFactory()
        UnitFactory()
        SiteFactory()
    for name, n in counts.items():
        with django_assert_max_num_queries(n):
            client.get(reverse(f"schemes:{name}"))


def test_import_irregularities_are_listed_for_the_lsp_admin(login, lina, ref):
    r = login(lina).get(reverse("schemes:manage-qualifications"))
    assert "N.78SPS02.084.2" in r.text and "3/2021" in r.text


def test_a_refused_scheme_is_shown_on_the_form_with_everything_typed(login, lina, ref):
    """A refusal without a list of reasons (issue 13): on the form, nothing typed is lost, nothing saved."""
    scheme = Scheme.objects.get(code="SS-02/LSP-BPSDM DKI/2017")
    units = [su.unit.code for su in scheme.scheme_units.all()][:6]
    r = login(lina).post(reverse("schemes:manage-scheme-create"), _scheme_post(
        None, units, kind="occupation", code=scheme.code, name="Pelayanan Prima Baru"))
    assert r.status_code == 200 and 'id="form-refusal"' in r.text and scheme.code in r.text
    assert 'value="Pelayanan Prima Baru"' in r.text and "Ijazah" in r.text
    assert not Scheme.objects.filter(name="Pelayanan Prima Baru").exists()


def test_a_test_site_carries_its_type_and_its_verification_by_the_lsp(login, lina, tono):
    client = login(lina)
    data = {"registration_number": "TUK-02", "name": "TUK Kantor Walikota", "kind": "tempat_kerja",
            "verified_on": "2026-11-02", "licence_valid_until": "2026-10-01", "head": tono.pk, "is_active": "on"}
    page = client.post(reverse("schemes:manage-test-site-create"), data).content.decode()
    assert "Verifikasi berlaku sampai tanggal setelah verifikasi dilakukan." in page
    assert not models.TestSite.objects.exists()
    r = client.post(reverse("schemes:manage-test-site-create"), {**data, "licence_valid_until": "2027-11-01"})
    assert r.status_code == 302
    listing = client.get(reverse("schemes:manage-test-sites")).content.decode()
    assert "TUK Tempat Kerja (di tempat kerja)" in listing and "2 November 2026 – 1 November 2027" in listing
    bad = client.post(reverse("schemes:manage-test-site-create"), {**data, "registration_number": "TUK-03",
                                                                   "kind": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in bad and models.TestSite.objects.count() == 1
