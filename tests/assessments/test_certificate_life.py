"""After the certificate: reminders before it expires (exactly once each, by the SLA sweep), holder reports
reviewed by the LSP admin who suspends, and the pages' access rules."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.certificates import services as certs
from assessments.certificates.models import Certificate, ExpiryReminder, HolderReport
from assessments.certificates.services.reminders import add_months
from certportal.audit.models import AuditEntry
from certportal.notifications.models import Notification
from certportal.sla.sweep import run_sweep
from certportal.workqueue import work_for
from tests import module_world
from tests.factories import UserFactory

from .factories import EVENT_WORLD, alice_certified

pytestmark = pytest.mark.django_db


globals().update(module_world.shared(alice_certified, *EVENT_WORLD, "cert", language="en"))  # once a module


def sweep(day, capture):
    with capture(execute=True):
        return run_sweep(today=day)


def reminder_mails(cert):
    return [m for m in mail.outbox if cert.number in m.subject]


# --- reminders before expiry ----------------------------------------------------------------------------

def test_a_reminder_goes_out_once_at_six_months_and_once_at_three(cert, alice, django_capture_on_commit_callbacks):
    expires = cert.expires_on
    assert sweep(add_months(expires, -7), django_capture_on_commit_callbacks).sent.get("certificate-expiry") is None
    six = add_months(expires, -6)
    assert sweep(six, django_capture_on_commit_callbacks).sent["certificate-expiry"] == 1
    sweep(six, django_capture_on_commit_callbacks)  # the sweep runs again: nothing more
    sweep(six + datetime.timedelta(days=30), django_capture_on_commit_callbacks)
    assert len(reminder_mails(cert)) == 1
    (message,) = reminder_mails(cert)
    assert message.to == [alice.email]
    assert reverse("assessments:holder-certificate", args=[cert.pk]) in message.body
    three = add_months(expires, -3)
    sweep(three, django_capture_on_commit_callbacks)
    sweep(three, django_capture_on_commit_callbacks)
    assert len(reminder_mails(cert)) == 2
    assert Notification.objects.filter(user=alice, url__contains=f"/sertifikat/{cert.pk}/").count() == 2
    assert sorted(ExpiryReminder.objects.filter(certificate=cert).values_list("months", flat=True)) == [3, 6]


def test_a_certificate_first_swept_inside_three_months_gets_one_reminder_not_two(
        cert, django_capture_on_commit_callbacks):
    sweep(add_months(cert.expires_on, -2), django_capture_on_commit_callbacks)
    sweep(add_months(cert.expires_on, -1), django_capture_on_commit_callbacks)
    assert len(reminder_mails(cert)) == 1
    assert ExpiryReminder.objects.get(certificate=cert, months=6).sent is False


def test_the_months_come_from_settings_and_withdrawn_certificates_get_none(
        cert, lina, settings, django_capture_on_commit_callbacks):
    settings.ASSESSMENT_EXPIRY_REMINDER_MONTHS = [1]
    sweep(add_months(cert.expires_on, -2), django_capture_on_commit_callbacks)
    assert reminder_mails(cert) == []
    certs.certificate_withdraw(cert, actor=lina, reason="Terbukti melanggar.")
    mail.outbox.clear()
    sweep(add_months(cert.expires_on, -1), django_capture_on_commit_callbacks)
    assert reminder_mails(cert) == []


# --- holder reports -------------------------------------------------------------------------------------

def test_holder_report_leads_to_a_suspension_and_the_holder_is_told(
        cert, alice, lina, login, django_capture_on_commit_callbacks):
    holder_page = reverse("assessments:holder-certificate", args=[cert.pk])
    response = login(alice).post(holder_page, {"text": "Saya dipindahkan ke jabatan lain sejak Oktober."},
                                 follow=True)
    assert "Your report is sent" in response.content.decode() or "dikirim" in response.content.decode()
    report = HolderReport.objects.get(certificate=cert)
    admin = login(lina)
    assert any(i.key == "holder-reports" and i.count == 1 for i in work_for("lsp_admin", lina))
    listing = admin.get(reverse("assessments:holder-reports")).content.decode()
    assert cert.number in listing and "dipindahkan" in listing
    page = admin.get(reverse("assessments:certificate", args=[cert.pk])).content.decode()
    assert "Saya dipindahkan ke jabatan lain" in page and 'data-action="assessments.holderreport.reviewed"' in page
    until = timezone.localdate() + datetime.timedelta(days=60)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("assessments:certificate-status", args=[cert.pk]),
                   {"action": "suspended", "reason": "Tidak lagi bekerja di bidang ini.", "until": until.isoformat()})
    admin.post(reverse("assessments:holder-report-review", args=[report.pk]),
               {"reason": "Dibekukan sampai penilaian ulang."})
    cert.refresh_from_db()
    report.refresh_from_db()
    assert cert.state() == "suspended" and report.status == HolderReport.Status.REVIEWED
    assert any(alice.email in m.to and cert.number in m.subject for m in mail.outbox)
    assert AuditEntry.objects.filter(action="assessments.holderreport.reviewed", actor=lina).exists()
    mine = login(alice).get(holder_page).content.decode()
    assert "Dibekukan sampai penilaian ulang." in mine


def test_a_report_without_text_or_a_huge_one_is_refused_with_a_message(cert, alice, login):
    client = login(alice)
    page = reverse("assessments:holder-certificate", args=[cert.pk])
    for text in ("   ", "x" * 100_000):
        response = client.post(page, {"text": text}, follow=True)
        assert response.status_code == 200 and 'alert-danger' in response.content.decode()
    assert not HolderReport.objects.exists()


def test_review_needs_a_reason_and_only_the_lsp_admin_reviews(cert, alice, lina, victor, login):
    report = HolderReport.objects.create(certificate=cert, reporter=alice, text="Sakit.")
    url = reverse("assessments:holder-report-review", args=[report.pk])
    assert login(victor).post(url, {"reason": "x"}).status_code == 403
    assert login(alice).post(url, {"reason": "x"}).status_code == 403
    login(lina).post(url, {"reason": ""})
    report.refresh_from_db()
    assert report.status == HolderReport.Status.SUBMITTED


def test_holder_pages_are_for_the_holder_and_the_lsp_admin_only(client, cert, alice, bob, lina, victor, login):
    holder_page = reverse("assessments:holder-certificate", args=[cert.pk])
    assert login(alice).get(holder_page).status_code == 200
    assert login(bob).get(holder_page).status_code == 403  # another holder
    assert login(lina).get(holder_page).status_code == 403  # another role
    assert login(bob).post(holder_page, {"text": "forged"}).status_code == 403
    assert not HolderReport.objects.exists()
    for url in (holder_page, reverse("assessments:holder-reports"), reverse("assessments:api-tokens")):
        response = client.get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    for url in (reverse("assessments:holder-reports"), reverse("assessments:api-tokens")):
        assert login(lina).get(url).status_code == 200
        assert login(victor).get(url).status_code == 403
        assert login(alice).get(url).status_code == 403


def test_my_certificates_link_to_the_holder_page(cert, alice, login):
    page = login(alice).get(reverse("assessments:mine")).content.decode()
    assert reverse("assessments:holder-certificate", args=[cert.pk]) in page


def test_a_withdrawn_certificate_takes_no_report(cert, alice, lina, login):
    certs.certificate_withdraw(cert, actor=lina, reason="Terbukti melanggar.")
    login(alice).post(reverse("assessments:holder-certificate", args=[cert.pk]), {"text": "Pindah."})
    assert not HolderReport.objects.exists()
    assert Certificate.objects.get(pk=cert.pk).status == Certificate.Status.WITHDRAWN


__all__ = ["UserFactory"]
