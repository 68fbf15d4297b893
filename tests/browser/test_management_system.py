"""Issue 30 item 2 in the browser, in Indonesian: the LSP admin records an internal audit and its finding; the
corrective action goes to its owner, who attaches evidence and reports it done but cannot close it (the page says
why); the LSP admin closes it. A controlled document's version in force on a past date is the older one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applicants.samples import sample_pdf
from certportal.accounts.models import Role
from quality.system import services
from quality.system.models import CorrectiveAction, DocumentVersion
from tests.browser.conftest import ui_login, ui_logout
from tests.factories import PASSWORD, UserFactory
from tests.quality.system_helpers import pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    return {"lina": UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN]),
            "quinn": UserFactory(full_name="Quinn Mutu", email="quinn@example.go.id", roles=[Role.QUALITY])}


def _record_audit_and_finding(page) -> None:
    page.goto("/mutu/sistem/")
    page.get_by_role("link", name="Catat audit atau kaji ulang").click()
    page.check("input[name=kind][value=internal_audit]")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.fill("input[name=held_on]", yesterday.isoformat())
    page.fill("textarea[name=scope]", "Proses sertifikasi skema SS-02")
    page.fill("textarea[name=participants]", "Auditor internal")
    page.select_option("select[name=auditor]", label="Quinn Mutu (quinn@example.go.id)")  # took part in no event
    page.click("main form button[type=submit]")
    expect(page.locator("[data-testid=review-status]")).to_have_text("Tercatat")
    page.get_by_role("link", name="Tambahkan temuan").click()
    page.select_option("select[name=severity]", "minor")
    page.fill("input[name=clause]", "ISO/IEC 17024 9.2")
    page.fill("textarea[name=description]", "Rekaman FR.AK.06 tidak lengkap")
    page.fill("textarea[name=action]", "Lengkapi rekaman dan latih asesor")
    page.select_option("select[name=owner]", label="Quinn Mutu (quinn@example.go.id)")
    page.click("main form button[type=submit]")
    expect(page.locator("[data-testid=findings]")).to_contain_text("Rekaman FR.AK.06 tidak lengkap")
    expect(page.locator("[data-testid=findings]")).to_contain_text("Quinn Mutu")


def _owner_adds_evidence_and_cannot_close(page) -> None:
    page.goto(reverse("home"))
    page.click("a[data-work=corrective-actions]")  # the owner's work queue
    page.get_by_role("link", name="Lengkapi rekaman dan latih asesor").click()
    page.set_input_files("#evidence-file", {"name": "daftar-hadir.pdf", "mimeType": "application/pdf",
                                            "buffer": sample_pdf("Daftar hadir pelatihan")})
    page.fill("#evidence-note", "Daftar hadir pelatihan asesor")
    page.get_by_role("button", name="Tambahkan bukti").click()
    expect(page.locator("[data-testid=evidence]")).to_contain_text("daftar-hadir.pdf")
    page.fill("#correction", "Rekaman FR.AK.06 dilengkapi")
    page.fill("#cause", "Asesor belum dilatih mengisi FR.AK.06")
    page.get_by_role("button", name="Catat koreksi dan penyebabnya").click()
    expect(page.locator("[data-testid=cause]")).to_contain_text("Asesor belum dilatih")
    page.get_by_role("button", name="Laporkan tindakan selesai").click()
    expect(page.locator("[data-testid=action-status]")).to_have_text("Dilaporkan selesai")
    expect(page.locator("[data-refused='quality.correctiveaction.closed']")).to_contain_text(
        "orang lain yang harus memeriksa bukti dan menutupnya")
    expect(page.get_by_role("button", name="Efektif: tutup tindakan")).to_have_count(0)


def test_an_audit_finding_is_closed_by_someone_other_than_its_owner(page, people):
    ui_login(page, "lina@example.go.id", PASSWORD, land=True)
    _record_audit_and_finding(page)
    ui_logout(page)
    ui_login(page, "quinn@example.go.id", PASSWORD, land=True)
    _owner_adds_evidence_and_cannot_close(page)
    ui_logout(page)
    ui_login(page, "lina@example.go.id", PASSWORD, land=True)
    action = CorrectiveAction.objects.get()
    page.goto(action.get_absolute_url())
    page.fill("#close-note", "Bukti pelatihan cukup")
    page.once("dialog", lambda d: d.accept())  # closing asks first
    page.get_by_role("button", name="Efektif: tutup tindakan").click()
    expect(page.locator("[data-testid=action-status]")).to_have_text("Ditutup")
    expect(page.locator("[data-testid=closed-by]")).to_contain_text("Lina LSP Admin")
    action.refresh_from_db()
    assert action.status == "closed" and action.closed_by == people["lina"]


def test_the_version_in_force_on_a_past_date_is_the_older_one(page, people):
    today = timezone.localdate()
    ui_login(page, "quinn@example.go.id", PASSWORD)
    page.goto("/mutu/sistem/dokumen/")
    page.get_by_role("link", name="Daftarkan dokumen terkendali").click()
    page.fill("input[name=code]", "PM-01")
    page.fill("input[name=title]", "Panduan Mutu")
    page.select_option("select[name=kind]", "manual")
    page.click("main form button[type=submit]")
    page.get_by_role("link", name="Unggah versi baru").click()
    page.fill("input[name=label]", "Rev. 0")
    page.fill("input[name=effective_on]", (today - datetime.timedelta(days=400)).isoformat())
    page.set_input_files("input[name=file]", {"name": "pm0.pdf", "mimeType": "application/pdf",
                                              "buffer": sample_pdf("Panduan Mutu Rev 0")})
    page.click("main form button[type=submit]")
    expect(page.locator("[data-version='Rev. 0']")).to_contain_text("Menunggu persetujuan")
    expect(page.get_by_role("button", name="Sahkan versi ini")).to_have_count(0)  # not by its uploader
    document = DocumentVersion.objects.get().document
    services.version_upload(document, actor=people["quinn"], label="Rev. 1",
                            effective_on=today - datetime.timedelta(days=30), upload=pdf("pm1.pdf"))
    ui_logout(page)
    ui_login(page, "lina@example.go.id", PASSWORD)
    page.goto(document.get_absolute_url())
    for label in ("Rev. 0", "Rev. 1"):
        asked: list[str] = []
        page.once("dialog", lambda d, asked=asked: (asked.append(d.message), d.accept()))  # it asks first
        page.locator(f"[data-version='{label}']").get_by_role("button", name="Sahkan versi ini").click()
        expect(page.locator(f"[data-version='{label}']")).not_to_contain_text("Menunggu persetujuan")
        assert asked and asked[0].startswith(f"Sahkan versi {label} dari ")
    expect(page.locator("[data-version='Rev. 0']")).to_contain_text("Diganti")
    page.goto("/mutu/sistem/dokumen/")
    expect(page.locator("[data-testid=in-force]")).to_have_text("Rev. 1")
    page.fill("#id_on", (today - datetime.timedelta(days=100)).isoformat())
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("[data-testid=in-force]")).to_have_text("Rev. 0")
