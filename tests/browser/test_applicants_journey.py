"""Not done until: an applicant on a phone goes from registration through a returned dossier and its correction
to "named as participant", with a verifier on the other side; bad input is refused with a clear message and
nothing is lost. The portal speaks Indonesian (the default), so the assertions read Indonesian."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applicants.models import Application, DocumentFile
from applicants.samples import sample_pdf, sample_png
from certportal.accounts.models import Role, User
from certportal.accounts.services import email_confirmation_token
from tests.applicants.factories import scheme_with_parts
from tests.browser.conftest import document_frame_loaded, ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pdf(name, title="Dokumen"):
    return {"name": name, "mimeType": "application/pdf", "buffer": sample_pdf(title)}


def _register_and_fill_profile(page):
    page.goto("/akun/daftar/")
    page.fill("input[name=full_name]", "Rina Marlina, S.E.")
    page.fill("input[name=email]", "rina@example.go.id")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.check("input[name=consent]")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/akun/daftar/terkirim/"))
    expect(page.locator("main")).to_contain_text("Periksa e-mail Anda")  # the same answer for any address
    user = User.objects.get(email="rina@example.go.id")
    assert user.data_consent_at is not None
    page.goto(f"/akun/konfirmasi/{email_confirmation_token(user)}/")
    expect(page.locator("body")).to_contain_text("telah dikonfirmasi")
    ui_login(page, "rina@example.go.id", PASSWORD)

    page.goto("/permohonan/saya/profil/")
    page.fill("main form[method=post] input[name=nip]", "198802302012013001")  # the profile, not the roster look-up  # 30 February, gender digit 3
    page.fill("input[name=birth_place]", "Bogor")
    page.fill("input[name=birth_date]", "1988-02-28")
    page.check("input[name=gender][value='2']")
    page.fill("input[name=org_unit]", "Dinas Sosial")
    page.fill("input[name=position]", "Pengelola Layanan")
    page.select_option("select[name=rank]", "III/c")
    page.select_option("select[name=education]", "S1")
    page.fill("input[name=years_of_service]", str(timezone.localdate().year - 2012))  # appointed 01/2012
    page.select_option("select[name=employer_government]", "31")
    page.fill("input[name=years_in_government]", "8")
    page.fill("input[name=phone]", "081311112222")
    page.click("main form[method=post] button[type=submit]")
    expect(page.locator("main")).to_contain_text("Digit 1–8 NIP (19880230)")
    expect(page.locator("main")).to_contain_text("Digit ke-15 NIP adalah jenis kelamin")
    expect(page.locator("input[name=org_unit]")).to_have_value("Dinas Sosial")  # nothing lost
    page.fill("main form[method=post] input[name=nip]", "198802282012012001")
    page.click("main form[method=post] button[type=submit]")
    expect(page.locator("main")).to_contain_text("Profil Anda tersimpan.")


def test_applicant_journey_from_registration_to_named_participant(browser, live_server, phone_page, page, settings):
    settings.MAX_UPLOAD_MB = 0.05
    scheme = scheme_with_parts(units=1, elements=2, documents=2)
    victor = UserFactory(full_name="Victor Verifikator", email="victor@example.go.id", roles=[Role.VERIFIER])
    applicant = phone_page
    _register_and_fill_profile(applicant)

    # --- the wizard, on a phone
    applicant.goto("/permohonan/baru/")
    applicant.click(f"form:has(input[value='{scheme.pk}']) button")
    applicant.wait_for_url(re.compile(r"/isi/data/"))
    expect(applicant.locator("#eligibility")).to_contain_text("memenuhi semua persyaratan")
    applicant.check("input[name=purpose][value=certification]")
    applicant.check("input[name=experienced][value=yes]")
    applicant.click("main form button[type=submit]")
    applicant.wait_for_url(re.compile(r"/isi/dokumen/"))
    app = Application.objects.get(applicant__email="rina@example.go.id")
    first, second = app.documents.order_by("requirement__position")

    applicant.set_input_files(f"#doc-{first.pk} input[type=file]", _pdf("ijazah.pdf"))
    applicant.click(f"#doc-{first.pk} button:has-text('Unggah')")
    expect(applicant.locator(f"#doc-{first.pk}")).to_contain_text("ijazah.pdf")
    # an executable renamed .pdf
    applicant.set_input_files(f"#doc-{second.pk} input[type=file]", {
        "name": "sk-pangkat.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" + b"\x00" * 500})
    applicant.click(f"#doc-{second.pk} button:has-text('Unggah')")
    expect(applicant.locator("main")).to_contain_text("sk-pangkat.pdf")
    expect(applicant.locator(f"#doc-{second.pk}")).to_contain_text("isinya yang diperiksa")
    expect(applicant.locator(f"#doc-{first.pk}")).to_contain_text("ijazah.pdf")  # nothing lost
    # an oversized file
    applicant.set_input_files(f"#doc-{second.pk} input[type=file]", {
        "name": "sk-besar.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n" + b"0" * 80_000})
    applicant.click(f"#doc-{second.pk} button:has-text('Unggah')")
    expect(applicant.locator(f"#doc-{second.pk}")).to_contain_text("batasnya 0 MB")
    assert DocumentFile.objects.filter(document=second).count() == 0
    applicant.set_input_files(f"#doc-{second.pk} input[type=file]", {
        "name": "foto.png", "mimeType": "image/png", "buffer": sample_png()})
    applicant.click(f"#doc-{second.pk} button:has-text('Unggah')")
    expect(applicant.locator(f"#doc-{second.pk}")).to_contain_text("foto.png")

    applicant.click("text=Lanjut ke asesmen mandiri")
    # the click returns once the navigation commits, before the new page is parsed, and .all() does not wait: wait
    # for the new page's radios first
    applicant.wait_for_url(re.compile(r"/isi/asesmen-mandiri/"))
    yes = applicant.locator("input[type=radio][value=yes]")
    expect(yes).to_have_count(2)  # one per element
    for radio in yes.all():
        radio.check()
    applicant.locator("input[name^=e_]").first.fill("Laporan pelayanan 2025")
    applicant.click("main form button[type=submit]")
    applicant.wait_for_url(re.compile(r"/isi/kirim/"))
    applicant.check("input[name=declaration]")
    applicant.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    applicant.click("main form button[type=submit]")
    expect(applicant.locator("#status")).to_have_text("Diajukan")

    # --- the verifier returns one document with a reason and a field note
    ui_login(page, victor.email, PASSWORD)
    page.goto("/permohonan/antrian/")
    page.click("text=Rina Marlina, S.E.")
    expect(page.locator("#checklist")).to_contain_text(first.requirement.name)
    page.check(f"#acc-{first.pk}")
    page.click(f"#check-{first.pk} button")
    page.check(f"#ret-{second.pk}")
    page.fill(f"#check-{second.pk} input[name=reason]", "Foto harus berlatar merah")
    page.click(f"#check-{second.pk} button")
    page.fill("#return-form textarea[name=reason]", "Mohon perbaiki foto dan pangkat")
    expect(page.locator("#return-form input[name=note_rank]")).to_be_visible()  # the notes are in view, not folded
    page.fill("#return-form input[name=note_rank]", "Pangkat tidak sesuai SK terakhir")
    page.click("#return-form button")
    expect(page.locator("#status")).to_have_text("Dikembalikan untuk perbaikan")

    # --- the applicant reads the notes and corrects
    applicant.goto(f"/permohonan/{app.pk}/")
    expect(applicant.locator("#correction-notes")).to_contain_text("Foto harus berlatar merah")
    expect(applicant.locator("#correction-notes")).to_contain_text("Pangkat tidak sesuai SK terakhir")
    applicant.click("text=Perbaiki permohonan")
    applicant.goto(f"/permohonan/{app.pk}/isi/dokumen/")
    applicant.set_input_files(f"#doc-{second.pk} input[type=file]", {
        "name": "foto-merah.png", "mimeType": "image/png", "buffer": sample_png(rgb=(220, 0, 0))})
    applicant.click(f"#doc-{second.pk} button:has-text('Unggah versi baru')")
    expect(applicant.locator(f"#doc-{second.pk}")).to_contain_text("versi sebelumnya")
    applicant.goto(f"/permohonan/{app.pk}/isi/kirim/")
    applicant.check("input[name=declaration]")
    applicant.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    applicant.click("main form button[type=submit]")
    expect(applicant.locator("#status")).to_have_text("Diajukan kembali")

    # --- the verifier accepts, declares complete (clock starts), checks, verifies
    page.goto(f"/permohonan/verifikasi/{app.pk}/")
    page.check(f"#acc-{second.pk}")
    page.click(f"#check-{second.pk} button")
    stale = page.context.new_page()
    stale.goto(f"/permohonan/verifikasi/{app.pk}/")  # a second tab, left open
    page.click("#decisions button:has-text('Nyatakan lengkap dan benar')")
    expect(page.locator("#status")).to_have_text("Lengkap dan benar")
    recorded_before = page.locator("#checks li:not(.text-muted)").count()
    for recorded, kind in enumerate(("administrative", "substantive"), start=recorded_before + 1):
        page.select_option("select[name=kind]", kind)
        page.check("input[name=result][value=passed]")
        page.click("button:has-text('Catat pemeriksaan')")
        # the check's page has come back before the next act
        expect(page.locator("#checks li:not(.text-muted)")).to_have_count(recorded)
    document_frame_loaded(page)  # the framed document's viewer, loading, would close the confirm dialog
    page.once("dialog", lambda d: d.accept())  # it asks first (an act that decides)
    page.click("#decisions button:has-text('Verifikasi')")
    expect(page.locator("#status")).to_have_text("Terverifikasi")

    # --- naming, then a transition out of order from the stale tab is refused
    page.goto(f"/permohonan/penetapan/?scheme={scheme.pk}")
    page.check(f"#app-{app.pk}")  # nothing is pre-ticked (issue 15)
    page.fill("input[name=reference]", "800/77/BKPSDM/2026")
    page.click("button:has-text('Tetapkan')")
    page.click("#naming-confirm")
    expect(page.locator("main")).to_contain_text("ditetapkan sebagai peserta")
    stale.click("#decisions button:has-text('Nyatakan lengkap dan benar')")
    expect(stale.locator("main")).to_contain_text(
        "berstatus ditetapkan sebagai peserta; “Nyatakan lengkap dan benar” tidak dapat dilakukan sekarang")
    expect(stale.locator("#status")).to_have_text("Ditetapkan sebagai peserta")

    applicant.goto(f"/permohonan/{app.pk}/")
    expect(applicant.locator("#status")).to_have_text("Ditetapkan sebagai peserta")
    expect(applicant.locator("#timeline")).to_contain_text("Dikembalikan untuk perbaikan")
    expect(applicant.locator("#deadline")).to_contain_text("hari kerja")
