"""Rendering: the QR code, the certificate's two layers (scheme background cached per process, holder page on
top), result letters, and many documents as ONE PDF; chunks rendered elsewhere are merged with pikepdf."""

from __future__ import annotations

import datetime
import functools
import io

from assessments.certificates.models import Certificate, PrintJob, ResultLetter
from assessments.certificates.services.bnsp import bare_number
from assessments.certificates.services.verification import verification_url
from assessments.events.models import Pleno
from certportal.lsp.services import letterhead, profile_snapshot
from certportal.pdf import html_to_pdf, render_html


def qr_data_uri(url: str) -> str:
    import segno

    # One pixel per module, drawn without smoothing (image-rendering: pixelated): small to embed, sharp to scan.
    # A fixed mask and no error-level boosting: any mask scans; evaluating all eight was most of the QR's cost.
    return segno.make(url, error="m", mask=0, boost_error=False, micro=False).png_data_uri(scale=1, border=2)


def certificate_context(cert: Certificate, *, photo: str = "") -> dict:
    lsp = letterhead(cert.snapshot.get("lsp"))
    return {"cert": cert, "snap": cert.snapshot, "qr": qr_data_uri(verification_url(cert)),
            "verify_url": verification_url(cert), "lsp": lsp, "lsp_name": lsp["name"], "photo": photo,
            # frozen in the snapshot at issue (no query per certificate when a whole event is printed)
            "replaces_number": cert.snapshot.get("replaces") or (cert.replaces.number if cert.replaces_id else ""),
            "first_issued_on": _date_or_none(cert.snapshot.get("first_issued_on")),
            # the decree of the pleno that decided (frozen at issue; absent when decided without a pleno)
            "decree_date": _date_or_none(cert.snapshot.get("decree_date")),
            # recorded after issue from BNSP's answer (assessments.certificates.services.bnsp), printed once known
            "bnsp_registration_number": bare_number(cert.bnsp_registration_number),
            "blanko_number": bare_number(cert.blanko_number)}


def _date_or_none(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


CERTIFICATE_BACKGROUND = "assessments/pdf/certificate_background.html"
CERTIFICATE_HOLDER = "assessments/pdf/certificate_holder.html"
CERTIFICATE_CSS = "assessments/pdf/certificate.css"
BACKGROUND_CACHE_SIZE = 64


def background_html(cert: Certificate) -> str:
    """The scheme's layer of ``cert``: the same for every holder of the scheme (and of the same template,
    language, LSP profile frozen at issue and unit list), so its rendered PDF is shared (see
    :func:`certificates_pdf`). Its first page is the front's background, the next ones list the units."""
    snap = cert.snapshot
    units = [{"code": u["code"], "title": u["title"], "title_en": u.get("title_en", "")}
             for u in snap.get("units", [])]
    return render_html(CERTIFICATE_BACKGROUND, {
        "lsp": letterhead(snap.get("lsp")), "scheme_name": cert.scheme_name, "scheme_code": cert.scheme_code,
        "qualification": snap.get("qualification", ""), "validity_years": snap.get("validity_years", ""),
        "units": units}, language="id")


class _Backgrounds:
    """Per-process cache of rendered scheme layers, keyed by a hash of their HTML (a changed template, unit
    list or LSP name is a new key, never a stale page), least recently used dropped first."""

    def __init__(self, size: int):
        import collections
        import threading

        self.size, self.pdfs, self.lock = size, collections.OrderedDict(), threading.Lock()

    def get(self, html: str) -> bytes:
        import hashlib

        key = hashlib.sha256(html.encode()).hexdigest()
        with self.lock:
            pdf = self.pdfs.get(key)
            if pdf is not None:
                self.pdfs.move_to_end(key)
                return pdf
        pdf = html_to_pdf(html, stylesheet=CERTIFICATE_CSS)
        with self.lock:
            self.pdfs[key] = pdf
            while len(self.pdfs) > self.size:
                self.pdfs.popitem(last=False)
        return pdf

    def clear(self) -> None:
        with self.lock:
            self.pdfs.clear()


backgrounds = _Backgrounds(BACKGROUND_CACHE_SIZE)


def certificates_pdf(certs) -> bytes:
    """Certificates as ONE document: for each, the holder's page drawn over its scheme's background page
    (and the background's unit pages after it when the units are listed overleaf).

    The layout is WeasyPrint's, in two layers at fixed positions (``certificate.css``). The holder layers of
    all ``certs`` are one HTML document rendered in one pass; each scheme's layer is rendered once per
    process (:data:`backgrounds`) and put under the holder pages with pikepdf as one shared Form XObject, so
    a certificate costs about one small WeasyPrint page however long the unit list, and a batch PDF carries
    each scheme's drawing once. All text stays real text; the fonts of both layers are embedded.
    """
    import pikepdf

    certs = list(certs)
    photos = holder_photos(certs)
    contexts = [certificate_context(c, photo=photos.get(c.snapshot.get("photo_file"), "")) for c in certs]
    holders = html_to_pdf(render_html(CERTIFICATE_HOLDER, {"certs": contexts}, language="id"),
                          stylesheet=CERTIFICATE_CSS)
    if not certs:
        return holders
    out = pikepdf.open(io.BytesIO(holders))
    imported: dict[bytes, tuple] = {}  # background PDF -> (its first page as a form in ``out``, its later pages)
    holder_pages = list(out.pages)
    position = 0
    for cert, page in zip(certs, holder_pages, strict=True):
        background = backgrounds.get(background_html(cert))
        if background not in imported:
            source = pikepdf.open(io.BytesIO(background))
            imported[background] = (out.copy_foreign(source.pages[0].as_form_xobject()),
                                    [out.copy_foreign(p.obj) for p in source.pages[1:]])
        form, overleaf = imported[background]
        page.add_underlay(form)
        position += 1
        for extra in overleaf:
            out.pages.insert(position, pikepdf.Page(extra))
            position += 1
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def certificate_pdf(cert: Certificate) -> bytes:
    return certificates_pdf([cert])


def holder_photos(certs) -> dict[int, str]:
    """The holders' photos frozen at issue (the accepted dossier photo's file id in the snapshot), as data URIs
    keyed by file id: one query for a whole batch."""
    from applicants.models import DocumentFile

    ids = {c.snapshot.get("photo_file") for c in certs} - {None}
    return {f.pk: photo_data_uri(f) for f in DocumentFile.objects.filter(pk__in=ids)} if ids else {}


PHOTO_PIXELS = (354, 472)  # 3 x 4 cm at 300 dpi: sharp in print, small in the file


def photo_data_uri(stored) -> str:
    """A stored JPEG/PNG photo, scaled down to print size and re-encoded as JPEG (metadata dropped); "" if the
    file cannot be read as an image."""
    import base64

    from PIL import Image

    try:
        with stored.file.open("rb") as handle, Image.open(handle) as image:
            image = image.convert("RGB")
            image.thumbnail(PHOTO_PIXELS)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=88)
    except (OSError, ValueError, Image.DecompressionBombError):
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


