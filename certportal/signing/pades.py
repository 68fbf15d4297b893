"""PAdES signing with pyHanko: one signature over the whole file, with a visible block on the last page that names
the signer, the time in WIB and the reason. The key material comes from a backend (:mod:`.backends`)."""

from __future__ import annotations

import io
import unicodedata
import zoneinfo

from django.utils import timezone, translation

FIELD_NAME = "TandaTanganElektronik"
# The block goes in the signature space the document marks (:func:`signature_box`), at most this big (PDF points).
# A document without the mark gets it on its last page: on a portrait page (A4 595 x 842) bottom right, inside a
# printer's margin; on a landscape page (842 x 595) left of the centre, near the bottom. Measured on the page itself.
BOX_WIDTH, BOX_HEIGHT = 230, 46
PORTRAIT_MARGIN = (40, 30)  # from the right edge, from the bottom edge
LANDSCAPE_AT = (0.43, 52)  # left edge as a fraction of the width, from the bottom edge
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
STAMP_TEXT = ("Ditandatangani secara elektronik / Digitally signed\n%(signer)s\n%(when)s\n%(reason)s")


def _ascii(text: str) -> str:
    """The block is drawn in a PDF standard font (no font file to embed): letters with accents lose them."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def wib_time(moment=None) -> str:
    moment = (moment or timezone.now()).astimezone(WIB)
    from certportal.dates import wib

    with translation.override("id"):  # the long Indonesian date ("23 November 2026"), as on the documents
        return wib(moment)


MARK_START, MARK_END = "esign", "esign-end"  # named places at the signature space's corners (pdf/_sign_space.html)


def signature_box(pdf: bytes) -> tuple[int, tuple[int, int, int, int]]:
    """(page index, box) of the visible block: inside the signature space the document marks (its corners are the
    named destinations ``esign`` and ``esign-end``), centred and at most BOX_WIDTH x BOX_HEIGHT, so it never covers
    the signatory's name or NIP; a document without the mark gets the last page's corner (:func:`last_page_box`)."""
    return _marked_space(pdf) or last_page_box(pdf)


def _marked_space(pdf: bytes) -> tuple[int, tuple[int, int, int, int]] | None:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        names = doc.Root.get("/Names")
        if names is None or "/Dests" not in names:
            return None
        tree = pikepdf.NameTree(names.Dests)
        if MARK_START not in tree or MARK_END not in tree:
            return None
        start, end = tree[MARK_START], tree[MARK_END]
        start, end = start.get("/D", start), end.get("/D", end)  # a destination, or a dictionary holding one
        pages = [page.obj.objgen for page in doc.pages]
        if start[0].objgen != end[0].objgen or start[0].objgen not in pages:
            return None
        index = pages.index(start[0].objgen)
        left, top, right, bottom = float(start[2]), float(start[3]), float(end[2]), float(end[3])
    if right - left < 20 or top - bottom < 10:
        return None
    width, height = min(BOX_WIDTH, right - left), min(BOX_HEIGHT, top - bottom)
    x0, y0 = left + (right - left - width) / 2, bottom + (top - bottom - height) / 2
    return index, (round(x0), round(y0), round(x0 + width), round(y0 + height))


def last_page_box(pdf: bytes) -> tuple[int, tuple[int, int, int, int]]:
    """(index of the last page, the block's box on it), measured on the page itself (portrait or landscape)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        x0, y0, x1, y1 = (float(v) for v in doc.pages[-1].mediabox)
        index = len(doc.pages) - 1
    if x1 - x0 > y1 - y0:
        left, bottom = int(x0 + (x1 - x0) * LANDSCAPE_AT[0]), int(y0) + LANDSCAPE_AT[1]
    else:
        left, bottom = int(x1) - PORTRAIT_MARGIN[0] - BOX_WIDTH, int(y0) + PORTRAIT_MARGIN[1]
    return index, (left, bottom, left + BOX_WIDTH, bottom + BOX_HEIGHT)


def sign_with_signer(pdf: bytes, signer, *, signer_name: str, reason: str, location: str = "",
                     page: int | None = None, box: tuple[int, int, int, int] | None = None) -> bytes:
    """Sign ``pdf`` with a pyHanko ``Signer`` as PAdES baseline (B-B), visible block included."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    if page is None or box is None:
        page, box = signature_box(pdf)
    style = TextStampStyle(stamp_text=STAMP_TEXT, border_width=1, text_box_style=TextBoxStyle(font_size=7))
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, reason=reason, location=location or None,
                                        name=signer_name, subfilter=fields.SigSeedSubFilter.PADES)
    spec = fields.SigFieldSpec(FIELD_NAME, on_page=page, box=box)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec)
    params = {"signer": _ascii(signer_name)[:60], "when": wib_time(), "reason": _ascii(reason)[:70]}
    out = outside_event_loop(pdf_signer.sign_pdf, writer, appearance_text_params=params)
    return out.getvalue()


def outside_event_loop(function, *args, **kwargs):
    """Call ``function`` where pyHanko may start its own event loop (it calls ``asyncio.run``): directly, or in a
    worker thread when this thread already runs a loop (an async view, a test driving a browser)."""
    import asyncio
    import concurrent.futures

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()
