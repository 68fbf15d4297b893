"""Acceptance: one event from scheduling to handover, in the browser.

Two participants: Alice is competent; Bob is not yet competent in one unit, appeals, and is re-assessed on that
unit only. The certificate PDF is read back (text and QR code), the QR leads to a page that says "valid", and an
assessor of another event gets 403 on every page of this one.
"""

import datetime
import io
import re

import pytest
import time_machine
from django.utils import timezone, translation

from applicants.models import Status as AppStatus
from assessments.certificates.models import Certificate
from assessments.events.models import Assessor, Event, Participant
from certportal.accounts.models import Role
from tests.assessments.factories import (
    SiteFactory,
    assessment_reviewed,
    make_application,
    make_assessor,
    planned_event,
    scheme_with_units,
    signed_records,
)
from tests.browser.conftest import ui_login, ui_logout
from tests.browser.pleno import decide_in_pleno
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(page, user):
    ui_logout(page)
    ui_login(page, user.email, PASSWORD, land=True)


def no_errors(page) -> None:
    assert page.locator(".alert-danger").count() == 0, page.locator(".alert-danger").all_inner_texts()


def submit(page, selector: str) -> None:
    """Click a button that posts a form, wait for the page the portal answers with, and see no error on it."""
    with page.expect_navigation():
        page.click(selector)
    no_errors(page)


def step(page, event, number):
    """Whoever is logged in marks SOP step ``number`` as done on the event page."""
    page.goto(f"/asesmen/acara/{event.pk}/")
    submit(page, f'button[data-step="{number}"]')


def nine_oclock(*, in_days: int) -> datetime.datetime:
    return (timezone.localtime() + datetime.timedelta(days=in_days)).replace(hour=9, minute=0, second=0,
                                                                              microsecond=0)


def act(page, event, name):
    """Whoever is logged in takes the named SOP action from its button on the event page."""
    page.goto(f"/asesmen/acara/{event.pk}/")
    submit(page, f'button[data-act="{name}"]')


def plan_event(page, *, scheme, site, starts_at, assessor, applications) -> Event:
    """The LSP admin plans an event, adds the assessor and the participants, and sends the schedule; the assessor
    confirms the assignment on the event page, which completes step 1."""
    page.goto("/asesmen/acara/baru/")
    page.select_option("select[name=scheme]", str(scheme.pk))
    page.select_option("select[name=test_site]", str(site.pk))
    page.fill("input[name=starts_at]", timezone.localtime(starts_at).strftime("%Y-%m-%dT%H:%M"))
    submit(page, "main form button[type=submit]")
    event = Event.objects.get(pk=re.fullmatch(r".*/asesmen/acara/(\d+)/", page.url).group(1))
    page.select_option("select[name=assessor]", str(assessor.pk))
    submit(page, "#add-assessor")
    for application in applications:
        page.check(f"#app{application.pk}")
    submit(page, "#add-participants")
    act(page, event, "schedule_distributed")
    admin = Event.objects.get(pk=event.pk).created_by
    as_user(page, assessor.user)
    act(page, event, "assessor_confirmed")
    assert Event.objects.get(pk=event.pk).status == "schedule_sent"
    as_user(page, admin)
    page.goto(f"/asesmen/acara/{event.pk}/")
    return event


def get_ready(page, p, event) -> None:
    """Steps 2-4: each assessor plans the test and the Kepala TUK prepares the site, the admin reminds the
    candidates, each participant confirms attendance and accepts FR.AK.01 on their own page, and the admin obtains
    the confirmation."""
    for link in event.event_assessors.select_related("assessor__user"):  # seed 002 step 2: the planning
        as_user(page, link.assessor.user)
        page.goto(f"/asesmen/acara/{event.pk}/")
        page.click("#record-planning")
        page.fill("#id_units_methods", "Semua unit: observasi (IA.01) dan pertanyaan lisan (IA.07)")
        page.fill("#id_schedule", "09.00 pengarahan; 09.30 uji; 12.00 umpan balik")
        page.fill("#id_tools_materials", "Komputer, printer, formulir")
        page.fill("#id_coordination", "Dengan Bidang Teknis Operasional")
        submit(page, "#save-planning")
    as_user(page, p["tono"])
    page.goto(f"/asesmen/acara/{event.pk}/")
    for item in ("facilities", "tools_materials", "room_safety", "staff", "scope"):  # seed 002 step 2's checklist
        page.check(f"#ready-{item}")
    submit(page, "#save-readiness")
    step(page, event, 2)
    as_user(page, p["lina"])
    step(page, event, 3)
    for participant in event.participants.select_related("application__applicant"):
        as_user(page, participant.application.applicant)
        page.goto(f"/asesmen/saya/{participant.pk}/")
        submit(page, "#confirm-attendance")
        page.fill("#agreement-name", participant.name)  # FR.AK.01 is signed by typing one's name
        page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
        submit(page, "#accept-agreement")
        assert page.locator(".bi-check-circle").count() == 2
    as_user(page, p["lina"])
    step(page, event, 4)


