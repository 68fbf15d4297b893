"""The pages of the source documents' guards on a phone (390 px), in both languages, by keyboard: the LSP profile's
licence, step 4's contact form on the event page and the SOP version, the decrees page, the complaint channels and
the evaluation's results acknowledged."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import reference as sop_reference
from certportal.accounts.models import Role
from certportal.lsp.models import LspProfile
from schemes import reference
from schemes.evaluations import evaluation_record
from schemes.models import Decree
from tests.assessments.factories import (
    SiteFactory,
    make_application,
    make_assessor,
    planned_event,
    run_steps,
    scheme_with_units,
)
from tests.browser.conftest import ui_login, ui_logout
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> None:
    """Nothing wider than the phone's screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 392, page.url


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_guards_pages_on_a_phone(phone_page, language, tmp_path):
    page = phone_page
    lina = UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN],
                       preferred_language=language)
    tono = UserFactory(full_name="Tono Kepala TUK", email="tono@example.go.id", roles=[Role.TUK_HEAD],
                       preferred_language=language)
    asa = UserFactory(full_name="Asa Assessor", email="asa@example.go.id", roles=[Role.ASSESSOR])
    scheme = scheme_with_units(2)
    sop_reference.load()  # the SOP record every event follows (a migration's row is flushed between these tests)
    today = timezone.localdate()
    LspProfile.objects.create(pk=1, name="LSP Uji", city="Jakarta", licence_number="BNSP-LSP-1207-ID",
                              licence_valid_until=today + datetime.timedelta(days=90), licence_scope=[scheme.code],
                              complaint_office="Bidang Pengembangan SDM ASN, Jl. Abdul Muis 66",
                              complaint_email="pengaduan@lsp.go.id", helpdesk="(021) 3865580")
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(head=tono),
                          assessor=make_assessor(asa, schemes=[scheme]),
                          applications=[make_application(scheme, name="Peserta Satu")])
    run_steps(event, 3, admin=lina, tuk_head=tono)
    words = {"id": ("Lisensi BNSP", "Catat kontak", "Mengikuti: SOP", "Kaji ulang keputusan terlambat",
                    "Datang langsung", "Saya telah membaca hasilnya", "Anda menyatakan telah membaca"),
             "en": ("BNSP licence", "Record the contact", "Followed: SOP", "Decree reviews overdue",
                    "In person", "I have read the results", "You confirmed reading")}[language]

    ui_login(page, lina.email, PASSWORD)
    page.goto(reverse("lsp:profile"))
    assert words[0] in page.locator("#licence-title").inner_text()
    assert "BNSP-LSP-1207-ID" in page.locator("[data-licence]").inner_text()
    fits(page)
    page.screenshot(path=str(tmp_path / f"profile-{language}.png"), full_page=True)

    page.goto(reverse("assessments:event", args=[event.pk]))
    assert words[2] in page.locator("#event-procedure").inner_text()
    form = page.locator('form[data-action="assessments.event.participant_reached"]')
    form.locator("select[name=how]").focus()
    page.keyboard.press("ArrowDown")
    form.locator("input[name=reached_at]").fill(
        timezone.localtime().strftime("%Y-%m-%dT%H:%M"))  # in WIB, to the minute: after the schedule went out
    form.locator("input[name=note]").fill("Siap hadir")
    form.locator("button").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".participant-reached").count() == 1
    fits(page)
    page.screenshot(path=str(tmp_path / f"event-{language}.png"), full_page=True)

    reference.load_kkni(lambda *_: None)
    assert Decree.objects.filter(review_due_on__isnull=False).exists()
    page.goto("/beranda/")
    assert words[3] in page.locator("#work-queue").inner_text()
    page.goto(reverse("schemes:manage-decrees"))
    assert page.locator(".review-overdue").count() == 1
    fits(page)
    page.screenshot(path=str(tmp_path / f"decrees-{language}.png"), full_page=True)

    ui_logout(page)
    page.goto(reverse("complaints:public-new"))
    assert page.locator('#complaint-channels [data-channel="email"] a').inner_text() == "pengaduan@lsp.go.id"
    fits(page)

    reference.load_service_standard()
    record = evaluation_record(actor=lina, year=today.year - 1, held_on=today, participants="Staf",
                               findings="Antrean panjang.", decisions="Tambah petugas.")
    ui_login(page, tono.email, PASSWORD)
    page.goto(reverse("schemes:evaluation-read", args=[record.pk]))
    page.locator("#acknowledge-evaluation").focus()
    assert words[5] in page.locator("#acknowledge-evaluation").inner_text()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert words[6] in page.locator("#evaluation-acknowledged").inner_text()
    fits(page)
    page.screenshot(path=str(tmp_path / f"evaluation-{language}.png"), full_page=True)
