"""Acceptance: one event from scheduling to handover, in the browser.

Two participants: Alice is competent; Bob is not yet competent in one unit, appeals, and is re-assessed on that
unit only. The certificate PDF is read back (text and QR code), the QR leads to a page that says "valid", and an
assessor of another event gets 403 on every page of this one.
"""

import datetime
import io

import pytest
from django.utils import timezone, translation

from applicants.models import Status as AppStatus
from assessments import services
from assessments.models import Certificate, Event, Participant
from certportal.accounts.models import Role
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


def as_user(page, user):
    ui_logout(page)
    ui_login(page, user.email, PASSWORD)


def step(page, event, number):
    page.goto(f"/asesmen/acara/{event.pk}/")
    page.click(f'button[data-step="{number}"]')
    page.wait_for_load_state()
    assert page.locator(".alert-danger").count() == 0, page.locator(".alert-danger").all_inner_texts()


def fill_results(page, participant, results: dict, *, explanation="Belum dapat menunjukkan bukti SOP layanan"):
    page.goto(f"/asesmen/peserta/{participant.pk}/")
    for unit, result in results.items():
        page.select_option(f"#result_{unit.pk}", result)
        page.fill(f"#evidence_{unit.pk}", "Portofolio: SK, laporan kegiatan; wawancara")
        if result == "BK":
            page.fill(f"#explanation_{unit.pk}", explanation)
    page.click("#save-results")
    page.wait_for_load_state()
    assert page.locator(".alert-danger").count() == 0, page.locator(".alert-danger").all_inner_texts()


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
    settings.SITE_URL = live_server.url
    p = people
    units = [su.unit for su in p["scheme"].scheme_units.select_related("unit").order_by("position")]

    # The LSP admin plans the event, adds the assessor and both participants, and sends the schedule (step 1).
    as_user(page, p["lina"])
    page.goto("/asesmen/acara/baru/")
    page.select_option("select[name=scheme]", str(p["scheme"].pk))
    page.select_option("select[name=test_site]", str(p["site"].pk))
    when = timezone.localtime() + datetime.timedelta(days=7)
    page.fill("input[name=starts_at]", when.strftime("%Y-%m-%dT09:00"))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    event = Event.objects.exclude(participants__application__applicant_name="Citra Lain").get()
    assert page.url.endswith(f"/asesmen/acara/{event.pk}/")
    page.select_option("select[name=assessor]", label=None, index=0)
    page.click("#add-assessor")
    page.check(f"#app{p['alice_app'].pk}")
    page.check(f"#app{p['bob_app'].pk}")
    page.click("#add-participants")
    page.wait_for_load_state()
    assert page.locator("#participants").inner_text().count("Asa Assessor") == 2
    step(page, event, 1)

    # The Kepala TUK prepares the site (step 2); the admin reminds the candidates (step 3).
    as_user(page, p["tono"])
    step(page, event, 2)
    as_user(page, p["lina"])
    step(page, event, 3)

    # Both participants confirm attendance and accept FR.AK.01.
    for who in ("alice", "bob"):
        as_user(page, p[who])
        participant = Participant.objects.get(event=event, application__applicant=p[who])
        page.goto(f"/asesmen/saya/{participant.pk}/")
        page.click("#confirm-attendance")
        page.wait_for_load_state()
        page.click("#accept-agreement")
        page.wait_for_load_state()
        assert page.locator(".bi-check-circle").count() == 2
    as_user(page, p["lina"])
    step(page, event, 4)

    # On the day: attendance, results (Bob BK in one unit), step 5, the assessor signs.
    as_user(page, p["asa"])
    page.goto(f"/asesmen/acara/{event.pk}/kehadiran/")
    for radio in page.locator("input[type=radio][value='1']").all():
        radio.check()
    page.click("main form button.btn-primary")
    page.wait_for_load_state()
    alice_p = Participant.objects.get(event=event, application=p["alice_app"])
    bob_p = Participant.objects.get(event=event, application=p["bob_app"])
    fill_results(page, alice_p, dict.fromkeys(units, "K"))
    fill_results(page, bob_p, {units[0]: "K", units[1]: "BK", units[2]: "K"})
    step(page, event, 5)
    page.click("#sign-report")
    page.wait_for_load_state()

    # The Kepala TUK signs (step 6: results lock) and reviews (step 7).
    as_user(page, p["tono"])
    step(page, event, 6)
    step(page, event, 7)

    # The LSP admin (who did not assess) decides.
    as_user(page, p["lina"])
    for participant, decision in ((alice_p, "K"), (bob_p, "BK")):
        page.goto(f"/asesmen/peserta/{participant.pk}/")
        assert page.locator("#recommendation").inner_text() == decision
        page.check(f"input[name=decision][value={decision}]")
        page.click("#decide")
        page.wait_for_load_state()
        assert page.locator("#decision").inner_text() == decision

    # Bob reads the explanation of his BK unit and appeals.
    as_user(page, p["bob"])
    page.goto(f"/asesmen/saya/{bob_p.pk}/")
    assert "Belum dapat menunjukkan bukti SOP layanan" in page.content()
    page.fill("textarea[name=grounds]", "Bukti SOP layanan saya tidak diperiksa.")
    page.click("#file-appeal")
    page.wait_for_load_state()
    assert p["bob_app"].__class__.objects.get(pk=p["bob_app"].pk).status == AppStatus.APPEALED

    # Quinn (neither assessed nor decided) orders a re-assessment of the BK unit.
    as_user(page, p["quinn"])
    page.goto("/asesmen/banding/")
    page.click("table a")
    page.check("input[name=outcome][value=reassess]")
    page.fill("textarea[name=note]", "Bukti SOP belum dinilai; nilai ulang unit BK.")
    page.check(f"input[name=units][value='{units[1].pk}']")
    page.click("#decide-appeal")
    page.wait_for_load_state()
    assert page.locator(".alert-danger").count() == 0

    # The re-assessment sitting: the admin adds Bob to a new event; only the BK unit is assessed.
    as_user(page, p["lina"])
    assessor = services.Assessor.objects.get(user=p["asa"])
    event2 = planned_event(actor=p["lina"], scheme=p["scheme"], site=p["site"], assessor=assessor)
    page.goto(f"/asesmen/acara/{event2.pk}/")
    page.check(f"#app{p['bob_app'].pk}")
    page.click("#add-participants")
    page.wait_for_load_state()
    re_p = Participant.objects.get(event=event2)
    run_steps(event2, 4, admin=p["lina"], tuk_head=p["tono"])
    services.participant_accept_agreement(re_p, user=p["bob"])
    services.attendance_record(event2, actor=p["asa"], participants={re_p.pk: True},
                               assessors={a.pk: True for a in event2.event_assessors.all()})
    as_user(page, p["asa"])
    page.goto(f"/asesmen/peserta/{re_p.pk}/")
    assert page.locator(f"#result_{units[0].pk}").count() == 0  # K units are carried over, not re-assessed
    fill_results(page, re_p, {units[1]: "K"})
    run_steps(event2, 5, admin=p["lina"], tuk_head=p["tono"], assessor_user=p["asa"])
    services.report_sign_as_assessor(event2, actor=p["asa"])
    run_steps(event2, 7, admin=p["lina"], tuk_head=p["tono"])
    as_user(page, p["lina"])
    page.goto(f"/asesmen/peserta/{re_p.pk}/")
    page.check("input[name=decision][value=K]")
    page.click("#decide")
    page.wait_for_load_state()

    # Alice accepts the holder obligations; the admin issues and prints the whole event as one PDF.
    as_user(page, p["alice"])
    page.goto(f"/asesmen/saya/{alice_p.pk}/")
    page.click("#accept-obligations")
    page.wait_for_load_state()
    as_user(page, p["lina"])
    page.goto(f"/asesmen/acara/{event.pk}/")
    page.click("#print-certificates")
    page.wait_for_load_state()
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
    assert cert.number in text and p["scheme"].name in text and cert.expires_on.strftime("%d-%m-%Y") in text
    assert cert.expires_on == cert.issued_on.replace(year=cert.issued_on.year + 3)
    url = decode_qr(pdf)
    assert url == f"{live_server.url}/asesmen/verifikasi/{cert.verification_code}/"

    # Handover by the admin: the application is handed over.
    page.goto(f"/asesmen/sertifikat/{cert.pk}/")
    page.fill("input[name=received_by]", "Alice Applicant")
    page.click("#handover")
    page.wait_for_load_state()
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
