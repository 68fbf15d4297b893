"""Issue 30's "Not done until": a BNSP surveillance audit day in the browser, in Indonesian.

On the demo, the auditor reads with the supervisor (read-only): the impartiality committee, an approved threat
analysis and the current declarations; an assessor without one is offered no pleno seat, with the reason; an internal
audit finding whose corrective action was closed by someone other than its owner; a certificate reduced in scope, as
the public verification page and the employers' API show it; the LSP admin handles a misuse report to a warning.

On known records of quarter 3 of 2026 (``tests/quality/report_data.py``), the LSP admin makes the BNSP report in the
browser and its figures match the lists the test made; then approves the yearly disposal list, which anonymises an
old applicant while their certificate still verifies on the public page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.certificates.models import Certificate
from assessments.certificates.scope_models import MisuseReport
from assessments.certificates.services.holder import api_token_issue
from assessments.events.models import Appeal, Event, EventStatus
from certportal.accounts.models import User
from complaints.models import Complaint
from quality.retention.models import DisposalList, DisposalStatus
from quality.system.demo import AUDIT_SCOPE
from tests.browser.conftest import ui_login, ui_logout
from tests.browser.test_accessibility import DEMO_PASSWORD
from tests.factories import PASSWORD
from tests.quality import test_retention
from tests.quality.report_data import END, START, WIB, build_quarter
from tests.quality.test_retention import old  # noqa: F401 - the old applicant whose certificate still verifies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUPERVISOR, ADMIN, UNSIGNED = "pimpinan@demo.go.id", "admin.lsp@demo.go.id", "asesor.baru@demo.go.id"


def _impartiality(page) -> None:
    """The supervisor reads the committee, the threat analysis and who has a current declaration."""
    ui_login(page, SUPERVISOR, DEMO_PASSWORD)
    page.goto("/mutu/ketidakberpihakan/")
    expect(page.get_by_test_id("committee")).to_contain_text("Prof. Dr. Hasan Basri, M.Si.")
    expect(page.get_by_test_id("analyses")).to_contain_text("Disetujui")
    expect(page.get_by_test_id("analyses")).to_contain_text("tanggal tinjauan")
    expect(page.locator('[data-person="asesor@demo.go.id"]')).to_contain_text("berlaku sampai")
    expect(page.locator(f'[data-person="{UNSIGNED}"]')).to_contain_text("tidak ada yang berlaku")
    expect(page.get_by_role("link", name="Tambah anggota komite")).to_have_count(0)  # read-only for the auditor
    page.get_by_test_id("analyses").get_by_role("link").first.click()
    expect(page.get_by_test_id("threats").locator("tbody tr").first).to_be_visible()


def _management_system(page) -> None:
    """The internal audit's finding whose corrective action the quality manager closed; the LSP admin owns it."""
    page.goto("/mutu/sistem/")
    page.get_by_test_id("reviews").locator("tr", has_text=AUDIT_SCOPE[:40]).get_by_role("link").click()
    row = page.get_by_test_id("findings").locator("tr", has_text="tidak memuat FR.AK.06")
    owner, closer = User.objects.get(email=ADMIN), User.objects.get(email="mutu@demo.go.id")
    expect(row).to_contain_text(f"ditutup oleh {closer.full_name}")
    row.get_by_role("link").click()
    expect(page.get_by_test_id("action-status")).to_have_text("Ditutup")
    expect(page.get_by_test_id("closed-by")).to_contain_text(closer.full_name)
    expect(page.locator("main")).to_contain_text(owner.full_name)  # its owner, not the one who closed it
    expect(page.get_by_test_id("evidence")).to_contain_text("daftar-periksa-pleno.pdf")


def _pleno_refusal(page) -> None:
    """The assessor without a current declaration has no pleno seat; the form says why."""
    ui_logout(page)
    ui_login(page, ADMIN, DEMO_PASSWORD, land=True)
    event = Event.objects.filter(status__in=[EventStatus.REVIEWED, EventStatus.ARCHIVED]).order_by("pk").first()
    page.goto(reverse("assessments:event-pleno", args=[event.pk]))
    unsigned = User.objects.get(email=UNSIGNED)
    expect(page.locator(f"#member-{unsigned.pk}")).to_be_disabled()
    expect(page.locator(f"label[for=member-{unsigned.pk}]")).to_contain_text(
        "belum memiliki pernyataan kepentingan dan kerahasiaan")


