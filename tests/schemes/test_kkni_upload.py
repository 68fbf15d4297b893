"""Issue 16, item 6: the KKNI importer reports every unit code printed with different titles (with the
qualifications and titles), says which title the unit catalogue keeps, and is offered in the browser to the LSP admin
(upload → review → confirm) through the portal's safe upload checks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certportal.audit.models import AuditEntry
from schemes.models import Qualification, QualificationUnit, Unit

from .conftest import KKNI_FILE

pytestmark = pytest.mark.usefixtures("english")


def _variant(parsed: dict, code: str) -> dict:
    return next(v for v in parsed["title_variants"] if v["code"] == code)


def test_surveilan_and_surveilans_are_reported_with_their_qualifications(kkni_parsed):
    v = _variant(kkni_parsed, "M.74SPS03.141.1")
    assert v["kept"] == "Melakukan Surveilan Pemegang Sertifikat Kompetensi"
    assert v["titles"] == [
        {"title": "Melakukan Surveilan Pemegang Sertifikat Kompetensi", "qualifications": ["M"], "difference": ""},
        {"title": "Melakukan Surveilans Pemegang Sertifikat Kompetensi", "qualifications": ["N"],
         "difference": "wording"}]
    assert any(w.startswith("Unit M.74SPS03.141.1 is printed with different titles") and "keeps the first" in w
               for w in kkni_parsed["warnings"])


@pytest.mark.parametrize(("code", "difference"), [
    ("N.78SPS02.028.2", "letter case"),  # "Face To Face" / "Face to Face"
    ("M.74SPS03.115.1", "spacing"),  # "Mutu/ Jaminan" / "Mutu/Jaminan"
    ("N.78SPS02.031.2", "hyphenation"),  # "Pengorganisasi-an" / "Pengorganisasian"
    ("N.78SPS02.039.2", "wording"),  # "Bahan Pelatihan Kerja" / "Bahan Kerja"
])
def test_every_kind_of_title_difference_is_reported(kkni_parsed, code, difference):
    v = _variant(kkni_parsed, code)
    assert difference in [t["difference"] for t in v["titles"]]


def test_all_eighteen_codes_with_several_titles_are_reported(kkni_parsed):
    # Before issue 16 only the differences in wording were found (letter case was compared away).
    assert len(kkni_parsed["title_variants"]) == 18


def test_the_catalogue_keeps_the_first_title_and_each_listing_its_own(kkni):
    assert Unit.objects.get(code="M.74SPS03.141.1").title == "Melakukan Surveilan Pemegang Sertifikat Kompetensi"
    n = QualificationUnit.objects.get(qualification__letter="N", unit__code="M.74SPS03.141.1")
    assert n.title_as_printed == "Melakukan Surveilans Pemegang Sertifikat Kompetensi"


@pytest.fixture
def login_en(login):
    """A logged-in client that reads the pages in English (the portal's default is Indonesian)."""
    def make(user):
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
        return login(user)
    return make


_CAPTURE = []


@pytest.fixture(autouse=True)
def _jobs_run_after_commit(django_capture_on_commit_callbacks):
    """The reading job is handed over after the request's commit (eager here): run it."""
    _CAPTURE[:] = [django_capture_on_commit_callbacks]
    yield


def _upload(client, content: bytes, name="kepmenaker_3_2021.txt", **kwargs):
    with _CAPTURE[0](execute=True):
        return client.post(reverse("schemes:manage-kkni-upload"),
                           {"file": SimpleUploadedFile(name, content, content_type="text/plain")}, **kwargs)


def _job():
    from schemes.models import ImportJob

    return ImportJob.objects.get()


def _act(client, action: str, **kwargs):
    return client.post(reverse("schemes:manage-import-action", args=[_job().public_id, action]), **kwargs)


def test_lsp_admin_uploads_reviews_and_confirms_the_kkni_decree(login_en, lina):
    client = login_en(lina)
    page = client.get(reverse("schemes:manage-qualifications"))
    assert reverse("schemes:manage-kkni-upload") in page.text
    r = _upload(client, KKNI_FILE.read_bytes())
    assert r.status_code == 302
    r = client.get(_job().get_absolute_url())
    assert "Melakukan Surveilans Pemegang Sertifikat Kompetensi" in r.text
    assert "kept in the catalogue" in r.text and "Import 14 qualifications" in r.text
    assert Qualification.objects.count() == 0  # nothing written before the confirmation
    r = _act(client, "applied")
    assert r.status_code == 302 and Qualification.objects.count() == 14
    assert QualificationUnit.objects.count() == 372
    assert AuditEntry.objects.filter(action="kkni_imported", actor=lina).exists()


def test_cancel_writes_nothing(login_en, lina):
    client = login_en(lina)
    _upload(client, KKNI_FILE.read_bytes())
    r = _act(client, "discarded", follow=True)
    assert "nothing was written" in r.text and Qualification.objects.count() == 0


@pytest.mark.parametrize(("content", "message"), [
    (b"bukan keputusan menteri", "does not look like"),
    (b"<html><script>alert(1)</script></html>", "not a plain text file"),
    (b"\x00\x01binary", "not a plain text file"),
    (b"%PDF-1.4 broken", "not a real PDF file"),
])
def test_hostile_or_wrong_files_are_refused_with_the_reason(login_en, lina, content, message):
    client = login_en(lina)
    r = _upload(client, content)
    if r.status_code == 302:  # stored: its reading job ran after the commit
        r = client.get(r.url)
    # A forged or disguised file is refused on the upload form; a text that is no decree fails its reading job
    # with the reason (shown on the job's page). Either way nothing is written.
    assert r.status_code == 200 and message in r.text and Qualification.objects.count() == 0


def test_only_the_lsp_admin_may_import(login, alice, victor, client):
    for user in (alice, victor):
        assert _upload(login(user), KKNI_FILE.read_bytes()).status_code == 403
    r = client.get(reverse("schemes:manage-kkni-upload"))
    assert r.status_code == 302 and r.url.startswith(reverse("accounts:login"))
    assert Qualification.objects.count() == 0
