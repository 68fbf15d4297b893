"""Issue 20: the PDFs the portal writes carry a title, the reader's language and tags (WeasyPrint ``pdf_tags``)."""

import io

import pytest
from pypdf import PdfReader

from .helpers import submitted_application

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "title"), [("id", "FR.APL.01. PERMOHONAN"), ("en", "FR.APL.01. APPLICATION")])
def test_the_application_form_pdf_has_a_title_its_language_and_tags(alice_profile, scheme, login, language, title):
    app = submitted_application(alice_profile, scheme)
    response = login(alice_profile.user, language).get(f"/permohonan/{app.pk}/fr-apl-01.pdf")
    pdf = PdfReader(io.BytesIO(response.content))
    catalog = pdf.trailer["/Root"]
    assert pdf.metadata.title.startswith(title), pdf.metadata.title
    assert catalog["/Lang"] == language
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]

