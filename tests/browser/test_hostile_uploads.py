"""Not done until: no uploaded file ever runs in a staff member's browser.

Every hostile kind (HTML, SVG with script, polyglot PDF/HTML, PDFs with JavaScript, launch or embedded files, renamed
executables) is uploaded through the applicant wizard and the public complaint form. Each is refused with a clear
Indonesian message that names it, and the rest of the form stays. Real files with lying names are accepted; then the
verifier, the LSP admin and the complaint officer open every file they may see, directly and framed by the
verification screen. Each payload would set ``window.name``/``document.title`` to PWNED and call a beacon server the
test starts: the titles stay clean and the beacon stays silent.
"""

import http.server
import re
import threading

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from applicants.models import DocumentFile
from certportal.accounts.models import Role
from certportal.files import private_storage
from complaints.models import Attachment, Complaint
from tests import hostile_files as hostile
from tests.applicants.factories import ApplicationFactory, add_documents, scheme_with_parts
from tests.browser.conftest import ui_login, ui_logout
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE_PDF = {"skp.pdf", "skp2.pdf", "launch.pdf", "halaman.pdf", "lampiran.pdf", "share.pdf", "web.pdf", "jslink.pdf",
              "weblink.pdf", "named.pdf", "hide.pdf", "submit.pdf", "gotoe.pdf", "openaction.pdf", "objstm.pdf"}


