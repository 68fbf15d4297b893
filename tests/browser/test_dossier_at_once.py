"""In Chromium, in Indonesian: an applicant sends three photos at once and sees three photos (slots, not versions),
drops files on a card, and a hostile file among several is refused by name while the others are kept; the verifier
goes document by document with the file and the reason field in view, from the keyboard, at 390 px too; the event
page says who acts next and links the one who does."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applicants import services
from applicants.models import DocumentFile
from applicants.samples import sample_png
from certportal.accounts.models import Role
from tests.applicants.factories import ProfileFactory, scheme_with_parts
from tests.applicants.helpers import submitted_application
from tests.browser.conftest import ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _photo(name: str, rgb=(200, 30, 30)) -> dict:
    return {"name": name, "mimeType": "image/png", "buffer": sample_png(rgb=rgb)}


def _draft_with_photos():
    scheme = scheme_with_parts(units=1, elements=1, documents=2)
    photos = scheme.required_documents.get(position=2)
    photos.name, photos.accepted_kinds, photos.min_files, photos.max_files = "Pasfoto 3x4", ["jpeg", "png"], 3, 3
    photos.save()
    user = UserFactory(full_name="Rina Marlina", email="rina@example.go.id", roles=[Role.APPLICANT])
    ProfileFactory(user=user, full_name="Rina Marlina")
    app = services.application_start(user=user, scheme=scheme)
    return app, app.documents.get(requirement=photos), app.documents.get(requirement__position=1)


def _fits(page, width: int = 390) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_three_photos_at_once_are_three_photos_and_a_drop_sends_files(live_server, phone_page):
    app, photos, first = _draft_with_photos()
    page = phone_page
    ui_login(page, "rina@example.go.id", PASSWORD)
    page.goto(f"/permohonan/{app.pk}/isi/dokumen/")
    card = page.locator(f"#doc-{photos.pk}")
    expect(card.locator("[data-slot]")).to_have_count(3)  # three empty places before anything is sent
    expect(card.locator("[data-empty]")).to_have_count(3)
    expect(card).to_contain_text("sampai 3 berkas sekaligus")
    card.locator("input[type=file]").set_input_files(
        [_photo("foto-depan.png"), _photo("foto-kiri.png", (210, 0, 0)), _photo("foto-kanan.png", (190, 0, 0))])
    card.locator("button:has-text('Tambah berkas')").click()
    expect(page.locator("main")).to_contain_text("“Pasfoto 3x4”: 3 berkas tersimpan")
    for n, name in enumerate(("foto-depan.png", "foto-kiri.png", "foto-kanan.png"), start=1):
        expect(card.locator(f"[data-slot='{n}']")).to_contain_text(f"Berkas {n} dari 3: {name}")
    expect(card).not_to_contain_text("v3")
    expect(card.locator("[data-files-needed]")).to_contain_text("3 diunggah")
    assert sorted(photos.files.values_list("slot", "version")) == [(1, 1), (2, 1), (3, 1)]
    _fits(page)

    # dropping a file on a card sends it, as if chosen (uploads.js); the first document takes one file
    with page.expect_navigation():
        page.evaluate("""([selector, bytes]) => {
            const data = new DataTransfer();
            data.items.add(new File([new Uint8Array(bytes)], "ijazah-seret.png", {type: "image/png"}));
            const card = document.querySelector(selector);
            card.dispatchEvent(new DragEvent("dragenter", {bubbles: true, cancelable: true, dataTransfer: data}));
            card.dispatchEvent(new DragEvent("drop", {bubbles: true, cancelable: true, dataTransfer: data}));
        }""", [f"#doc-{first.pk}", list(sample_png())])
    expect(page.locator(f"#doc-{first.pk}")).to_contain_text("ijazah-seret.png")
    assert first.files.get().original_name == "ijazah-seret.png"


def test_a_hostile_file_among_several_is_refused_by_name_and_the_others_are_kept(live_server, page):
    app, photos, _first = _draft_with_photos()
    ui_login(page, "rina@example.go.id", PASSWORD)
    page.goto(f"/permohonan/{app.pk}/isi/dokumen/")
    card = page.locator(f"#doc-{photos.pk}")
    card.locator("input[type=file]").set_input_files([
        _photo("foto-1.png"),
        {"name": "foto-2.png", "mimeType": "image/png", "buffer": b"<html><script>document.title='PWNED'</script>"},
        _photo("foto-3.png")])
    card.locator("button:has-text('Tambah berkas')").click()
    main = page.locator("main")
    expect(main).to_contain_text("“foto-2.png”")
    expect(main).to_contain_text("isinya yang diperiksa")
    expect(main).to_contain_text("“Pasfoto 3x4”: 2 berkas tersimpan (foto-1.png, foto-3.png)")
    expect(card.locator("[data-slot='1']")).to_contain_text("foto-1.png")
    expect(card.locator("[data-slot='2']")).to_contain_text("foto-3.png")
    expect(card.locator("[data-slot='3'] [data-empty]")).to_have_text("belum diunggah")
    assert "PWNED" not in page.title()
    assert sorted(DocumentFile.objects.filter(document=photos).values_list("original_name", flat=True)) == [
        "foto-1.png", "foto-3.png"]


def _keyboard_to(page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got focus from the keyboard")


@pytest.mark.pdf_viewer  # looks at the PDF in Chromium's own viewer (tests/browser/conftest.py)
@pytest.mark.parametrize("width", [1280, 390])
def test_the_verifier_goes_document_by_document_with_the_file_and_the_note_in_view(live_server, browser, width):
    profile = ProfileFactory(user=UserFactory(email="ayu@example.go.id", roles=[Role.APPLICANT]), full_name="Ayu")
    app = submitted_application(profile, scheme_with_parts(units=1, elements=1, documents=3))
    UserFactory(email="vera@example.go.id", roles=[Role.VERIFIER])
    docs = list(app.documents.select_related("requirement").order_by("requirement__position"))
    context = browser.new_context(base_url=live_server.url, locale="id-ID", reduced_motion="reduce",
                                  viewport={"width": width, "height": 844 if width == 390 else 900})
    page = context.new_page()
    ui_login(page, "vera@example.go.id", PASSWORD)
    page.goto(f"/permohonan/verifikasi/{app.pk}/")
    for n, doc in enumerate(docs, start=1):
        expect(page.locator("#doc-position")).to_have_text(f"Dokumen {n} dari 3")
        expect(page.locator("#current-doc-title")).to_have_text(doc.requirement.name)
        expect(page.locator(f"#reason-{doc.pk}")).to_be_in_viewport()  # the note field is in view…
        expect(page.locator("#current-doc iframe.doc-frame")).to_be_in_viewport()  # …with the file it is about
        if n == 1:
            _keyboard_to(page, f"#acc-{doc.pk}")
        expect(page.locator(f"#acc-{doc.pk}")).to_be_focused()  # the keyboard is on the decision (after a record too)
        if n == 2:
            page.keyboard.press("ArrowRight")  # "Kembalikan"
            page.keyboard.press("Tab")
            page.keyboard.type("Tanda tangan pejabat tidak terbaca")
        else:
            page.keyboard.press("Space")
            page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if width == 390:
            _fits(page)
    assert [d.review for d in app.documents.order_by("requirement__position")] == ["accepted", "returned", "accepted"]
    # every document decided, the first comes round again; "Berikutnya" (keyboard) to the returned one: its
    # decision and reason are kept on screen
    expect(page.locator("#doc-position")).to_have_text("Dokumen 1 dari 3")
    _keyboard_to(page, "#doc-next")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#current-doc-title")).to_have_text(docs[1].requirement.name)
    expect(page.locator(f"#ret-{docs[1].pk}")).to_be_checked()
    expect(page.locator(f"#reason-{docs[1].pk}")).to_have_value("Tanda tangan pejabat tidak terbaca")
    expect(page.locator("#checklist")).to_contain_text("Tanda tangan pejabat tidak terbaca")
    # the notes on the applicant's data are in view on the return form, not folded away
    expect(page.locator("#return-form input[name=note_rank]")).to_be_visible()
    context.close()


def _event_waiting_for_the_head(lina, tono, asa):
    from assessments import services as events
    from tests.assessments.factories import (
        SiteFactory,
        assess,
        make_application,
        make_assessor,
        mark_all_present,
        planned_event,
        run_steps,
        scheme_with_units,
    )

    scheme = scheme_with_units(2)
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(head=tono), days_ahead=2,
                          assessor=make_assessor(asa, schemes=[scheme]), applications=[make_application(scheme)])
    event = run_steps(event, 4, admin=lina, tuk_head=tono)
    type(event).objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=30))
    mark_all_present(event, actor=asa)
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    assess(event.participants.get(), assessor_user=asa)
    events.report_sign_as_assessor(event, actor=asa)
    return event


def test_the_event_page_says_who_acts_next_and_the_head_follows_the_link(live_server, phone_page):
    lina = UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN])
    tono = UserFactory(full_name="Tono Kepala TUK", email="tono@example.go.id", roles=[Role.TUK_HEAD])
    asa = UserFactory(full_name="Asa Assessor", email="asa@example.go.id", roles=[Role.ASSESSOR],
                      preferred_language="en")
    event = _event_waiting_for_the_head(lina, tono, asa)
    page = phone_page
    ui_login(page, "asa@example.go.id", PASSWORD)  # the assessor reads English, and has no link: not theirs
    page.goto(reverse("assessments:event", args=[event.pk]))
    expect(page.locator("#next-act")).to_contain_text(
        "Next: Head of test site (Kepala TUK) (Tono Kepala TUK) — Sign the official report · step 6 on this page")
    expect(page.locator("#next-act a")).to_have_count(0)
    _fits(page)
    page.context.clear_cookies()
    ui_login(page, "tono@example.go.id", PASSWORD)
    page.goto(reverse("assessments:event", args=[event.pk]))
    line = page.locator("#next-act")
    expect(line).to_contain_text("Berikutnya: Kepala Tempat Uji Kompetensi (Kepala TUK) (Tono Kepala TUK) — "
                                 "Tandatangani berita acara · langkah 6 di halaman ini")
    _fits(page)
    _keyboard_to(page, "#next-act a")
    page.keyboard.press("Enter")
    # focus lands on the step's own controls (the table scrolls to them on a phone), the button in view
    page.wait_for_function("() => document.activeElement.closest('#step-6') !== null")
    expect(page.locator("#step-6 button[data-act=report_signed]")).to_be_in_viewport()
