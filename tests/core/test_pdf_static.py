"""The papers load their own fonts under production's static storage as they do in development.

In production ``{% static %}`` names the hashed copy that ``collectstatic`` wrote (the manifest storage:
``fonts/DejaVuSans.4cc160d1da14.ttf``), which no static finder knows. Before, every paper printed there (certificates,
letters, minutes) fell back to whatever sans-serif font the host had, and the worker logged "Font-face 'Portal Sans'
cannot be loaded" for each (the production smoke test, tests/deploy, checks the worker's log for it)."""

import io
import logging

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.management import call_command
from django.templatetags.static import static
from pypdf import PdfReader

from certportal import pdf

PAPER = ('<html lang="id"><head><meta charset="utf-8"><title>Sertifikat</title></head>'
         "<body><h1>Sertifikat Kompetensi</h1><p><b>Andi Saputra</b>, Analis Kebijakan</p></body></html>")


@pytest.fixture
def collected(settings, tmp_path):
    """Static files collected as in production: hashed names and their manifest, nothing else on the host."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    call_command("collectstatic", "--noinput", "-v0")
    pdf.pdf_teardown()
    pdf._static_cache.clear()  # noqa: SLF001 (read once per process: this test changes where they are)
    yield settings.STATIC_ROOT
    pdf.pdf_teardown()
    pdf._static_cache.clear()  # noqa: SLF001


def _fonts(data: bytes) -> set[str]:
    """The names of the fonts a PDF embeds (WeasyPrint names a font loaded by ``@font-face`` after its family)."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_a_paper_printed_under_the_manifest_storage_is_set_in_its_own_fonts(collected, caplog):
    hashed = static("fonts/DejaVuSans.ttf")
    assert hashed.startswith("/static/fonts/DejaVuSans.") and hashed != "/static/fonts/DejaVuSans.ttf"
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = pdf.html_to_pdf(PAPER)
    assert [r.getMessage() for r in caplog.records if "cannot be loaded" in r.getMessage()] == []
    assert "Sertifikat Kompetensi" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert _fonts(data) == {"Portal-Sans", "Portal-Sans-Bold"}  # the shipped DejaVu, not the host's (DejaVuSans)
    assert pdf._static_bytes(hashed)[0] == (collected / hashed.removeprefix("/static/")).read_bytes()  # noqa: SLF001


@pytest.mark.parametrize("url", ["/static/../../../../etc/passwd", "/static/fonts/../../../settings.py",
                                 "/static/fonts/missing.4cc160d1da14.ttf"])
def test_nothing_outside_the_static_files_is_read_into_a_paper(collected, url):
    with pytest.raises((ValueError, SuspiciousFileOperation)):
        pdf._static_bytes(url)  # noqa: SLF001
