"""PDF rendering with WeasyPrint from a template in ``templates/pdf/``.

Static files (fonts, logos, CSS) are loaded from disk through Django's static finders, never over HTTP;
fonts are the DejaVu files shipped in ``static/fonts`` so output is the same on every machine and the text
is real, extractable text with the fonts embedded.
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

STATIC_PREFIX = "/static/"


def django_url_fetcher(url: str, *args, **kwargs):
    from weasyprint import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    path = url.split(STATIC_PREFIX, 1)[1] if STATIC_PREFIX in url else None
    if path is None:
        raise ValueError(f"Only static files may be loaded into PDFs: {url}")
    found = finders.find(path.split("?")[0])
    if not found:
        raise ValueError(f"Static file not found: {path}")
    with open(found, "rb") as fh:
        data = fh.read()
    import mimetypes

    return {"string": data, "mime_type": mimetypes.guess_type(found)[0] or "application/octet-stream"}


def render_pdf(template: str, context: dict, *, language: str | None = None) -> bytes:
    """Render ``template`` with ``context`` to PDF bytes (in ``language`` if given)."""
    from weasyprint import HTML

    if language:
        with translation.override(language):
            html = render_to_string(template, context)
    else:
        html = render_to_string(template, context)
    return HTML(string=html, base_url="http://pdf.invalid/", url_fetcher=django_url_fetcher).write_pdf()
