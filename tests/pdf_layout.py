"""Read a PDF back the way a person sees it: its text, its fonts, its QR code, and where every run of text sits on
the page (pypdfium2, the PDF engine of Chromium), for tests that hold official papers to their layout: no text crosses
the frame drawn around the page (or, on a page without one, the printable margin), the visible e-signature box, or
another run of text; the e-signature box keeps inside the text's margins; no page after the first carries a
signature block alone, without the text it signs."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pypdfium2
import pypdfium2.raw as pdfium_c

PRINTABLE_MARGIN = 14.0  # points (5 mm) a printer may not reach, on a page without a frame
SLACK = 0.6  # points: runs that touch (kerning, a bold run after a regular one) do not count as crossing


def pdf_text(pdf: bytes) -> str:
    """The text of every page, whitespace collapsed."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in doc)
    finally:
        doc.close()


def embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts a PDF embeds, without their subset tag (WeasyPrint names a font loaded by
    ``@font-face`` after its family: ``Portal-Sans``, ``Portal-Sans-Bold``)."""
    from pypdf import PdfReader

    return {str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
            for page in PdfReader(io.BytesIO(pdf)).pages for font in page["/Resources"]["/Font"].values()}


def decode_qr(pdf: bytes, *, page: int = 0) -> str:
    import zxingcpp

    doc = pypdfium2.PdfDocument(pdf)
    try:
        image = doc[page].render(scale=3).to_pil()
    finally:
        doc.close()
    results = zxingcpp.read_barcodes(image)
    assert results, "no QR code found on the page"
    return results[0].text


@dataclass(frozen=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float
    text: str = ""

    def crosses(self, other: Box, slack: float = SLACK) -> bool:
        return (min(self.right, other.right) - max(self.left, other.left) > slack
                and min(self.top, other.top) - max(self.bottom, other.bottom) > slack)

    def inside(self, other: Box, slack: float = SLACK) -> bool:
        return (self.left >= other.left - slack and self.right <= other.right + slack
                and self.bottom >= other.bottom - slack and self.top <= other.top + slack)

    def __str__(self) -> str:
        return f"“{self.text.strip()[:60]}” at ({self.left:.0f}, {self.bottom:.0f})–({self.right:.0f}, {self.top:.0f})"


@dataclass
class Page:
    number: int  # from 1
    width: float
    height: float
    texts: list[Box]
    frame: Box | None  # the innermost frame drawn around the page, inside its line
    signatures: list[Box]
    rules: list[Box] = ()  # lines and boxes drawn across most of the text's width (a letterhead's rule, a table)

    @property
    def area(self) -> Box:
        """Where text may go: inside the frame, or inside the printable margin."""
        if self.frame is not None:
            return self.frame
        m = PRINTABLE_MARGIN
        return Box(m, m, self.width - m, self.height - m)


def _texts(page) -> list[Box]:
    textpage = page.get_textpage()
    boxes = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top)
        if text.strip():
            boxes.append(Box(left, bottom, right, top, text))
    return boxes


def _rules(page, width: float) -> list[Box]:
    """Drawn paths wider than half the page: they span the text's width (the letterhead's rule, a table's border)."""
    rules = []
    for obj in page.get_objects(max_depth=4):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            left, bottom, right, top = obj.get_bounds()
            if right - left > 0.5 * width:
                rules.append(Box(left, bottom, right, top, "rule"))
    return rules


def _frame(page, width: float, height: float) -> Box | None:
    """The smallest drawn path that surrounds most of the page (a certificate's inner gold line, a page border),
    less its line's width."""
    frames = []
    for obj in page.get_objects(max_depth=4):
        if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        left, bottom, right, top = obj.get_bounds()
        if right - left > 0.6 * width and top - bottom > 0.6 * height:
            frames.append(Box(left + 1.5, bottom + 1.5, right - 1.5, top - 1.5))
    return min(frames, key=lambda b: (b.right - b.left) * (b.top - b.bottom)) if frames else None


def _signatures(pdf: bytes) -> dict[int, list[Box]]:
    """Visible signature fields' boxes per page number."""
    import pikepdf

    found: dict[int, list[Box]] = {}
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            for annot in page.obj.get("/Annots", []):
                if annot.get("/FT") == "/Sig" or annot.get("/Parent", {}).get("/FT") == "/Sig":
                    x0, y0, x1, y1 = (float(v) for v in annot.Rect)
                    if x1 - x0 > 1 and y1 - y0 > 1:
                        found.setdefault(number, []).append(Box(min(x0, x1), min(y0, y1), max(x0, x1),
                                                                max(y0, y1), "e-signature"))
    return found


def pages(pdf: bytes) -> list[Page]:
    signatures = _signatures(pdf)
    doc = pypdfium2.PdfDocument(pdf)
    try:
        out = []
        for number, page in enumerate(doc, start=1):
            width, height = page.get_size()
            out.append(Page(number, width, height, _texts(page), _frame(page, width, height),
                            signatures.get(number, []), _rules(page, width)))
        return out
    finally:
        doc.close()


LONELY_FROM = 0.4  # a page whose every run of text starts right of this fraction of its width holds a signature alone


def lonely_pages(pdf: bytes, *, name: str = "", laid: list[Page] | None = None) -> list[str]:
    """Pages after the first holding nothing but a signature block (every run of text in the right part of the
    page, where the signatory signs) or an e-signature box without text: the text it signs is on another page."""
    problems = []
    for page in (laid or pages(pdf))[1:]:
        alone = all(box.left >= page.width * LONELY_FROM for box in page.texts)
        if alone and (page.texts or page.signatures):
            what = "; ".join(box.text.strip() for box in page.texts[:4]) or "the e-signature box"
            problems.append(f"{name} page {page.number}: a signature block alone on the page ({what})")
    return problems


def margin_problems(pdf: bytes, *, name: str = "", laid: list[Page] | None = None) -> list[str]:
    """Each e-signature box inside the margins the text keeps (the leftmost and rightmost run of text, or line drawn
    across the text's width, over the document; the printable margin too), so the stamp does not run past the
    right margin of the page it is on."""
    laid = laid or pages(pdf)
    texts = [box for page in laid for box in (*page.texts, *page.rules)]
    if not texts:
        return []
    left, right = min(b.left for b in texts), max(b.right for b in texts)
    problems = []
    for page in laid:
        for signature in page.signatures:
            if signature.left < left - SLACK or signature.right > right + SLACK or not signature.inside(page.area):
                problems.append(f"{name} page {page.number}: the e-signature box {signature} runs past the margins "
                                f"the text keeps ({left:.0f}–{right:.0f})")
    return problems


def layout_problems(pdf: bytes, *, name: str = "") -> list[str]:
    """Every run of text that crosses the page's frame (or printable margin), a signature box, or another run; an
    e-signature box past the text's margins; a signature block alone on a page."""
    laid = pages(pdf)
    problems = margin_problems(pdf, name=name, laid=laid) + lonely_pages(pdf, name=name, laid=laid)
    for page in laid:
        where = f"{name} page {page.number}"
        for box in page.texts:
            if not box.inside(page.area):
                problems.append(f"{where}: {box} crosses the frame {page.area}")
            for signature in page.signatures:
                if box.crosses(signature):
                    problems.append(f"{where}: {box} is under the e-signature box {signature}")
        for i, box in enumerate(page.texts):
            for other in page.texts[i + 1:]:
                if box.crosses(other):
                    problems.append(f"{where}: {box} overlaps {other}")
    return problems


def page_count(pdf: bytes) -> int:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()
