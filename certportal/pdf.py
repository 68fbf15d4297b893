"""PDF rendering with WeasyPrint from a template in ``templates/pdf/``.

Static files (fonts, logos, CSS) are loaded from disk through Django's static finders, never over HTTP;
fonts are the DejaVu files shipped in ``static/fonts`` so output is the same on every machine and the text
is real, extractable text with the fonts embedded.
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

STATIC_PREFIX = "/static/"


def _static_bytes(url: str) -> tuple[bytes, str]:
    import mimetypes

    path = url.split(STATIC_PREFIX, 1)[1] if STATIC_PREFIX in url else None
    if path is None:
        raise ValueError(f"Only static files may be loaded into PDFs: {url}")
    found = finders.find(path.split("?")[0])
    if not found:
        raise ValueError(f"Static file not found: {path}")
    with open(found, "rb") as fh:
        return fh.read(), mimetypes.guess_type(found)[0] or "application/octet-stream"


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


def render_pdf(template: str, context: dict, *, language: str | None = None) -> bytes:
    """Render ``template`` with ``context`` to PDF bytes (in ``language`` if given)."""
    from weasyprint import HTML

    if language:
        with translation.override(language):
            html = render_to_string(template, context)
    else:
        html = render_to_string(template, context)
    return HTML(string=html, base_url="http://pdf.invalid/", url_fetcher=_DjangoFetcher()).write_pdf()