def record_attendance(page, event) -> None:
    """The assessor marks every participant and assessor present on the attendance page."""
    page.goto(f"/asesmen/acara/{event.pk}/kehadiran/")
    for radio in page.locator("input[type=radio][value='1']").all():
        radio.check()
    submit(page, "#attendance-each button.btn-primary")  # one by one (the "all present" form is above)
    assert page.url.endswith(f"/asesmen/acara/{event.pk}/")


def assessor_consents(page, participant) -> None:
    """The assessor consents to the participant's FR.AK.01 on the participant page, typing their name."""
    page.goto(f"/asesmen/peserta/{participant.pk}/")
    page.fill("#assessor-consent-name", participant.assessor.user.full_name)
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    submit(page, "#assessor-consent")


def fill_results(page, participant, results: dict, *, explanation="Belum dapat menunjukkan bukti SOP layanan"):
    """The assessor records the given units; these are exactly the units the page offers to assess."""
    signed_records(participant, units=[u for u, r in results.items() if r == "K"])  # what each K rests on (MAPA)
    page.goto(f"/asesmen/peserta/{participant.pk}/")
    assert page.locator(".result-choice").count() == len(results)
    for unit, result in results.items():
        page.locator(f"label[for=result_{unit.pk}_{result}]").click()  # K/BK: two radio buttons (issue 15)
        page.locator(f"#evidence_{unit.pk}").scroll_into_view_if_needed()  # the unit's evidence opens on a choice
        page.fill(f"#evidence_{unit.pk}", "Portofolio: SK, laporan kegiatan; wawancara")
        if result == "BK":
            page.fill(f"#explanation_{unit.pk}", explanation)
    submit(page, "#save-results")


def hold_and_sign(page, event) -> None:
    """The assessor documents the test with a photo, closes the day (step 5) and signs the official report."""
    from tests.hostile_files import real_png

    page.goto(f"/asesmen/acara/{event.pk}/")
    page.set_input_files("#documentation input[name=file]",
                         files=[{"name": "uji.png", "mimeType": "image/png", "buffer": real_png()}])
    submit(page, "#add-documentation")
    step(page, event, 5)
    # signing locks the results: the portal asks first (issue 15), the assessor agrees
    page.once("dialog", lambda dialog: dialog.accept())
    act(page, event, "report_signed_by_assessor")


def sign_and_review(page, p, event) -> None:
    """The Kepala TUK signs (step 6: the results lock); the Kepala TUK and quality management review (step 7)."""
    as_user(page, p["tono"])
    page.once("dialog", lambda dialog: dialog.accept())  # the signature that locks the results asks first
    step(page, event, 6)
    page.fill("textarea[name=minutes]", "Uji berjalan tertib; semua peserta hadir.")  # step 7 rests on them
    submit(page, "form[action$='/notulen/'] button")
    assessment_reviewed(event, quality=p["quinn"])  # FR.AK.05 and FR.AK.06 come before step 7 (issue 30 item 7)
    page.once("dialog", lambda dialog: dialog.accept())  # so does each signature of the review
    act(page, event, "review_signed")
    as_user(page, p["quinn"])
    page.once("dialog", lambda dialog: dialog.accept())
    act(page, event, "review_signed")
    assert Event.objects.get(pk=event.pk).status == "reviewed"


def decide(page, participant, decision: str) -> None:
    """The LSP admin, who did not assess, records the decision that the recommendation proposes, in the event's
    pleno (the event is on an assessment plan: the participant page points to the pleno page)."""
    page.goto(f"/asesmen/peserta/{participant.pk}/")
    assert page.locator("#recommendation").inner_text() == decision
    assert page.locator("#decide-in-pleno").count() == 1
    decide_in_pleno(page, participant, decision, admin=participant.event.created_by)
    no_errors(page)
    page.goto(f"/asesmen/peserta/{participant.pk}/")
    assert page.locator("#decision").inner_text() == decision