def _scope_reduction_is_public(page, live_server) -> None:
    original = Certificate.objects.get(status=Certificate.Status.REDUCED)
    new = Certificate.objects.get(replaces=original)
    removed = {u["code"] for u in original.snapshot["units"]} - {u["code"] for u in new.snapshot["units"]}
    assert len(removed) == 1
    ui_logout(page)
    response = page.goto(f"/asesmen/verifikasi/{original.verification_code}/")
    assert response.status == 200
    expect(page.locator("#verify-status")).to_have_attribute("data-status", "reduced")
    expect(page.locator("#verify-reduced")).to_contain_text(new.number)
    expect(page.locator("#verify-reduced")).to_contain_text(removed.pop())
    _token, raw = api_token_issue(name="PT Pemberi Kerja (audit)", actor=User.objects.get(email=ADMIN))
    answer = page.request.post(f"{live_server.url}/api/v1/certificates/lookup",
                               data={"codes": [original.verification_code]},
                               headers={"Authorization": f"Bearer {raw}"})
    assert answer.status == 200
    found = answer.json()["results"][0]
    assert (found["status"], found["replaced_by"]) == ("reduced", new.number)
    assert page.request.post(f"{live_server.url}/api/v1/certificates/lookup",
                             data={"codes": [original.verification_code]}).status in (401, 403)


def _misuse_to_warning(page) -> None:
    ui_login(page, ADMIN, DEMO_PASSWORD)
    page.goto("/asesmen/penyalahgunaan/")
    expect(page.locator('#misuse-table tr[data-status="warned"]')).to_have_count(1)  # handled earlier (demo)
    page.locator('#misuse-table tr[data-status="received"] a').first.click()
    page.wait_for_load_state()
    page.fill("#misuse-handle-form textarea", "Pemegang diminta tidak menampilkan sertifikat di luar skemanya.")
    page.click("#misuse-warned")
    expect(page.locator("#misuse-result")).to_contain_text("di luar skemanya")
    expect(page.locator("#misuse-warned")).to_have_count(0)
    page.goto("/asesmen/penyalahgunaan/")
    expect(page.locator('#misuse-table tr[data-status="warned"]')).to_have_count(2)
    assert MisuseReport.objects.filter(status="warned").count() == 2


def test_audit_day_impartiality_management_system_scope_and_misuse(page, live_server, demo_committed):
    User.objects.filter(email__endswith="@demo.go.id").update(preferred_language="id")
    _impartiality(page)
    _management_system(page)
    _pleno_refusal(page)
    _scope_reduction_is_public(page, live_server)
    _misuse_to_warning(page)


def _summary(page) -> dict[str, str]:
    rows = page.get_by_test_id("summary").locator("tbody tr")
    expect(rows.first).to_be_visible()
    return {r.locator("td").nth(0).inner_text().strip(): r.locator("td").nth(1).inner_text().strip()
            for r in rows.all()}


