"""Issue 15, the verifier's daily work in Chromium: every file of a document is visible before it is accepted,
"accept all remaining" takes one click, and the queue opens on the work that needs the verifier."""


import pytest
from playwright.sync_api import expect

from applicants import services
from applicants.models import Application, ApplicationDocument, SelfAssessment, Status
from certportal.accounts.models import Role
from tests.applicants.factories import ProfileFactory, scheme_with_parts
from tests.applicants.helpers import pdf_upload, png_upload, submitted_application
from tests.browser.conftest import ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _applicant(name: str):
    return ProfileFactory(user=UserFactory(full_name=name, roles=[Role.APPLICANT]), full_name=name)


def _with_three_photos(name: str = "Rina Marlina") -> Application:
    """A submitted dossier whose photo requirement takes three files (seed 000: three photos)."""
    scheme = scheme_with_parts(units=1, elements=1, documents=2)
    photo = scheme.required_documents.get(position=2)
    photo.name, photo.accepted_kinds, photo.min_files, photo.max_files = "Pas foto 3x4", ["png", "jpeg"], 3, 3
    photo.save()
    profile = _applicant(name)
    app = services.application_start(user=profile.user, scheme=scheme)
    doc = app.documents.get(requirement=photo)
    for n in (1, 2, 3):
        services.document_upload(doc, user=profile.user, upload=png_upload(f"foto-{n}.png"), kind="png")
    other = app.documents.exclude(requirement=photo).get()
    services.document_upload(other, user=profile.user, upload=pdf_upload("ijazah.pdf"), kind="pdf")
    services.application_save_data(app, user=profile.user, purpose="certification", purpose_other="",
                                   experienced=True)
    answers = [(link.unit_id, e.pk, SelfAssessment.Answer.YES, "SK")
               for link in scheme.scheme_units.all() for e in link.unit.elements.all()]
    services.self_assessment_save(app, user=profile.user, answers=answers)
    services.application_submit(app, user=profile.user, declaration=True)
    return app


def test_the_verifier_opens_the_third_photo_before_accepting_and_accepts_all_remaining_in_one_click(
        live_server, page):
    victor = UserFactory(full_name="Victor Verifikator", email="victor@example.go.id", roles=[Role.VERIFIER])
    app = _with_three_photos()
    photo = app.documents.get(requirement__name="Pas foto 3x4")
    ui_login(page, victor.email, PASSWORD)
    page.goto(f"/permohonan/verifikasi/{app.pk}/?doc={photo.pk}")
    files = page.locator("#doc-files a")
    expect(files).to_have_count(3)
    files.nth(2).click()
    expect(page.locator("#doc-shown-name")).to_contain_text("foto-3.png")
    expect(files.nth(2)).to_have_attribute("aria-current", "true")
    # the image shown is the third file and it loads (the verifier really sees it)
    # (waited for: on a busy machine the image may still be loading; it fails if it never loads)
    page.wait_for_function("() => { const img = document.querySelector('#doc-shown');"
                           " return img && img.complete && img.naturalWidth > 0; }")

    page.click("#accept-remaining button")
    expect(page.locator("main")).to_contain_text("2 dokumen diterima")
    assert set(app.documents.values_list("review", flat=True)) == {ApplicationDocument.Review.ACCEPTED}
    expect(page.locator("#accept-remaining")).to_have_count(0)


def test_accept_all_remaining_leaves_a_returned_document_returned(live_server, page):
    victor = UserFactory(full_name="Victor Verifikator", email="victor@example.go.id", roles=[Role.VERIFIER])
    app = _with_three_photos()
    photo = app.documents.get(requirement__name="Pas foto 3x4")
    services.document_review(photo, actor=victor, accepted=False, reason="Foto buram")
    ui_login(page, victor.email, PASSWORD)
    page.goto(f"/permohonan/verifikasi/{app.pk}/")
    page.click("#accept-remaining button")
    expect(page.locator("main")).to_contain_text("1 dokumen diterima")
    photo.refresh_from_db()
    assert photo.review == ApplicationDocument.Review.RETURNED and photo.review_note == "Foto buram"


def test_the_queue_opens_on_the_newest_submission_with_the_check_date_and_the_verifier_is_notified(
        live_server, page):
    victor = UserFactory(full_name="Victor Verifikator", email="victor@example.go.id", roles=[Role.VERIFIER])
    waiting = submitted_application(_applicant("Lama Menunggu"), scheme_with_parts(units=1, elements=1, documents=1))
    from tests.applicants.helpers import accept_all
    accept_all(waiting, victor)
    services.application_complete(waiting, actor=victor)  # has a running deadline
    submitted_application(_applicant("Rina Baru"), scheme_with_parts(units=1, elements=1, documents=1))
    ui_login(page, victor.email, PASSWORD)
    page.goto("/permohonan/antrian/")
    expect(page.locator("#needs-action")).to_contain_text("Perlu tindakan saya: 2")
    first = page.locator("#queue tbody tr").first
    expect(first).to_contain_text("Rina Baru")
    expect(first.locator("[data-due=completeness]")).to_contain_text("pemeriksaan kelengkapan paling lambat")
    second = page.locator("#queue tbody tr").nth(1)
    expect(second.locator("[data-due=target]")).to_contain_text("target")
    expect(second.locator("[data-due=limit]")).to_contain_text("batas")
    expect(second).to_contain_text("hari kerja lagi")
    # the notice in the portal, a short message linking to the dossier
    page.goto("/notifikasi/")
    expect(page.locator("main")).to_contain_text("Berkas baru")
    page.locator("main a[href*='/permohonan/verifikasi/']").first.click()
    expect(page.locator("h1")).to_contain_text("Rina Baru")


def test_rejected_and_withdrawn_items_show_no_running_deadline(live_server, page):
    victor = UserFactory(full_name="Victor Verifikator", email="victor@example.go.id", roles=[Role.VERIFIER])
    app = submitted_application(_applicant("Ditolak Saja"), scheme_with_parts(units=1, elements=1, documents=1))
    from tests.applicants.helpers import accept_all
    accept_all(app, victor)
    services.application_complete(app, actor=victor)
    services.application_reject(app, actor=victor, reason="Tidak memenuhi syarat masa kerja")
    ui_login(page, victor.email, PASSWORD)
    page.goto("/permohonan/antrian/?status=")
    row = page.locator("#queue tbody tr", has_text="Ditolak Saja")
    expect(row.locator("td").last).to_have_text("—")
    assert Application.objects.get(pk=app.pk).status == Status.REJECTED
