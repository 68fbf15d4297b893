"""Issue 15 in Chromium: naming is deliberate (nothing pre-ticked, a confirmation listing who), removing a file
asks first and says it did, each upload slot says what it takes and how many files it needs."""

import pytest
from playwright.sync_api import expect

from applicants import services
from applicants.models import Application, Status
from certportal.accounts.models import Role
from tests.applicants.factories import ProfileFactory, scheme_with_parts
from tests.applicants.helpers import accept_all, png_upload, submitted_application
from tests.browser.conftest import ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _verified(victor, name, scheme) -> Application:
    profile = ProfileFactory(user=UserFactory(full_name=name, roles=[Role.APPLICANT]), full_name=name)
    app = submitted_application(profile, scheme)
    accept_all(app, victor)
    services.application_complete(app, actor=victor)
    for kind in ("administrative", "substantive"):
        services.check_record(app, actor=victor, kind=kind, result="passed")
    return services.application_verify(app, actor=victor)


def test_naming_starts_with_nobody_ticked_and_asks_with_the_names_before_naming(live_server, page):
    victor = UserFactory(full_name="Victor Verifikator", email="victor@example.go.id", roles=[Role.VERIFIER])
    scheme = scheme_with_parts(units=1, elements=1, documents=1)
    rina, budi = _verified(victor, "Rina Marlina", scheme), _verified(victor, "Budi Santoso", scheme)
    ui_login(page, victor.email, PASSWORD)
    page.goto(f"/permohonan/penetapan/?scheme={scheme.pk}")
    expect(page.locator("input[name=application]:checked")).to_have_count(0)
    page.check(f"#app-{rina.pk}")
    page.fill("input[name=reference]", "800/12/BKPSDM/2026")
    page.click("main form[method=post] button.btn-primary")
    expect(page.locator("#naming-consequence")).to_contain_text("tidak dapat dibatalkan")
    expect(page.locator("#naming-list li")).to_have_count(1)
    expect(page.locator("#naming-list")).to_contain_text("Rina Marlina")
    assert Application.objects.get(pk=rina.pk).status == Status.VERIFIED  # not yet
    page.click("#naming-confirm")
    expect(page.locator("main")).to_contain_text("ditetapkan sebagai peserta")
    assert Application.objects.get(pk=rina.pk).status == Status.PARTICIPANT
    assert Application.objects.get(pk=budi.pk).status == Status.VERIFIED


def test_going_back_from_the_confirmation_names_nobody_and_keeps_the_choice(live_server, page):
    victor = UserFactory(full_name="Victor Verifikator", email="victor@example.go.id", roles=[Role.VERIFIER])
    scheme = scheme_with_parts(units=1, elements=1, documents=1)
    rina = _verified(victor, "Rina Marlina", scheme)
    ui_login(page, victor.email, PASSWORD)
    page.goto(f"/permohonan/penetapan/?scheme={scheme.pk}")
    page.check(f"#app-{rina.pk}")
    page.fill("input[name=reference]", "800/12/BKPSDM/2026")
    page.click("main form[method=post] button.btn-primary")
    page.click("#naming-back")
    expect(page.locator(f"#app-{rina.pk}")).to_be_checked()
    assert Application.objects.get(pk=rina.pk).status == Status.VERIFIED


def test_an_applicant_removes_a_photo_only_after_confirming_and_each_slot_says_what_it_takes(live_server, page):
    scheme = scheme_with_parts(units=1, elements=1, documents=2)
    cv = scheme.required_documents.get(position=1)
    cv.name, cv.accepted_kinds = "Daftar riwayat hidup", ["pdf"]
    cv.save()
    photos = scheme.required_documents.get(position=2)
    photos.name, photos.accepted_kinds, photos.min_files, photos.max_files = "Portofolio", ["pdf", "png"], 1, 10
    photos.save()
    user = UserFactory(full_name="Rina Marlina", email="rina@example.go.id", roles=[Role.APPLICANT])
    ProfileFactory(user=user, full_name="Rina Marlina")
    app = services.application_start(user=user, scheme=scheme)
    doc = app.documents.get(requirement=photos)
    services.document_upload(doc, user=user, upload=png_upload("bukti-1.png"), kind="png")
    ui_login(page, user.email, PASSWORD)
    page.goto(f"/permohonan/{app.pk}/isi/dokumen/")
    cv_card, portfolio = page.locator(f"#doc-{app.documents.get(requirement=cv).pk}"), page.locator(f"#doc-{doc.pk}")
    expect(cv_card).to_contain_text("Hanya PDF, paling besar")
    expect(portfolio).to_contain_text("PDF atau PNG, paling besar")
    expect(portfolio.locator("[data-files-needed]")).to_contain_text("1 diunggah · perlu 1, paling banyak 10")
    expect(portfolio.locator("button.btn-outline-primary")).to_have_text("Tambah berkas “Portofolio”")

    messages = []
    page.once("dialog", lambda d: (messages.append(d.message), d.dismiss()))
    portfolio.locator("button:has-text('hapus')").click()
    expect(portfolio).to_contain_text("bukti-1.png")
    assert "bukti-1.png" in messages[0]
    assert doc.files.filter(superseded_at__isnull=True).count() == 1
    page.once("dialog", lambda d: d.accept())
    portfolio.locator("button:has-text('hapus')").click()
    expect(page.locator("main")).to_contain_text("“bukti-1.png” telah dihapus dari berkas")
    assert doc.files.filter(superseded_at__isnull=True).count() == 0


def test_the_applicant_always_sees_the_next_step(live_server, page):
    from complaints.models import SurveyInvitation
    from tests.applicants.helpers import pdf_upload

    victor = UserFactory(full_name="Victor Verifikator", email="victor@example.go.id", roles=[Role.VERIFIER])
    user = UserFactory(full_name="Rina Marlina", email="rina@example.go.id", roles=[Role.APPLICANT])
    app = submitted_application(ProfileFactory(user=user, full_name="Rina Marlina"),
                                scheme_with_parts(units=1, elements=1, documents=1))
    doc = app.documents.get()
    services.document_review(doc, actor=victor, accepted=False, reason="SK pangkat tidak terbaca")
    services.application_return(app, actor=victor, reason="Perbaiki SK pangkat")
    invitation = SurveyInvitation.objects.create(reference="certificate:77", email=user.email, name=user.full_name)
    ui_login(page, user.email, PASSWORD)
    page.goto("/permohonan/saya/")
    expect(page.locator("#work-queue [data-work=survey]")).to_have_attribute(
        "href", f"/pengaduan/survei/{invitation.token}/")
    page.click(f"#app-card-{app.pk} [data-next=correct]")
    card = page.locator(f"#doc-{doc.pk}")
    expect(card).to_contain_text("SK pangkat tidak terbaca")
    card.locator("input[type=file]").set_input_files(
        {"name": "sk-pangkat.pdf", "mimeType": "application/pdf", "buffer": pdf_upload().read()})
    card.locator("button.btn-outline-primary").click()
    expect(page.locator(f"#doc-{doc.pk} [data-corrected]")).to_contain_text("Sudah diperbaiki, menunggu verifikator")
