"""The dossier upload keeps the uploader's name as data only and stores what the file really is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applicants.models import DocumentFile
from tests import hostile_files as hostile

from .factories import ApplicationFactory, add_documents, scheme_with_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(alice):
    app = ApplicationFactory(applicant=alice, scheme=scheme_with_parts(units=1, elements=1, documents=1))
    return app, add_documents(app)[0]


def _upload(client, app, doc, name, data):
    return client.post(reverse("applicants:upload", args=[app.pk, doc.pk]),
                       {"file": SimpleUploadedFile(name, data)}, follow=True)


def test_a_real_pdf_named_html_is_stored_and_served_as_a_pdf(login, alice, victor, draft):
    app, doc = draft
    _upload(login(alice), app, doc, "ijazah.html", hostile.real_pdf())
    stored = DocumentFile.objects.get(document=doc)
    assert stored.original_name == "ijazah.html" and stored.kind == "pdf"
    assert stored.file.name.endswith(".pdf") and "ijazah" not in stored.file.name
    response = login(victor).get(reverse("applicants:file", args=[stored.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="ijazah.pdf"'
    assert "sandbox" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]  # the site policy, not a replacement


def test_a_pdf_with_javascript_is_refused_and_nothing_is_stored(login, alice, draft):
    app, doc = draft
    response = _upload(login(alice), app, doc, "skp.pdf", hostile.pdf_with_javascript("http://127.0.0.1:9/"))
    assert "“skp.pdf” contains active content" in response.content.decode()
    assert not DocumentFile.objects.filter(document=doc).exists()


def test_a_polyglot_is_refused(login, alice, draft):
    app, doc = draft
    response = _upload(login(alice), app, doc, "sk.html", hostile.polyglot_pdf_html("http://127.0.0.1:9/"))
    assert "its content was checked" in response.content.decode()
    assert not DocumentFile.objects.filter(document=doc).exists()
