"""BNSP registration through the browser (issue 18, point 1): the LSP admin exports the request of a decision
batch, fills in BNSP's answer, imports it, reviews and records it; the certificate PDF (read back with
pdftotext) prints the registration number and the public verification page shows it."""

import io
import subprocess

import pytest
from openpyxl import load_workbook

from applicants.nik import make_nik
from assessments.certificates import services as certs
from tests.applicants.factories import ProfileFactory
from tests.assessments.conftest import alice_app, assessor, bob_app, event, scheme, site  # noqa: F401
from tests.assessments.factories import decide_event
from tests.browser.conftest import ui_login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def issued(event, lina, tono, asa, alice, bob):  # noqa: F811
    ev = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K", accept_obligations=True)
    for user, gender in ((alice, "2"), (bob, "1")):
        profile = ProfileFactory(user=user, full_name=user.full_name, gender=gender)
        profile.nik = make_nik(profile.birth_date, gender, serial=user.pk)
        profile.save(update_fields=["nik"])
    out = {}
    for p in ev.participants.select_related("application__applicant"):
        certs.result_letter_issue(p, actor=lina)
        out[p.application.applicant.email] = certs.certificate_issue(p, actor=lina)
    return ev, out


def _pdftotext(data: bytes, tmp_path) -> str:
    path = tmp_path / "sertifikat.pdf"
    path.write_bytes(data)
    return " ".join(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


def _shots(page, tmp_path, name: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_lsp_admin_exports_the_request_imports_bnsps_numbers_and_they_are_printed_and_public(
        page, issued, lina, tmp_path):
    ev, by_email = issued
    alice_cert = by_email["alice@example.go.id"]
    ui_login(page, lina.email, PASSWORD)
    page.goto("/asesmen/sertifikat/bnsp/")
    page.select_option("select[name=event]", str(ev.pk))
    page.click("#bnsp-batch button")
    page.wait_for_load_state()
    assert "2 sertifikat dalam angkatan ini" in page.content()
    _shots(page, tmp_path, "bnsp-batch-id")

    with page.expect_download() as download:
        page.click("#bnsp-export")
    request_file = tmp_path / "permohonan.xlsx"
    download.value.save_as(request_file)
    assert download.value.suggested_filename.startswith("permohonan-registrasi-bnsp-")
    workbook = load_workbook(request_file)
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[2] == "NIK" and header[12:] == ["Nomor Sertifikat LSP", "Nomor Registrasi BNSP", "Nomor Blanko"]
    for i, row in enumerate(sheet.iter_rows(min_row=2), start=1):
        assert len(row[2].value) == 16  # the NIK, in full, for BNSP
        row[13].value, row[14].value = f"91.2026.{i:04d}.BNSP", f"BLK-{i:05d}"
    answer = tmp_path / "jawaban-bnsp.xlsx"
    workbook.save(answer)

    page.set_input_files("#bnsp-upload input[type=file]", str(answer))
    page.click("#bnsp-upload button")
    page.wait_for_load_state()
    assert "2 sertifikat akan dicatat nomornya" in page.locator("#bnsp-summary").inner_text()
    _shots(page, tmp_path, "bnsp-review-id")
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.click("#bnsp-apply")
    page.wait_for_load_state()
    assert "Nomor BNSP dicatat untuk 2 sertifikat" in page.content()

    alice_cert.refresh_from_db()
    number = alice_cert.bnsp_registration_number
    assert number.startswith("91.2026.")
    pdf = page.request.get(f"/asesmen/sertifikat/{alice_cert.pk}/pdf/")
    assert pdf.status == 200
    text = _pdftotext(pdf.body(), tmp_path)
    assert f"No. Registrasi BNSP / BNSP registration no.: {number}" in text
    assert alice_cert.blanko_number in text

    page.context.clear_cookies()
    page.goto(f"/asesmen/verifikasi/{alice_cert.verification_code}/")
    assert page.locator("#verify-bnsp").inner_text() == number
    assert page.locator("#verify-blanko").inner_text() == alice_cert.blanko_number
    _shots(page, tmp_path, "verify-id")


def test_a_hostile_answer_is_refused_on_the_review_page_and_nothing_is_recorded(page, issued, lina, tmp_path):
    from openpyxl import Workbook

    from assessments.certificates.services import bnsp

    _ev, by_email = issued
    wb = Workbook()
    wb.active.append(bnsp.HEADER)
    row = [""] * len(bnsp.HEADER)
    row[12], row[13], row[14] = by_email["bob@example.go.id"].number, '=HYPERLINK("http://evil")', "BLK-1"
    wb.active.append(row)
    row = list(row)
    row[12], row[13] = "TIDAK-ADA", "REG-2"
    wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    path = tmp_path / "jahat.xlsx"
    path.write_bytes(out.getvalue())
    ui_login(page, lina.email, PASSWORD)
    page.goto("/asesmen/sertifikat/bnsp/")
    page.get_by_test_id("switch-language").click()
    page.wait_for_load_state()
    page.set_input_files("#bnsp-upload input[type=file]", str(path))
    page.click("#bnsp-upload button")
    page.wait_for_load_state()
    rows = page.locator("#bnsp-rows").inner_text()
    assert "is a formula, not a number" in rows and "No certificate has the number “TIDAK-ADA”" in rows
    assert page.locator("#bnsp-apply").count() == 0
    _shots(page, tmp_path, "bnsp-review-en")
    page.goto("/asesmen/sertifikat/bnsp/")
    _shots(page, tmp_path, "bnsp-batch-en")
    from assessments.certificates.models import Certificate

    assert not Certificate.objects.exclude(bnsp_registration_number=None).exists()


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_bnsp_pages_have_no_serious_axe_violation(browser, live_server, issued, lina, language):
    from tests.browser import a11y

    ev, by_email = issued
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    lina.preferred_language = language
    lina.save(update_fields=["preferred_language"])
    page = context.new_page()
    ui_login(page, lina.email, PASSWORD, land=True)
    alice = by_email["alice@example.go.id"]
    page.goto(f"/asesmen/sertifikat/bnsp/?event={ev.pk}")
    page.fill(f"input[name=reg-{alice.pk}]", "REG-1")
    page.fill(f"input[name=blanko-{alice.pk}]", "BLK-1")
    page.click("#bnsp-typed button")
    page.wait_for_load_state()
    problems = []
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for url in (f"/asesmen/sertifikat/bnsp/?event={ev.pk}", "/asesmen/sertifikat/bnsp/tinjau/",
                    f"/asesmen/verifikasi/{alice.verification_code}/"):
            problems += a11y.check_page(page, a11y.Page(url))
    context.close()
    assert problems == []
