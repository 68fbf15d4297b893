"""The papers load their own fonts under production's static storage as they do in development.

In production ``{% static %}`` names the hashed copy that ``collectstatic`` wrote (the manifest storage:
``fonts/DejaVuSans.4cc160d1da14.ttf``), which no static finder knows. Before, every paper printed there (certificates,
letters, minutes) fell back to whatever sans-serif font the host had, and the worker logged "Font-face 'Portal Sans'
cannot be loaded" for each (the production smoke test, tests/deploy, checks the worker's log for it)."""

import io
import logging

import pytest
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.templatetags.static import static
from django.test import override_settings
from pypdf import PdfReader

from certportal import pdf
from tests.pdf_layout import embedded_fonts

PAPER = ('<html lang="id"><head><meta charset="utf-8"><title>Sertifikat</title></head>'
         "<body><h1>Sertifikat Kompetensi</h1><p><b>Andi Saputra</b>, Analis Kebijakan</p></body></html>")


def _production_static(root):
    """Static files collected as in production (hashed names and their manifest, nothing else on the host)."""
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    return override_settings(STATIC_ROOT=root, STORAGES=storages)


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """``collectstatic`` run once for the module's tests (about 2 s of manifest hashing), as in production."""
    root = tmp_path_factory.mktemp("static")
    with _production_static(root):
        call_command("collectstatic", "--noinput", "-v0")
    return root


@pytest.fixture
def production_static(collected):
    """The module's collected files under production's static storage; what the PDF module read before is
    forgotten (it reads each file once per process), before and after."""
    with _production_static(collected):
        _forget_static()
        yield collected
    _forget_static()


def _forget_static():
    pdf.pdf_teardown()
    pdf._static_cache.clear()  # noqa: SLF001 (read once per process: these tests change where they are)


def test_a_paper_printed_under_the_manifest_storage_is_set_in_its_own_fonts(production_static, caplog):
    hashed = static("fonts/DejaVuSans.ttf")
    assert hashed.startswith("/static/fonts/DejaVuSans.") and hashed != "/static/fonts/DejaVuSans.ttf"
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = pdf.html_to_pdf(PAPER)
    assert [r.getMessage() for r in caplog.records if "cannot be loaded" in r.getMessage()] == []
    assert "Sertifikat Kompetensi" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert embedded_fonts(data) == {"Portal-Sans", "Portal-Sans-Bold"}  # the shipped DejaVu, not the host's
    collected_copy = (production_static / hashed.removeprefix("/static/")).read_bytes()
    assert pdf._static_bytes(hashed)[0] == collected_copy  # noqa: SLF001


@pytest.mark.parametrize("url", ["/static/../../../../etc/passwd", "/static/fonts/../../../settings.py",
                                 "/static/fonts/missing.4cc160d1da14.ttf"])
def test_nothing_outside_the_static_files_is_read_into_a_paper(production_static, url):
    with pytest.raises((ValueError, SuspiciousFileOperation)):
        pdf._static_bytes(url)  # noqa: SLF001


def test_a_static_storage_without_local_paths_still_gives_the_paper_its_files():
    """An object store (or any storage whose files have no path on this host) is read through the storage."""
    font = (settings.BASE_DIR / "static" / "fonts" / "DejaVuSans.ttf").read_bytes()
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
            "BACKEND": "django.core.files.storage.InMemoryStorage"}}):
        from django.contrib.staticfiles.storage import staticfiles_storage

        staticfiles_storage.save("fonts/DejaVuSans.0123456789ab.ttf", ContentFile(font))
        _forget_static()
        try:
            assert pdf._static_bytes("/static/fonts/DejaVuSans.0123456789ab.ttf")[0] == font  # noqa: SLF001
            with pytest.raises(ValueError, match="not found"):
                pdf._static_bytes("/static/fonts/DejaVuSans.ba9876543210.ttf")  # noqa: SLF001
        finally:
            _forget_static()