@pytest.fixture
def people(db):
    scheme = scheme_with_units(3)
    tono = UserFactory(full_name="Tono Kepala TUK", email="tono@example.go.id", roles=[Role.TUK_HEAD])
    site = SiteFactory(head=tono, name="TUK Sewaktu BPSDM DKI")
    asa = UserFactory(full_name="Asa Assessor", email="asa@example.go.id", roles=[Role.ASSESSOR])
    make_assessor(asa, schemes=[scheme], reg="MET.000.001234.2026")
    oscar = UserFactory(full_name="Oscar Other Assessor", email="oscar@example.go.id", roles=[Role.ASSESSOR])
    oscar_assessor = make_assessor(oscar, schemes=[scheme])
    lina = UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN])
    quinn = UserFactory(full_name="Quinn Quality", email="quinn@example.go.id", roles=[Role.QUALITY])
    alice = UserFactory(full_name="Alice Applicant", email="alice@example.go.id", roles=[Role.APPLICANT])
    bob = UserFactory(full_name="Bob Applicant", email="bob@example.go.id", roles=[Role.APPLICANT])
    alice_app = make_application(scheme, alice, name="Alice Applicant, S.Sos.")
    bob_app = make_application(scheme, bob, experienced=False, name="Bob Applicant, S.E.")
    # Oscar assesses another event of the same scheme.
    planned_event(actor=lina, scheme=scheme, site=site, assessor=oscar_assessor,
                  applications=[make_application(scheme, name="Citra Lain")])
    return {"scheme": scheme, "site": site, "tono": tono, "asa": asa, "oscar": oscar, "lina": lina, "quinn": quinn, "alice": alice,
                "bob": bob, "alice_app": alice_app, "bob_app": bob_app}


def test_one_event_from_scheduling_to_handover(page, people, settings, live_server):
    with time_machine.travel(timezone.now(), tick=True) as clock:
        _one_event_from_scheduling_to_handover(page, people, settings, live_server, clock)