def letters_html(letters) -> str:
    letters = list(letters)
    for letter in letters:
        letter.lsp = letterhead(letter.snapshot.get("lsp"))  # frozen at issue; older letters: today's profile
    return render_html("assessments/pdf/result_letter.html", {"letters": letters}, language="id")


def _letters_pdf(letters) -> bytes:
    return html_to_pdf(letters_html(letters))


def letter_pdf(letter: ResultLetter) -> bytes:
    return _letters_pdf([letter])


def decision_letter_html(pleno: Pleno) -> str:
    """The pleno's decision letter (Surat Keputusan): its decree number, day, members and decisions."""
    from assessments.events.services.pleno import decision_rows, member_names

    event = pleno.event
    return render_html("assessments/pdf/decision_letter.html", {
        "pleno": pleno, "event": event, "members": member_names(pleno), "rows": decision_rows(pleno),
        "lsp": letterhead()}, language="id")


def decision_letter_pdf(pleno: Pleno) -> bytes:
    return html_to_pdf(decision_letter_html(pleno))


# every template a certificate's two layers are drawn from (a changed one changes every certificate's kept paper)
CERTIFICATE_TEMPLATES = (CERTIFICATE_HOLDER, CERTIFICATE_BACKGROUND, "pdf/base.html", "pdf/_sign_space.html",
                         "assessments/pdf/_certificate_units.html")


@functools.lru_cache(maxsize=1)
def certificate_templates_source() -> str:
    from django.template.loader import get_template

    return "".join(get_template(name).template.source for name in CERTIFICATE_TEMPLATES)


def certificate_prints(cert: Certificate) -> str:
    """Everything ``cert``'s paper is drawn from, as text: every field of its row (the snapshot frozen at issue
    with the units, photo file and LSP profile, the BNSP numbers recorded later, the status), the LSP profile when
    none was frozen, the verification address of its QR code and the source of its templates. The key of its kept
    paper (:mod:`certportal.signing.papers`): read from the row, not drawn, so a later download costs no
    rendering at all."""
    import json

    row = {f.attname: getattr(cert, f.attname) for f in Certificate._meta.concrete_fields}
    lsp = cert.snapshot.get("lsp") or profile_snapshot()
    return json.dumps({"row": row, "lsp": lsp, "verify": verification_url(cert)}, sort_keys=True, default=str) + \
        certificate_templates_source()


def merge_pdfs(parts: list[bytes]) -> bytes:
    """Concatenate PDFs in order (pikepdf/qpdf: objects shared within a part stay shared)."""
    import pikepdf

    out = pikepdf.new()
    for part in parts:
        out.pages.extend(pikepdf.open(io.BytesIO(part)).pages)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def render_chunk(kind: str, ids: list[int]) -> bytes:
    """Render a group of documents as ONE HTML document (page breaks between them) in one WeasyPrint pass."""
    if kind == PrintJob.Kind.CERTIFICATES:
        return certificates_pdf(Certificate.objects.filter(pk__in=ids).order_by("sequence"))
    return _letters_pdf(ResultLetter.objects.filter(pk__in=ids).order_by("number"))


def split_contiguous(ids: list[int], parts: int) -> list[list[int]]:
    """``ids`` in ``parts`` contiguous runs of (almost) equal length, order kept."""
    parts = max(1, min(parts, len(ids)))
    size, extra = divmod(len(ids), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(ids[start:end])
        start = end
    return out


def render_many(kind: str, ids: list[int], *, progress=None) -> bytes:
    """Render ``ids`` as ONE PDF in document order, in this process, as one HTML document in one pass.

    Parallel printing does not happen here: a print job cuts the event into chunks rendered by separate
    Celery tasks (any worker process) and merges them (see :mod:`.printing`); a pool of processes inside a
    prefork worker is not allowed ("daemonic processes are not allowed to have children").
    """
    pdf = render_chunk(kind, ids)
    if progress and ids:
        progress(len(ids))
    return pdf
