"""Issue 29, "Not done until", in Chromium and in Indonesian (the portal's default): an agency officer uploads a
30-row XLSX with 4 faulty rows, sees the four problems, proposes the 26; the head of the agency and the Sekretaris
Daerah sign for the cohort; a proposed civil servant registers from the invitation and finds the letters in their
dossier; the verifier sees who signed them; a 27th proposal beyond the quota is refused; another agency's officer
sees none of it; once the civil servant is certified, the head of the agency sees the certificate and the competence
map of their position (a scheme it needs that they lack shown missing), and the other agency's officer sees none of
that either."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.letters.rules import REQUIREMENTS
from agencies.models import (
    AgencyMembership,
    CohortLetter,
    FundedRound,
    PositionNeed,
    Proposal,
    RoundQuota,
    RoundStatus,
)
from applicants import services as applicant_services
from applicants.models import Agency, Application, SelfAssessment, Status
from assessments.certificates import services as certs
from certportal.accounts.models import Role, User
from certportal.accounts.services import email_confirmation_token
from schemes.models import RequiredDocument
from tests.agencies.conftest import person, workbook
from tests.applicants.factories import make_nip, scheme_with_parts
from tests.applicants.helpers import pdf_upload
from tests.assessments.factories import SiteFactory, decide_event, make_assessor, planned_event
from tests.browser import agency_steps
from tests.browser.conftest import ui_login, ui_logout
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LETTER_NAMES = sorted({n for names in REQUIREMENTS.values() for n in names})


def _member(name, email, role, agency, position=""):
    user = UserFactory(full_name=name, email=email, roles=[role], preferred_language="id")
    if agency is not None:
        AgencyMembership.objects.create(user=user, agency=agency, position=position)
    return user


def _world():
    dinkes, disdik = Agency.objects.create(name="Dinas Kesehatan"), Agency.objects.create(name="Dinas Pendidikan")
    people = {
        "oki": _member("Oki Pengelola", "oki@example.go.id", Role.AGENCY_OFFICER, dinkes),
        "hana": _member("dr. Hana Wibisono, M.Kes.", "hana@example.go.id", Role.AGENCY_HEAD, dinkes,
                        "Kepala Dinas Kesehatan"),
        "sekar": _member("Drs. Sekar Bahri, M.Si.", "sekar@example.go.id", Role.REGIONAL_SECRETARY, None),
        "otto": _member("Otto Pengelola", "otto@example.go.id", Role.AGENCY_OFFICER, disdik),
        "victor": UserFactory(full_name="Victor Verifikator", email="victor@example.go.id", roles=[Role.VERIFIER]),
    }
    scheme = scheme_with_parts(units=1, elements=1, documents=1)
    for i, name in enumerate(LETTER_NAMES, start=10):
        RequiredDocument.objects.create(scheme=scheme, category=RequiredDocument.Category.SERVICE, name=name,
                                        accepted_kinds=["pdf"], position=i)
    today = timezone.localdate()
    funded = FundedRound.objects.create(name="APBD Sertifikasi", fiscal_year=today.year, status=RoundStatus.OPEN,
                                        opens_on=today - datetime.timedelta(days=7),
                                        closes_on=today + datetime.timedelta(days=30))
    funded.schemes.set([scheme])
    RoundQuota.objects.create(round=funded, agency=dinkes, places=26)
    RoundQuota.objects.create(round=funded, agency=disdik, places=5)
    return people, scheme, funded


def _thirty_rows_four_faulty():
    rows = [[p["nip"], p["name"], p["email"], "S1", "III/b"] for p in (person(i) for i in range(1, 27))]
    rows.insert(3, ["19850314201001100", "Salah Ketik", "salah@example.go.id", "S1", "III/b"])  # 17 digits
    rows.insert(8, [rows[0][0], "Dua Kali", "duakali@example.go.id", "S1", "III/b"])  # the NIP of line 2 again
    rows.insert(15, [make_nip(serial=901), "Masih Muda", "muda@example.go.id", "SMA", "II/a"])  # not eligible
    rows.insert(20, ['=HYPERLINK("http://evil/","x")', "Rumus", "rumus@example.go.id", "S1", "III/b"])
    return rows


def _officer_proposes_the_26(page, oki, funded, scheme):
    ui_login(page, oki.email, PASSWORD)
    page.goto("/perangkat-daerah/usulan/")
    page.select_option("select[name=upload-choice]", f"{funded.pk}:{scheme.pk}")
    data = workbook(_thirty_rows_four_faulty()).getvalue()
    page.set_input_files("input[name=upload-file]", {
        "name": "usulan.xlsx", "buffer": data,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    page.get_by_role("button", name="Periksa daftar").click()
    summary = page.get_by_test_id("preview-summary")
    expect(summary).to_contain_text("26 baris dapat diusulkan")
    expect(summary).to_contain_text("4 baris bermasalah")
    faulty = page.locator("[data-testid=faulty] li[data-line]")
    expect(faulty).to_have_count(4)
    expect(faulty.nth(0)).to_contain_text("18 digit")
    expect(faulty.nth(1)).to_contain_text("NIP ini juga ada di baris 2 berkas.")
    expect(faulty.nth(2)).to_contain_text("Tidak memenuhi syarat")
    expect(faulty.nth(3)).to_contain_text("berisi rumus")
    assert not Proposal.objects.exists()  # nothing saved before the officer confirms
    page.click("button[data-action='agencies.proposal.proposed']")
    expect(page.locator("main")).to_contain_text("26 orang sudah diusulkan dan diundang.")
    ui_logout(page)


def _sign(page, kind, number, name):
    row = page.locator(f"[data-letter={kind}]")
    details = row.locator("details")
    if details.get_attribute("open") is None:
        row.locator("summary").click()
    row.locator(f"input[name={kind}-number]").fill(number)
    row.locator(f"input[name={kind}-typed_name]").fill(name)
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))  # it asks first, counting the people
    row.locator(f"form[data-sign={kind}] button").click()
    expect(page.locator("main")).to_contain_text("sudah ditandatangani untuk seluruh angkatan")
    assert asked and asked[0].startswith("Tandatangani “") and " orang?" in asked[0]


def _head_and_sekda_sign(page, people, cohort_url):
    ui_login(page, people["hana"].email, PASSWORD)
    page.goto(cohort_url)
    _sign(page, "proposal", "800/2417/Dinkes/2026", "dr. Hana Wibisono, M.Kes.")
    _sign(page, "head_recommendation", "800/2418/Dinkes/2026", "dr. Hana Wibisono")
    _sign(page, "authenticity", "800/2419/Dinkes/2026", "DR. HANA WIBISONO, M.Kes")
    ui_logout(page)
    ui_login(page, people["sekar"].email, PASSWORD)
    page.goto(cohort_url)
    _sign(page, "secretary_recommendation", "000.8.3/5120/Setda/2026", "Drs. Sekar Bahri")
    expect(page.locator("[data-letter=secretary_recommendation] [data-signed]")).to_contain_text(
        "Ditandatangani oleh Drs. Sekar Bahri, M.Si. (Sekretaris Daerah)")
    ui_logout(page)
    assert CohortLetter.objects.filter(status="signed").count() == 4


def _register_from_the_invitation(page, proposal):
    page.goto(f"/perangkat-daerah/undangan/{proposal.token}/")
    expect(page.locator("main")).to_contain_text("Dinas Kesehatan mengusulkan Pegawai 01")
    page.locator("main").get_by_role("link", name="Daftar").click()
    page.fill("input[name=full_name]", "Pegawai 01")
    page.fill("input[name=email]", proposal.email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.check("input[name=consent]")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/akun/daftar/terkirim/"))
    user = User.objects.get(email=proposal.email)
    page.goto(f"/akun/konfirmasi/{email_confirmation_token(user)}/")
    ui_login(page, proposal.email, PASSWORD)
    page.goto("/permohonan/saya/profil/")
    page.fill("main form[method=post] input[name=nip]", proposal.nip)  # the profile, not the roster look-up above it
    page.fill("input[name=birth_place]", "Jakarta")
    page.fill("input[name=birth_date]", "1985-03-14")
    page.check("input[name=gender][value='1']")
    page.select_option("select[name=org_unit]", label="Dinas Kesehatan")
    page.fill("input[name=position]", "Perawat Ahli Muda")
    page.select_option("select[name=rank]", "III/c")
    page.select_option("select[name=education]", "S1")
    page.fill("input[name=years_of_service]", str(timezone.localdate().year - 2010))  # appointed 01/2010
    page.select_option("select[name=employer_government]", "31")
    page.fill("input[name=years_in_government]", "8")
    page.fill("input[name=phone]", "081311112222")
    page.click("main form[method=post] button[type=submit]")
    expect(page.locator("main")).to_contain_text("Profil Anda tersimpan.")
    page.goto(f"/perangkat-daerah/undangan/{proposal.token}/")
    page.get_by_role("button", name="Mulai permohonan saya").click()
    expect(page.locator("main")).to_contain_text("Permohonan Anda sudah dimulai")
    return user


def _finds_the_letters(page, app):
    page.goto(f"/permohonan/{app.pk}/isi/dokumen/")
    provided = page.locator("[data-provided]")
    expect(provided).to_have_count(len(LETTER_NAMES))
    expect(provided.first).to_contain_text("Diterbitkan di portal oleh Dinas Kesehatan: ditandatangani oleh "
                                           "dr. Hana Wibisono, M.Kes. (Kepala Dinas Kesehatan)")
    expect(page.locator("main")).to_contain_text("Diterbitkan di portal oleh Sekretaris Daerah: ditandatangani "
                                                 "oleh Drs. Sekar Bahri")
    # the rest of the wizard (data, the one document still asked, the self-assessment, submitting) is
    # test_applicants_journey's; here it is done through the services, uploading only what is still asked
    user = app.applicant
    applicant_services.application_save_data(app, user=user, purpose="certification", purpose_other="",
                                             experienced=True)
    asked = app.documents.exclude(requirement__name__in=LETTER_NAMES).get()
    applicant_services.document_upload(asked, user=user, upload=pdf_upload(), kind="pdf")
    link = app.scheme.scheme_units.get()
    applicant_services.self_assessment_save(app, user=user, answers=[
        (link.unit_id, link.unit.elements.get().pk, SelfAssessment.Answer.YES, "SK")])
    applicant_services.application_submit(app, user=user, declaration=True)


def test_an_agency_proposes_its_cohort_signs_its_letters_and_the_dossier_carries_them(live_server, page):
    people, scheme, funded = _world()
    _officer_proposes_the_26(page, people["oki"], funded, scheme)
    cohort = Proposal.objects.first().cohort
    cohort_url = f"/perangkat-daerah/angkatan/{cohort.pk}/"
    _head_and_sekda_sign(page, people, cohort_url)

    proposal = Proposal.objects.get(name="Pegawai 01")
    _register_from_the_invitation(page, proposal)
    app = Application.objects.get(agency_proposal=proposal)
    _finds_the_letters(page, app)
    ui_logout(page)

    ui_login(page, people["victor"].email, PASSWORD, land=True)
    doc = app.documents.get(requirement__name=REQUIREMENTS["secretary_recommendation"][0])
    page.goto(f"/permohonan/verifikasi/{app.pk}/?doc={doc.pk}")
    expect(page.locator("#doc-provided")).to_contain_text(
        "ditandatangani oleh Drs. Sekar Bahri, M.Si. (Sekretaris Daerah)")
    expect(page.locator("#doc-provided")).to_contain_text("nomor surat 000.8.3/5120/Setda/2026")
    expect(page.locator("#checklist [data-provided]")).to_have_count(len(LETTER_NAMES))
    ui_logout(page)

    ui_login(page, people["oki"].email, PASSWORD)  # a 27th proposal, beyond the 26 places
    page.goto("/perangkat-daerah/usulan/")
    page.select_option("select[name=person-choice]", f"{funded.pk}:{scheme.pk}")
    extra = person(27)
    for field in ("nip", "name", "email"):
        page.fill(f"input[name=person-{field}]", extra[field])
    page.select_option("select[name=person-education]", "S1")
    page.select_option("select[name=person-rank]", "III/b")
    page.get_by_role("button", name="Usulkan dan undang").click()
    expect(page.locator("main")).to_contain_text("Dinas Kesehatan memiliki 26 kuota dalam “APBD Sertifikasi")
    expect(page.locator("main")).to_contain_text("sisa 0 untuk 1 orang, kelebihan 1.")
    assert Proposal.objects.count() == 26
    ui_logout(page)

    ui_login(page, people["otto"].email, PASSWORD)  # another agency's officer sees none of it
    page.goto("/perangkat-daerah/")
    expect(page.get_by_test_id("cohorts")).not_to_contain_text(scheme.code)
    expect(page.locator("main")).not_to_contain_text("Pegawai 01")
    letter = CohortLetter.objects.get(kind="head_recommendation")
    for url in (cohort_url, f"/perangkat-daerah/surat/{letter.pk}/"):
        assert page.goto(url).status == 404
    ui_logout(page)

    # the head of the agency sees the certificate once issued and the competence map (issue 29 item 5): the
    # verification, naming and the assessment itself are other tests' (test_daily_verifier, test_rounds_and_naming,
    # test_assessment_itself); here the dossier becomes a participant's and the event is decided through services
    holder = _assessed_and_certified(app, scheme)
    needed = scheme_with_parts(units=1, elements=1, documents=1)
    PositionNeed.objects.create(agency=people["hana"].agency_membership.agency, position="Perawat Ahli Muda",
                                scheme=needed)
    PositionNeed.objects.create(agency=people["hana"].agency_membership.agency, position="Perawat Ahli Muda",
                                scheme=scheme)
    agency_steps.head_sees_certificate_and_map(
        page, live_server.url, email=people["hana"].email, password=PASSWORD, holder=holder.holder_name,
        number=holder.number, position="Perawat Ahli Muda", missing_scheme=needed.code, held_scheme=scheme.code)
    agency_steps.other_agency_sees_none(page, live_server.url, email=people["otto"].email, password=PASSWORD,
                                        names=[holder.holder_name, holder.number, "Perawat Ahli Muda"])


def _assessed_and_certified(app, scheme):
    lina = UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN])
    tono = UserFactory(full_name="Tono Kepala TUK", email="tono@example.go.id", roles=[Role.TUK_HEAD])
    asa = UserFactory(full_name="Asa Asesor", email="asa@example.go.id", roles=[Role.ASSESSOR])
    Application.objects.filter(pk=app.pk).update(status=Status.PARTICIPANT)
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(head=tono),
                          assessor=make_assessor(asa, schemes=[scheme]), applications=[app])
    decided = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K", accept_obligations=True)
    return certs.certificate_issue(decided.participants.get(), actor=lina)