def _one_event_from_scheduling_to_handover(page, people, settings, live_server, clock):
    settings.SITE_URL = live_server.url
    p = people
    units = [su.unit for su in p["scheme"].scheme_units.select_related("unit").order_by("position")]

    asa_assessor = Assessor.objects.get(user=p["asa"])

    # The LSP admin plans the event with the assessor and both participants, and sends the schedule (step 1).
    as_user(page, p["lina"])
    event = plan_event(page, scheme=p["scheme"], site=p["site"], starts_at=nine_oclock(in_days=7),
                       assessor=asa_assessor, applications=[p["alice_app"], p["bob_app"]])
    assert page.locator("#participants").inner_text().count("Asa Assessor") == 2
    # Steps 2-4; both participants confirm attendance and accept FR.AK.01 on their own pages.
    get_ready(page, p, event)

    # On the day (nothing about the test can be recorded before it starts): attendance, results (Bob BK in one
    # unit), step 5, the assessor signs.
    clock.move_to(event.starts_at + datetime.timedelta(minutes=30))
    as_user(page, p["asa"])
    record_attendance(page, event)
    alice_p = Participant.objects.get(event=event, application=p["alice_app"])
    bob_p = Participant.objects.get(event=event, application=p["bob_app"])
    assessor_consents(page, alice_p)
    assessor_consents(page, bob_p)
    fill_results(page, alice_p, dict.fromkeys(units, "K"))
    fill_results(page, bob_p, {units[0]: "K", units[1]: "BK", units[2]: "K"})
    hold_and_sign(page, event)
    sign_and_review(page, p, event)

    # The LSP admin (who did not assess) decides.
    as_user(page, p["lina"])
    decide(page, alice_p, "K")
    decide(page, bob_p, "BK")

    # Bob reads the explanation of his BK unit and appeals.
    as_user(page, p["bob"])
    page.goto(f"/asesmen/saya/{bob_p.pk}/")
    assert "Belum dapat menunjukkan bukti SOP layanan" in page.content()
    page.fill("textarea[name=grounds]", "Bukti SOP layanan saya tidak diperiksa.")
    submit(page, "#file-appeal")
    assert p["bob_app"].__class__.objects.get(pk=p["bob_app"].pk).status == AppStatus.APPEALED

    # Quinn (neither assessed nor decided) orders a re-assessment of the BK unit.
    as_user(page, p["quinn"])
    page.goto("/asesmen/banding/")
    page.click("table a")
    page.check("input[name=outcome][value=reassess]")
    page.fill("textarea[name=note]", "Bukti SOP belum dinilai; nilai ulang unit BK.")
    page.check(f"input[name=units][value='{units[1].pk}']")
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    submit(page, "#decide-appeal")

    # The re-assessment sitting, the same way: the admin plans a new event with Bob, everyone gets ready.
    as_user(page, p["lina"])
    event2 = plan_event(page, scheme=p["scheme"], site=p["site"],
                        starts_at=nine_oclock(in_days=21), assessor=asa_assessor,
                        applications=[p["bob_app"]])
    re_p = Participant.objects.get(event=event2)
    assert re_p.reassessment_of == bob_p
    get_ready(page, p, event2)

    # Only the BK unit is re-assessed: the K units are carried over from the first sitting, not offered again.
    clock.move_to(event2.starts_at + datetime.timedelta(minutes=30))
    as_user(page, p["asa"])
    record_attendance(page, event2)
    assessor_consents(page, re_p)
    fill_results(page, re_p, {units[1]: "K"})
    assert page.locator(f".unit-row[data-unit='{units[0].code}'] .unit-result").inner_text() == "K"
    hold_and_sign(page, event2)
    sign_and_review(page, p, event2)
    as_user(page, p["lina"])
    decide(page, re_p, "K")

    # Documents come after the tests (a certificate is never dated before its test or decision): the day after.
    _after(event2.starts_at + datetime.timedelta(days=1))

    # Alice accepts the holder obligations; the admin issues and prints the whole event as one PDF: the page first
    # lists who will be printed and who is skipped and why.
    as_user(page, p["alice"])
    page.goto(f"/asesmen/saya/{alice_p.pk}/")
    submit(page, "#accept-obligations")
    as_user(page, p["lina"])
    page.goto(f"/asesmen/acara/{event.pk}/")
    page.click("#print-certificates")
    assert "Alice Applicant" in page.locator("#print-will").inner_text()
    submit(page, "#print-confirm")
    page.locator(".print-job .job-download:not(.d-none)").first.wait_for()
    assert "1/1" in page.locator(".print-job").first.inner_text()
    cert = Certificate.objects.get(participant=alice_p)

    # The certificate PDF read back: name, number, scheme, expiry; the QR code leads to the verification page.
    response = page.request.get(f"/asesmen/sertifikat/{cert.pk}/pdf/")
    assert response.status == 200
    pdf = response.body()
    from pypdf import PdfReader

    text = " ".join(" ".join(pg.extract_text() for pg in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Alice Applicant, S.Sos." in text
    from certportal.templatetags.documents import long_date

    assert cert.number in text and p["scheme"].name in text and long_date(cert.expires_on) in text
    assert cert.expires_on == cert.issued_on.replace(year=cert.issued_on.year + 3)
    url = decode_qr(pdf)
    assert url == f"{live_server.url}/asesmen/verifikasi/{cert.verification_code}/"

    # Handover by the admin, in an LSP whose admin hands certificates over (off by default: the BKPSDM officer does):
    # the application is handed over.
    settings.ASSESSMENT_LSP_ADMIN_HANDS_OVER = True
    page.goto(f"/asesmen/sertifikat/{cert.pk}/")
    page.fill("input[name=received_by]", "Alice Applicant")
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    submit(page, "#handover")
    assert p["alice_app"].__class__.objects.get(pk=p["alice_app"].pk).status == AppStatus.HANDED_OVER

    # Anyone opening the QR address sees "valid".
    ui_logout(page)
    page.goto(url)
    with translation.override("id"):
        valid = str(translation.gettext("Valid"))
    assert page.locator("#verify-status").get_attribute("data-status") == "valid"
    assert valid in page.locator("#verify-status").inner_text()
    assert "Alice Applicant, S.Sos." in page.content()

    # An assessor of another event gets 403 on every page of this one.
    as_user(page, p["oscar"])
    for url in event_urls(event):
        assert page.request.get(url).status == 403, url


_TRAVELS: list = []


def _after(moment: datetime.datetime) -> None:
    """Let the clock (every thread's, the live server's too) run on from ``moment`` until the test ends."""
    import time_machine

    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    _TRAVELS.append(traveller)


@pytest.fixture(autouse=True)
def _back_to_now():
    yield
    while _TRAVELS:
        _TRAVELS.pop().stop()


def event_urls(event) -> list[str]:
    urls = [f"/asesmen/acara/{event.pk}/", f"/asesmen/acara/{event.pk}/kehadiran/"]
    urls += [f"/asesmen/acara/{event.pk}/dokumen/{d}.pdf" for d in ("berita-acara", "daftar-hadir", "notulen")]
    for participant in event.participants.all():
        urls.append(f"/asesmen/peserta/{participant.pk}/")
        urls += [f"/asesmen/hasil/{r.pk}/koreksi/" for r in participant.results.all()]
        urls += [f"/asesmen/banding/{a.pk}/" for a in participant.appeals.all()]
        urls += [f"/asesmen/sertifikat/{c.pk}/" for c in participant.certificates.all()]
        urls += [f"/asesmen/sertifikat/{c.pk}/pdf/" for c in participant.certificates.all()]
    urls += [f"/asesmen/cetak/{job.pk}/status.json" for job in event.print_jobs.all()]
    urls += [f"/asesmen/cetak/{job.pk}/unduh/" for job in event.print_jobs.all()]
    return urls


def decode_qr(pdf: bytes) -> str:
    import pypdfium2
    import zxingcpp

    doc = pypdfium2.PdfDocument(pdf)
    image = doc[0].render(scale=3).to_pil()
    results = zxingcpp.read_barcodes(image)
    assert results, "no QR code found on the certificate"
    return results[0].text