def _make_report(page, known: dict) -> None:
    page.goto("/mutu/laporan-bnsp/baru/")
    page.select_option("select[name=kind]", "quarter")
    page.fill("input[name=year]", "2026")
    page.fill("input[name=part]", "3")
    page.fill("input[name=letter_number]", "012/LSP-ASM/XI/2026")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/mutu/laporan-bnsp/*/")
    shown = _summary(page)
    issued = [c for c in Certificate.objects.all() if START <= c.issued_on <= END]
    assert sorted(c.number for c in issued) == sorted(known[k].number for k in ("c1", "c2", "c4"))
    events = [e for e in Event.objects.all() if START <= e.starts_at.astimezone(WIB).date() <= END and e.status != "planned"]
    participants = [p for e in events for p in e.participants.all()]
    filed = [a for a in Appeal.objects.all() if START <= a.filed_at.astimezone(WIB).date() <= END]
    received = [c for c in Complaint.objects.all() if START <= c.received_at.astimezone(WIB).date() <= END]
    expected = {
        "Sertifikat diterbitkan": len(issued),
        "Uji kompetensi yang dilaksanakan": len(events),
        "Asesi": len(participants), "Hadir": sum(p.attended for p in participants),
        "Kompeten (K)": sum(p.decision == "K" for p in participants),
        "Belum kompeten (BK)": sum(p.decision == "BK" for p in participants),
        "Banding diajukan": len(filed), "Pengaduan dan saran diterima": len(received),
        "Sertifikat dibekukan": 1,  # c1, suspended on 1 September (its extension on 5 September is no second one)
        "Sertifikat dicabut": 1,  # c0, withdrawn on 15 July (c4 was replaced by a correction, not withdrawn)
        "Sertifikat dikurangi ruang lingkupnya": 1,  # c2, reduced on 29 September
    }
    for label, value in expected.items():
        assert shown[label] == str(value), (label, shown)
    per_scheme = page.get_by_test_id("per-scheme")
    expect(per_scheme).to_contain_text(known["a"].code)
    expect(per_scheme).to_contain_text(known["b"].code)


def _approve_disposal(page, records: dict) -> None:
    page.goto("/mutu/retensi/")
    page.get_by_role("button", name="Siapkan daftar pemusnahan tahun ini").click()
    page.wait_for_url("**/mutu/retensi/*/")
    expect(page.get_by_test_id("items")).to_contain_text(test_retention.OLD_NAME)
    expect(page.get_by_test_id("items")).not_to_contain_text("Citra Baru")
    page.once("dialog", lambda d: d.accept())  # it asks first: this cannot be undone
    page.get_by_role("button", name="Setujui: anonimkan orang-orang ini").click()
    expect(page.get_by_test_id("items")).not_to_contain_text(test_retention.OLD_NAME)  # the job ran (eager)
    page.reload()
    expect(page.get_by_test_id("disposal-status")).to_have_text("Dianonimkan")
    disposal = DisposalList.objects.get()
    assert disposal.status == DisposalStatus.DONE and disposal.approved_by.email == "lina@example.go.id"
    user = User.objects.get(pk=records["user"].pk)
    pseudonym = f"ANONIM-A{user.pk:06d}"
    assert user.full_name == pseudonym and not user.is_active
    expect(page.get_by_test_id("items")).to_contain_text(pseudonym)
    expect(page.get_by_test_id("items")).not_to_contain_text(test_retention.OLD_NAME)
    assert not records["upload"].file.storage.exists(records["upload"].file.name)


@pytest.fixture
def known(on_23_november):
    """Quarter 3 of 2026's records (made first: it counts on no test site existing before it)."""
    return build_quarter()


def test_audit_day_bnsp_report_and_disposal_list(on_23_november, known, old, page, live_server,  # noqa: F811
                                                  lina, sofia):
    ui_login(page, lina.email, PASSWORD, land=True)
    _make_report(page, known)
    _approve_disposal(page, old)
    ui_logout(page)
    ui_login(page, sofia.email, PASSWORD)  # the auditor reads the same report and list with the supervisor
    page.goto("/mutu/laporan-bnsp/")
    page.get_by_test_id("reports").get_by_role("link").first.click()
    assert _summary(page)["Sertifikat diterbitkan"] == "3"
    expect(page.get_by_role("button", name="Hitung ulang angka")).to_have_count(0)
    page.goto("/mutu/retensi/")
    page.get_by_test_id("lists").get_by_role("link").first.click()
    expect(page.get_by_test_id("disposal-status")).to_have_text("Dianonimkan")
    ui_logout(page)
    certificate = old["certificate"]
    response = page.goto(f"/asesmen/verifikasi/{certificate.verification_code}/")
    assert response.status == 200
    expect(page.locator("#verify-status")).to_have_attribute("data-status", "valid")
    expect(page.locator("main")).to_contain_text(certificate.number)
    assert certificate.expires_on > datetime.date(2026, 11, 23)
