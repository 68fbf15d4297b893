"""Read a PDF back the way a person sees it: its text, its QR code, and where every line of text sits on the page
(pypdfium2, the PDF engine of Chromium), for tests that hold official papers to their layout."""

from __future__ import annotations

import pypdfium2


def pdf_text(pdf: bytes) -> str:
    """The text of every page, whitespace collapsed."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in doc)
    finally:
        doc.close()


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
