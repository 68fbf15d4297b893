"""PDF rendering with WeasyPrint from a template in ``templates/pdf/``.

Static files (fonts, logos, CSS) are loaded from disk through Django's static finders (in production, where
``{% static %}`` names the hashed copy, from what ``collectstatic`` wrote), never over HTTP; fonts are the DejaVu
files shipped in ``static/fonts`` so output is the same on every machine and the text is real, extractable text
with the fonts embedded (subset to the glyphs used).

What does not change between documents is set up once per process and reused by every render
(:func:`pdf_setup`): WeasyPrint's ``FontConfiguration`` (the ``@font-face`` fonts are read, registered with
fontconfig and loaded by Pango once, not on every render), the shared stylesheet ``templates/pdf/base.css``
parsed once into a ``CSS`` object, and the URL fetcher (static files read from disk once). Each document
template only adds its ``@page`` size and its own few rules.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import threading

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

STATIC_PREFIX = "/static/"
BASE_URL = "http://pdf.invalid/"
BASE_STYLESHEET = "pdf/base.css"

_static_cache: dict[str, tuple[bytes, str]] = {}


def _static_bytes(url: str) -> tuple[bytes, str]:
    import mimetypes

    path = url.split(STATIC_PREFIX, 1)[1] if STATIC_PREFIX in url else None
    if path is None:
        raise ValueError(f"Only static files may be loaded into PDFs: {url}")
    path = path.split("?")[0]
    cached = _static_cache.get(path)
    if cached is not None:
        return cached
    found = finders.find(path)
    data: bytes | None
    if found:
        with open(found, "rb") as fh:
            data = fh.read()
    else:
        data = _collected(path)
    if data is None:
        raise ValueError(f"Static file not found: {path}")
    result = data, mimetypes.guess_type(path)[0] or "application/octet-stream"
    _static_cache[path] = result  # static files do not change while the process runs
    return result


def _collected(path: str) -> bytes | None:
    """The file as ``collectstatic`` wrote it: in production ``{% static %}`` gives the hashed name of the manifest
    storage (``fonts/DejaVuSans.4cc160d1da14.ttf``), which no finder knows. It is read through the static storage
    (under ``STATIC_ROOT``, or wherever a storage without local paths keeps it). A name that leaves the storage is
    refused (None)."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.exceptions import SuspiciousFileOperation

    try:
        if not staticfiles_storage.exists(path):
            return None
        with staticfiles_storage.open(path, "rb") as fh:
            return fh.read()
    except SuspiciousFileOperation:
        return None


def django_url_fetcher(url: str, *args, **kwargs):
    """Function-style fetcher (older WeasyPrint): data: URLs and static files only."""
    if url.startswith("data:"):
        return _DjangoFetcher().fetch(url)
    data, mime = _static_bytes(url)
    return {"string": data, "mime_type": mime}


def _fetcher_class():
    # WeasyPrint >= 66 wants a URLFetcher instance returning URLFetcherResponse objects.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class DjangoFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            data, mime = _static_bytes(url)
            return URLFetcherResponse(url, body=data, headers={"Content-Type": mime})

    return DjangoFetcher


def _DjangoFetcher():  # noqa: N802 - a factory standing in for the class
    return _fetcher_class()()


class _Setup:
    """Per-process WeasyPrint state shared by all renders (see the module docstring)."""

    def __init__(self):
        from weasyprint.text.fonts import FontConfiguration

        self.pid = os.getpid()
        self.fetcher = _DjangoFetcher()
        self.font_config = FontConfiguration()
        atexit.register(self.close)
        self.stylesheets: dict[str, object] = {}
        self.base_css = self.stylesheet(BASE_STYLESHEET)

    def stylesheet(self, template: str):
        """The ``CSS`` object of a stylesheet template, parsed on first use and then reused."""
        css = self.stylesheets.get(template)
        if css is None:
            from weasyprint import CSS

            css = self.stylesheets[template] = CSS(
                string=render_to_string(template), base_url=BASE_URL, url_fetcher=self.fetcher,
                font_config=self.font_config)
        return css


    def close(self) -> None:
        """Remove the temporary font folder now (at exit the finaliser may run too late to do it)."""
        folder, self.font_config._folder = self.font_config._folder, None
        if folder and self.pid == os.getpid():
            shutil.rmtree(folder, ignore_errors=True)


_setup: _Setup | None = None
_setup_lock = threading.Lock()
_inherited: list[_Setup] = []


def pdf_setup() -> _Setup:
    """The process's shared WeasyPrint state, created on first use (and anew in a forked child)."""
    global _setup
    setup = _setup
    if setup is not None and setup.pid == os.getpid():
        return setup
    with _setup_lock:
        if _setup is not None and _setup.pid != os.getpid():
            _forget_inherited()
        if _setup is None:
            _setup = _Setup()
        return _setup


def _forget_inherited() -> None:
    """In a forked child: never reuse the parent's fontconfig/Pango state, and never let its finaliser
    delete the parent's temporary font folder."""
    global _setup
    if _setup is not None and _setup.pid != os.getpid():
        _setup.font_config._folder = None
        _inherited.append(_setup)  # keep it alive: the C objects are the parent's copy
        _setup = None


def pdf_teardown() -> None:
    """Drop the process's shared setup and its temporary font folder (a worker process about to end: pool
    workers exit without running ``atexit`` handlers)."""
    global _setup
    with _setup_lock:
        setup, _setup = _setup, None
    if setup is not None:
        setup.close()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_inherited)


def render_html(template: str, context: dict, *, language: str | None = None) -> str:
    if language:
        with translation.override(language):
            return render_to_string(template, context)
    return render_to_string(template, context)


_EMPTY_TITLE = re.compile(r"<title>\s*</title>")
_FIRST_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def with_title(html: str) -> str:
    """Give a document without a ``<title>`` of its own the text of its first heading as title (WeasyPrint writes
    it to the PDF's Title, which a screen reader announces instead of the file name)."""
    match = _FIRST_H1.search(html) if _EMPTY_TITLE.search(html) else None
    if match is None:
        return html
    title = " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())
    return _EMPTY_TITLE.sub(lambda _m: f"<title>{title}</title>", html, count=1)


def html_to_pdf(html: str, *, stylesheet: str | None = None) -> bytes:
    """Write ``html`` (a document extending ``pdf/base.html``) to PDF with the process's shared setup;
    ``stylesheet``: a CSS template applied after ``pdf/base.css`` (parsed once per process).

    The PDF is tagged (``pdf_tags``: headings, paragraphs and tables marked up for assistive technology), carries
    the document's language (``<html lang>``) and a title."""
    from weasyprint import HTML

    setup = pdf_setup()
    sheets = [setup.base_css] + ([setup.stylesheet(stylesheet)] if stylesheet else [])
    return HTML(string=with_title(html), base_url=BASE_URL, url_fetcher=setup.fetcher).write_pdf(
        stylesheets=sheets, font_config=setup.font_config, pdf_tags=True)


def render_pdf(template: str, context: dict, *, language: str | None = None, stylesheet: str | None = None) -> bytes:
    """Render ``template`` with ``context`` to PDF bytes (in ``language`` if given); see :func:`html_to_pdf`."""
    return html_to_pdf(render_html(template, context, language=language), stylesheet=stylesheet)


def pdf_response(data: bytes, filename: str, *, inline: bool = True):
    """A PDF for a signed-in reader: shown in the browser (or saved, ``inline=False``), never kept by a shared
    cache. Every official paper of the portal is served through this one helper."""
    from django.http import HttpResponse

    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
