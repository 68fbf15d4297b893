"""Certificate and mark use (issue 30 item 4; ISO/IEC 17024 9.7): the rules are part of the holder obligations;
anyone reports misuse from the public verification page (with evidence checked like every upload, limited per
address, a honeypot for bots); the LSP admin handles each report to a result through the workflow core."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.certificates.scope_models import MisuseEvidence, MisuseReport
from assessments.certificates.services import misuse
from assessments.certificates.services.misuse import misuse_handle, misuse_report_file
from assessments.errors import AssessmentError
from certportal.audit.models import AuditEntry
from certportal.notifications.models import Notification
from tests.hostile_files import html_page, pdf_with_javascript, real_pdf

from .scope_fixtures import *  # noqa: F403 (the module's world: Alice's certificate, made once)

pytestmark = pytest.mark.django_db


def report_url(cert):
    return reverse("assessments:misuse-new", args=[cert.verification_code])


def a_report(cert):
    return misuse_report_file(cert, what="Logo BNSP dipakai pada brosur jasa konsultan.",
                              where="https://contoh.example/brosur", reporter_contact="pelapor@example.com")


def test_the_public_page_offers_the_report_and_a_visitor_files_one_with_evidence(cert, client, lina):
    page = client.get(reverse("assessments:verify-code", args=[cert.verification_code])).content.decode()
    assert report_url(cert) in page
    response = client.post(report_url(cert), {
        "what": "Sertifikat dipakai untuk pekerjaan di luar skema.", "where": "https://contoh.example/iklan",
        "reporter_contact": "pelapor@example.com",
        "evidence": [SimpleUploadedFile("bukti.pdf", real_pdf("Bukti"), "application/pdf")]})
    assert response.status_code == 302
    report = MisuseReport.objects.get()
    assert report.status == "received" and report.certificate == cert and report.files.count() == 1
    assert AuditEntry.objects.filter(action="assessments.misusereport.received", object_id=str(report.pk)).exists()
    assert Notification.objects.filter(user=lina, url=reverse("assessments:misuse-report", args=[report.pk])).exists()
    from certportal.workqueue import work_for

    assert any(i.key == "misuse-reports" and i.count == 1 for i in work_for("lsp_admin", lina))


@pytest.mark.parametrize("data", [html_page("x"), pdf_with_javascript("x")])
def test_hostile_evidence_is_refused_and_nothing_is_stored(cert, client, data):
    response = client.post(report_url(cert), {"what": "x", "where": "y",
                                              "evidence": [SimpleUploadedFile("b.pdf", data, "application/pdf")]})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not MisuseReport.objects.exists() and not MisuseEvidence.objects.exists()


def test_reports_are_limited_per_address_and_a_bot_records_nothing(cert, client, settings):
    settings.ASSESSMENT_MISUSE_REPORTS_PER_HOUR = 2
    client.post(report_url(cert), {"what": "x", "where": "y", "website": "http://spam"})
    assert not MisuseReport.objects.exists()
    for _ in range(3):
        response = client.post(report_url(cert), {"what": "Disalahgunakan.", "where": "Kantor X"})
    assert MisuseReport.objects.count() == 2
    assert "Too many reports" in response.content.decode() or "Terlalu banyak" in response.content.decode()


def test_overlong_input_is_refused(cert, client):
    response = client.post(report_url(cert), {"what": "x" * 6000, "where": "y" * 600})
    assert response.status_code == 200 and not MisuseReport.objects.exists()


def test_an_unknown_code_has_no_form(client):
    assert client.get(reverse("assessments:misuse-new", args=["NOPE"])).status_code == 404


def test_a_warning_closes_the_report_and_tells_the_holder(cert, lina, alice, login,
                                                          django_capture_on_commit_callbacks):
    report = a_report(cert)
    client = login(lina)
    page = client.get(reverse("assessments:misuse-report", args=[report.pk])).content.decode()
    assert 'id="misuse-warned"' in page and "pelapor@example.com" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:misuse-handle", args=[report.pk]),
                    {"action": "warned", "reason": "Pemegang diminta menarik brosur."})
    report.refresh_from_db()
    cert.refresh_from_db()
    assert report.status == "warned" and report.handled_at and cert.status == "issued"
    assert any(alice.email in m.to and cert.number in m.subject for m in mail.outbox)
    assert Notification.objects.filter(user=alice).exists()
    assert AuditEntry.objects.filter(action="assessments.misusereport.warned", from_state="received").exists()
    page = client.get(reverse("assessments:misuse-report", args=[report.pk])).content.decode()
    assert 'id="misuse-warned"' not in page and "Pemegang diminta menarik brosur." in page


def test_a_suspension_result_suspends_the_certificate_through_its_own_transition(cert, lina):
    report = a_report(cert)
    until = timezone.localdate() + datetime.timedelta(days=30)
    misuse_handle(report, "suspended", actor=lina, reason="Terbukti.", until=until)
    cert.refresh_from_db()
    assert cert.status == "suspended" and cert.suspended_until == until
    assert AuditEntry.objects.filter(action="assessments.certificate.suspended", object_id=str(cert.pk)).exists()


def test_a_suspension_without_a_date_is_refused_and_nothing_changes(cert, lina):
    report = a_report(cert)
    with pytest.raises(AssessmentError, match="until when"):
        misuse_handle(report, "suspended", actor=lina, reason="Terbukti.")
    report.refresh_from_db()
    assert report.status == "received"


def test_withdrawal_is_not_offered_for_a_withdrawn_certificate_and_says_why(cert, lina, login):
    from assessments.certificates import services as certs

    report = a_report(cert)
    certs.certificate_withdraw(cert, actor=lina, reason="Dicabut karena hal lain.")
    page = login(lina).get(reverse("assessments:misuse-report", args=[report.pk])).content.decode()
    assert 'id="misuse-withdrawn"' not in page and 'id="misuse-warned"' in page
    with pytest.raises(AssessmentError):
        misuse_handle(report, "withdrawn", actor=lina, reason="x")


def test_a_reason_is_required(cert, lina):
    with pytest.raises(AssessmentError):
        misuse_handle(a_report(cert), "no_action", actor=lina, reason=" ")


@pytest.mark.parametrize("who", ["victor", "quinn", "alice", "asa", "sofia"])
def test_staff_pages_are_the_lsp_admins(request, cert, login, who):
    report = a_report(cert)
    client = login(request.getfixturevalue(who))
    for url in (reverse("assessments:misuse-reports"), reverse("assessments:misuse-report", args=[report.pk])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("assessments:misuse-handle", args=[report.pk]),
                       {"action": "warned", "reason": "x"}).status_code == 403


def test_anonymous_is_sent_to_login_and_evidence_is_not_public(cert, client):
    report = misuse_report_file(cert, what="x", where="y",
                                uploads=[SimpleUploadedFile("b.pdf", real_pdf("B"), "application/pdf")])
    for url in (reverse("assessments:misuse-reports"), reverse("assessments:misuse-report", args=[report.pk]),
                reverse("assessments:misuse-file", args=[report.files.get().pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_the_list_uses_constant_queries(cert, lina, login, django_assert_max_num_queries):
    client = login(lina)
    for _ in range(3):
        a_report(cert)
    with django_assert_max_num_queries(20) as small:
        assert client.get(reverse("assessments:misuse-reports")).status_code == 200
    for _ in range(30):
        a_report(cert)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("assessments:misuse-reports")).status_code == 200


def test_the_rules_of_use_are_on_the_holders_pages(cert, alice, login):
    client = login(alice)
    page = client.get(reverse("assessments:holder-certificate", args=[cert.pk])).content.decode()
    assert 'id="use-rules"' in page
    page = client.get(reverse("assessments:my-participation", args=[cert.participant_id])).content.decode()
    assert 'id="use-rules"' in page


def test_personal_data_lists_reports_about_the_holder_without_the_reporter_and_the_reporters_own(cert, alice):
    from assessments.personal_data import collect
    from certportal.accounts.models import Role
    from tests.factories import UserFactory

    a_report(cert)
    about = {s.key: s for s in collect(alice)}["misuse_about_you"].records
    assert about[0]["where"] == "https://contoh.example/brosur" and "reporter_contact" not in about[0]
    reporter = UserFactory(email="pelapor@example.com", roles=[Role.APPLICANT])
    mine = {s.key: s for s in collect(reporter)}["misuse_you_reported"].records
    assert mine[0]["reporter_contact"] == "pelapor@example.com" and mine[0]["certificate__number"] == cert.number


def test_the_form_counts_against_the_look_up_limit(cert, client, settings):
    settings.ASSESSMENT_VERIFY_PER_MINUTE = 1
    assert client.get(report_url(cert)).status_code == 200
    assert client.get(reverse("assessments:misuse-new", args=["AAAABBBBCCCCDDDD"])).status_code == 429


def test_the_reporter_gets_a_number_and_a_page_to_follow_the_report_and_the_lsp_finds_it_by_the_number(
        cert, client, lina, login, django_capture_on_commit_callbacks):
    """Issue 43 item 11: the thank-you page and the receipt e-mail give the report's number and the address of its
    page; the LSP admin's list shows the number and finds the report by it."""
    client.cookies["django_language"] = "en"
    # the page's address and the e-mail's are signed apart, each with the second it was signed in: one second
    # for both (a slow machine crossed a second between them)
    with time_machine.travel(timezone.now(), tick=False), django_capture_on_commit_callbacks(execute=True):
        response = client.post(report_url(cert), {"what": "Logo BNSP dipakai pada brosur.", "where": "Kantor X",
                                                  "reporter_contact": "pelapor@example.com"}, follow=True)
    report = MisuseReport.objects.get()
    number = f"PS-{timezone.localdate().year}-{report.pk:05d}"
    assert report.number == number
    page = response.content.decode()
    assert f"Its number is {number}." in page and f'<span id="misuse-number">{number}</span>' in page
    assert "Received: the LSP is reviewing it." in page
    track = response.redirect_chain[-1][0]
    receipt = [m for m in mail.outbox if m.to == ["pelapor@example.com"]]
    assert len(receipt) == 1 and number in receipt[0].subject and track in receipt[0].body
    admin = login(lina)
    listed = admin.get(reverse("assessments:misuse-reports"), {"number": number.lower()}).content.decode()
    assert f">{number}</a>" in listed and cert.number in listed
    assert ">PS-" not in admin.get(reverse("assessments:misuse-reports"), {"number": "PS-2026-99999"}).content.decode()
    misuse_handle(report, "no_action", actor=lina, reason="Bukan penyalahgunaan.")
    assert 'data-status="no_action"' in client.get(track).content.decode()


def test_the_follow_page_needs_its_signed_address(cert, client):
    report = a_report(cert)
    assert client.get(reverse("assessments:misuse-track", args=[str(report.pk)])).status_code == 404
    forged = reverse("assessments:misuse-track", args=[f"{report.pk}:forged"])
    assert client.get(forged).status_code == 404
    assert client.get(misuse.tracking_url(report)).status_code == 200
