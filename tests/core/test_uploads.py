"""Uploads are judged by their content, stored under the extension of what they are, and served so nothing runs."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from certportal.files import RandomPath, private_file_response, private_storage, validate_upload
from tests import hostile_files as hostile

BEACON = "http://127.0.0.1:9/beacon/"


@pytest.mark.parametrize(("name", "data", "what"), hostile.refused(BEACON), ids=lambda v: v if isinstance(v, str)
                         and " " in v else None)
def test_every_hostile_kind_is_refused_with_its_name_in_the_message(name, data, what):
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile(name, data))
    assert name in refused.value.messages[0], what


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("ijazah.html", hostile.real_pdf(), "pdf"),
    ("foto.svg", hostile.real_png(), "png"),
    ("foto.exe", hostile.real_jpeg(), "jpeg"),
])
def test_real_files_are_accepted_whatever_their_name(name, data, kind):
    assert validate_upload(SimpleUploadedFile(name, data)) == kind


def test_a_slot_that_takes_only_pdf_refuses_a_real_image():
    with pytest.raises(ValidationError, match="PDF"):
        validate_upload(SimpleUploadedFile("foto.pdf", hostile.real_png()), ("pdf",))


def test_pdf_with_javascript_is_refused_in_indonesian_and_in_english():
    upload = SimpleUploadedFile("skp.pdf", hostile.pdf_with_javascript(BEACON))
    for language, words in (("id", "konten aktif"), ("en", "active content")):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            validate_upload(upload)
        with translation.override(language):
            assert words in refused.value.messages[0]


def test_password_protected_pdf_is_refused_with_a_reason():
    import io

    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(hostile.real_pdf())) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user="rahasia", owner="rahasia"))
    with translation.override("en"), pytest.raises(ValidationError, match="password"):
        validate_upload(SimpleUploadedFile("sk.pdf", out.getvalue()))


def test_an_ordinary_pdf_with_links_inside_the_file_and_an_open_at_page_one_is_accepted():
    """Decided: links and bookmarks to a page of the same file, and an /OpenAction that is a destination, stay."""
    upload = SimpleUploadedFile("sk.pdf", hostile.ordinary_pdf_with_internal_links())
    assert validate_upload(upload) == "pdf"


@pytest.mark.parametrize(("build", "words"), [
    (hostile.pdf_opening_a_network_share, ("tautan ke berkas lain atau folder jaringan",
                                           "a link to another file or a network share")),
    (lambda: hostile.pdf_with_web_link(BEACON), ("tautan ke alamat web", "a link to a web address")),
    (hostile.pdf_with_javascript_link, ("skrip", "a script")),
    (hostile.pdf_with_named_action, ("perintah kepada pembaca PDF", "a command to the PDF reader")),
    (hostile.pdf_with_open_action_going_to_a_page, ("berjalan sendiri saat berkas dibuka",
                                                    "runs by itself when the file opens")),
    (hostile.pdf_with_action_in_an_object_stream, ("tautan ke berkas lain atau folder jaringan",
                                                   "a link to another file or a network share")),
])
def test_an_outward_or_automatic_action_is_refused_saying_what_was_found_in_both_languages(build, words):
    upload = SimpleUploadedFile("berkas.pdf", build())
    for language, expected in zip(("id", "en"), words, strict=True):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            validate_upload(upload)
        with translation.override(language):
            assert expected in refused.value.messages[0] and "berkas.pdf" in refused.value.messages[0]


def test_stored_name_ends_with_the_sniffed_kind_not_the_uploaders():
    class Row:
        kind = "pdf"

    path = RandomPath("applicants")(Row(), "cv.html")
    assert path.endswith(".pdf") and "cv" not in path
    Row.kind = "png"
    assert RandomPath("x")(Row(), "foto.svg").endswith(".png")
    Row.kind = ""
    assert RandomPath("x")(Row(), "evil.html").endswith(".bin")


class Stored:
    """A stored file as a FileField gives it (``open``), written straight to storage as old uploads were."""

    def __init__(self, name, data):
        self.name = private_storage.save(name, ContentFile(data))

    def open(self, mode="rb"):
        return private_storage.open(self.name, mode)


def _csp(response, rf):
    """The header the site's CSP middleware writes on this response."""
    from csp.middleware import CSPMiddleware

    request = rf.get("/")
    middleware = CSPMiddleware(lambda r: response)
    middleware.process_request(request)
    return middleware.process_response(request, response)["Content-Security-Policy"]