class Beacon:
    """A stand-in HTTP server on a free port: every request a payload makes lands in ``hits``."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                if self.path == "/payload.html":  # the control page: the payload served with no protection
                    body = hostile.html_page(f"http://127.0.0.1:{self.server.server_port}/beacon/")
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    self.wfile.write(body)
                    return
                hits.append(self.path)
                self.send_response(204)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/beacon/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def beacon():
    b = Beacon()
    yield b
    b.close()


@pytest.fixture(autouse=True)
def _sla_reference(transactional_db):
    from certportal.sla import reference

    reference.load()


def _file(name, data):
    return {"name": name, "mimeType": "application/octet-stream", "buffer": data}


def _accepted():
    return [("ijazah.html", hostile.real_pdf(), "pdf"), ("foto.svg", hostile.real_png(), "png"),
            ("pas.exe", hostile.real_jpeg(), "jpeg")]


def test_the_payloads_and_the_beacon_are_live(page, beacon):
    """The witness works: the same payload, loaded as a web page of its own, does announce itself."""
    page.goto(beacon.url.replace("/beacon/", "/payload.html"))
    page.wait_for_function("document.title === 'PWNED'")
    assert page.evaluate("window.name") == "PWNED"
    page.wait_for_load_state("networkidle")  # the beacon's request made and answered
    assert any(hit.startswith("/beacon/") for hit in beacon.hits)


def _assert_nothing_ran(page, beacon, where):
    page.wait_for_load_state("networkidle")  # loaded, and any request a script made answered
    for frame in page.frames:
        if frame.url.startswith("chrome-extension:"):
            continue
        try:
            seen = frame.evaluate("[window.name, document.title]")
        except PlaywrightError:
            continue  # a frame the browser keeps to itself (its PDF viewer); its scripts are not ours to read
        assert "PWNED" not in seen, f"script ran in {frame.url} ({where})"
    assert beacon.hits == [], f"beacon called ({where}): {beacon.hits}"


def _open(page, url, beacon, where):
    """Open a file as a top-level page; an attachment becomes a download (it never renders)."""
    try:
        response = page.goto(url, wait_until="commit")
    except PlaywrightError as exc:  # "Download is starting"
        assert "Download" in str(exc), exc
        return None
    _assert_nothing_ran(page, beacon, where)
    return response


def _upload_in_wizard(page, app, documents, beacon):
    page.goto(f"/permohonan/{app.pk}/isi/dokumen/")
    first = documents[0]
    # one real file first, so "nothing lost" can be seen after each refusal
    page.set_input_files(f"#doc-{first.pk} input[type=file]", _file("ijazah.html", hostile.real_pdf()))
    page.click(f"#doc-{first.pk} button:has-text('Unggah')")
    expect(page.locator(f"#doc-{first.pk}")).to_contain_text("ijazah.html")
    target = documents[1]
    for name, data, what in hostile.refused(beacon.url):
        page.set_input_files(f"#doc-{target.pk} input[type=file]", _file(name, data))
        page.click(f"#doc-{target.pk} button:has-text('Unggah')")
        words = "konten aktif" if name in ACTIVE_PDF else "isinya yang diperiksa"
        expect(page.locator("main"), what).to_contain_text(f"“{name}”")
        expect(page.locator("main"), what).to_contain_text(words)
        expect(page.locator(f"#doc-{first.pk}")).to_contain_text("ijazah.html")  # nothing lost
        assert not DocumentFile.objects.filter(document=target).exists(), what
    for doc, (name, data, _kind) in zip(documents, _accepted(), strict=True):
        if doc is first:
            continue
        page.set_input_files(f"#doc-{doc.pk} input[type=file]", _file(name, data))
        page.click(f"#doc-{doc.pk} button:has-text('Unggah')")
        expect(page.locator(f"#doc-{doc.pk}")).to_contain_text(name)
    _assert_nothing_ran(page, beacon, "wizard")


def _legacy_hostile_file(document, beacon):
    """A row stored before the checks were tightened: a web page saved as .html, its kind claiming 'pdf'."""
    name = private_storage.save("applicants/old/cv.html", ContentFile(hostile.html_page(beacon.url)))
    return DocumentFile.objects.create(document=document, version=9, file=name, original_name="cv.html", kind="pdf",
                                       size=100)


@pytest.mark.pdf_viewer  # looks at the PDF in Chromium's own viewer (tests/browser/conftest.py)
def test_hostile_files_through_the_wizard_never_run_for_verifier_or_lsp_admin(page, beacon, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    scheme = scheme_with_parts(units=1, elements=1, documents=3)
    rina = UserFactory(full_name="Rina Pemohon", email="rina@example.go.id", roles=[Role.APPLICANT])
    app = ApplicationFactory(applicant=rina, scheme=scheme)
    documents = sorted(add_documents(app), key=lambda d: d.requirement.position)
    victor = UserFactory(email="victor@example.go.id", roles=[Role.VERIFIER])
    lina = UserFactory(email="lina@example.go.id", roles=[Role.LSP_ADMIN])
    karin = UserFactory(email="karin@example.go.id", roles=[Role.COMPLAINT_OFFICER])

    ui_login(page, rina.email, PASSWORD, land=True)
    _upload_in_wizard(page, app, documents, beacon)
    stored = list(DocumentFile.objects.filter(document__application=app).order_by("pk"))
    assert [f.kind for f in stored] == ["pdf", "png", "jpeg"]
    for f, (_name, _data, kind) in zip(stored, _accepted(), strict=True):
        assert f.file.name.endswith({"pdf": ".pdf", "png": ".png", "jpeg": ".jpg"}[kind])
    legacy = _legacy_hostile_file(documents[2], beacon)

    for staff in (victor, lina):
        ui_logout(page)
        ui_login(page, staff.email, PASSWORD, land=True)
        for f in stored:
            response = _open(page, f"/permohonan/berkas/{f.pk}/", beacon, f"{staff.email} opens {f.original_name}")
            assert response is not None and response.status == 200
            headers = response.all_headers()
            assert headers["content-type"] == {"pdf": "application/pdf", "png": "image/png",
                                               "jpeg": "image/jpeg"}[f.kind]
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["content-disposition"].startswith("inline")
            policy = headers["content-security-policy"]
            assert "default-src 'self'" in policy and "sandbox" in policy and "frame-ancestors 'self'" in policy
        # the verification screen still shows the PDF beside the checklist (framed by our own page)
        page.goto(f"/permohonan/verifikasi/{app.pk}/?doc={documents[0].pk}")
        frame = page.locator("iframe.doc-frame")
        expect(frame).to_be_visible()
        page.wait_for_load_state("networkidle")  # the framed file loaded
        assert any(re.search(rf"/permohonan/berkas/{stored[0].pk}/$", fr.url) for fr in page.frames)
        _assert_nothing_ran(page, beacon, f"{staff.email} verification screen")
        # a hostile file stored before the fix is only a download with an inert name
        with page.expect_download() as download:
            _open(page, f"/permohonan/berkas/{legacy.pk}/", beacon, "legacy file")
        assert download.value.suggested_filename == "cv.bin"
        _assert_nothing_ran(page, beacon, "after legacy download")

    ui_logout(page)
    ui_login(page, karin.email, PASSWORD)  # the complaint officer may not see dossiers at all
    response = page.goto(f"/permohonan/berkas/{stored[0].pk}/")
    assert response.status in (403, 404)


@pytest.mark.pdf_viewer  # looks at the PDF in Chromium's own viewer (tests/browser/conftest.py)
def test_hostile_files_through_the_public_complaint_form_never_run_for_the_officer(page, beacon, settings):
    settings.COMPLAINTS_PUBLIC_PER_HOUR = 0
    settings.CELERY_TASK_ALWAYS_EAGER = True
    karin = UserFactory(email="karin@example.go.id", roles=[Role.COMPLAINT_OFFICER])
    victor = UserFactory(email="victor@example.go.id", roles=[Role.VERIFIER])
    lina = UserFactory(email="lina@example.go.id", roles=[Role.LSP_ADMIN])

    page.goto("/pengaduan/publik/")
    form = page.get_by_test_id("complaint-form")
    form.locator("[name=name]").fill("Citra Lestari")
    form.locator("[name=email]").fill("citra@example.go.id")
    form.locator("[name=object_text]").fill("Verifikasi berkas")
    form.locator("[name=message]").fill("Berkas saya dikembalikan tanpa alasan.")
    refused = hostile.refused(beacon.url)
    form.locator("[name=attachments]").set_input_files([_file(n, d) for n, d, _ in refused])
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "/pengaduan/lacak/" not in page.url
    main = page.locator("main")
    for name, _data, what in refused:
        expect(main, what).to_contain_text(f"“{name}”")
    expect(main).to_contain_text("konten aktif")
    expect(main).to_contain_text("isinya yang diperiksa")
    form = page.get_by_test_id("complaint-form")
    expect(form.locator("[name=message]")).to_have_value("Berkas saya dikembalikan tanpa alasan.")  # kept
    expect(form.locator("[name=email]")).to_have_value("citra@example.go.id")
    assert not Complaint.objects.exists()
    _assert_nothing_ran(page, beacon, "complaint form")

    form.locator("[name=attachments]").set_input_files([_file(n, d) for n, d, _ in _accepted()])
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/pengaduan/lacak/"))
    complaint = Complaint.objects.get()
    attachments = list(Attachment.objects.filter(complaint=complaint).order_by("pk"))
    assert [a.kind for a in attachments] == ["pdf", "png", "jpeg"]
    assert [a.original_name for a in attachments] == ["ijazah.html", "foto.svg", "pas.exe"]
    assert not any(a.file.name.endswith((".html", ".svg", ".exe")) for a in attachments)

    ui_login(page, karin.email, PASSWORD)
    page.goto(f"/pengaduan/{complaint.pk}/")
    for a in attachments:
        url = f"/pengaduan/{complaint.pk}/lampiran/{a.pk}/"
        response = _open(page, url, beacon, f"officer opens {a.original_name}")
        assert response is not None and response.status == 200
        headers = response.all_headers()
        assert headers["content-type"] in ("application/pdf", "image/png", "image/jpeg")
        assert headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in headers["content-security-policy"]
        assert "default-src 'self'" in headers["content-security-policy"]

    for outsider in (victor, lina):  # complaints are not theirs to read
        ui_logout(page)
        ui_login(page, outsider.email, PASSWORD)
        response = page.goto(f"/pengaduan/{complaint.pk}/lampiran/{attachments[0].pk}/")
        assert response.status in (403, 404)
    _assert_nothing_ran(page, beacon, "end")