def test_pdf_is_served_inline_as_pdf_under_the_site_policy_plus_sandbox(rf):
    response = private_file_response(Stored("t/a.pdf", hostile.real_pdf()), "Ijazah saya.html")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "Ijazah saya.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = _csp(response, rf)
    assert "default-src 'self'" in policy and "object-src 'none'" in policy and "form-action 'self'" in policy
    assert "frame-ancestors 'self'" in policy and "sandbox" in policy
    assert "'none'" not in policy.split("frame-ancestors")[1].split(";")[0]


def test_image_is_served_inline_with_its_real_type(rf):
    response = private_file_response(Stored("t/a.png", hostile.real_png()), "foto.svg")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert "foto.png" in response["Content-Disposition"]


@pytest.mark.parametrize(("stored_as", "data"), [
    ("old/cv.html", hostile.html_page(BEACON)),
    ("old/logo.svg", hostile.svg_with_script(BEACON)),
    ("old/sk.pdf", hostile.polyglot_pdf_html(BEACON)),
])
def test_a_hostile_file_stored_before_the_checks_is_only_ever_an_opaque_download(stored_as, data, rf):
    response = private_file_response(Stored(stored_as, data), stored_as.rsplit("/", 1)[1])
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert ".bin" in response["Content-Disposition"]
    assert "sandbox" in _csp(response, rf)


@override_settings(MAX_UPLOAD_MB=1)
def test_size_limit_comes_first():
    with pytest.raises(ValidationError, match="MB"):
        validate_upload(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024)))


@pytest.mark.django_db
def test_check_uploads_lists_a_hostile_file_stored_before_the_checks(alice):
    from io import StringIO

    from django.core.management import call_command

    from applicants.models import DocumentFile
    from tests.applicants.factories import ApplicationFactory, add_documents, scheme_with_parts

    app = ApplicationFactory(applicant=alice, scheme=scheme_with_parts(units=1, elements=1, documents=2))
    old, fine = add_documents(app)
    bad = DocumentFile.objects.create(document=old, file=private_storage.save(
        "applicants/old/cv.html", ContentFile(hostile.html_page(BEACON))), original_name="cv.html", kind="pdf", size=1)
    DocumentFile.objects.create(document=fine, file=private_storage.save(
        "applicants/ok/a.pdf", ContentFile(hostile.real_pdf())), original_name="a.pdf", kind="pdf", size=1)
    out = StringIO()
    with translation.override("en"):
        call_command("check_uploads", stdout=out)
    assert f"applicants.DocumentFile #{bad.pk}:" in out.getvalue()
    assert "1 stored upload(s) would be refused today." in out.getvalue()


def test_a_published_documents_web_links_are_removed_and_counted_while_anything_else_active_is_refused():
    """A decree taken from the ministry's site (read_document_upload) keeps its text and loses its links to web
    addresses, counted; a dossier upload of the same file is still refused; a link that opens a network share, a
    web address opened by itself and a script stay refused in a decree too."""
    from certportal.files import pdf_active_content, read_document_upload

    linked = hostile.pdf_with_web_link("https://example.org/")
    assert pdf_active_content(linked) == "/URI"
    kind, kept, removed = read_document_upload(SimpleUploadedFile("keputusan.pdf", linked))
    assert (kind, removed) == ("pdf", 1) and pdf_active_content(kept) is None and kept.startswith(b"%PDF-")
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("scan.pdf", linked))
    ordinary = hostile.real_pdf()
    assert read_document_upload(SimpleUploadedFile("k.pdf", ordinary)) == ("pdf", ordinary, 0)
    for bad in (hostile.pdf_opening_a_network_share(), hostile.pdf_opening_a_web_address("https://example.org/"),
                hostile.pdf_with_javascript_link(), hostile.pdf_with_action_in_an_object_stream()):
        with pytest.raises(ValidationError):
            read_document_upload(SimpleUploadedFile("k.pdf", bad))


def test_a_decree_with_web_links_sent_again_a_second_later_is_the_same_file():
    """A double click on *Upload* that crossed a second gave two imports: the links were removed and the PDF written
    with a file identifier qpdf draws from the clock, so the second copy's digest differed. The C library reads the
    machine's clock (whole seconds), which no clock-fixing fixture reaches: the second copy is made once the
    machine's second has turned."""
    import time
    from pathlib import Path

    from certportal.files import strip_web_links

    decree = (Path(__file__).resolve().parents[2] / "fixtures" / "skkni"
              / "skkni_2018_056_pengoperasian_komputer.pdf").read_bytes()
    first, removed = strip_web_links(decree)
    sent = int(time.time())
    while int(time.time()) == sent:  # the next second on the machine's clock
        time.sleep(0.01)
    again, _ = strip_web_links(decree)
    assert removed == 8 and first != decree
    assert again == first
