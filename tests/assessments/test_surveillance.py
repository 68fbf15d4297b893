"""Surveillance (ISO/IEC 17024 9.6): yearly evidence from the holder with documents checked like dossier files,
the review recorded by the LSP admin, and missing evidence past the grace period in the admin's work queue."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.certificates.models import Certificate, SurveillanceReport
from assessments.certificates.services.renewal import add_years
from certportal.workqueue import work_for
from schemes.models import Scheme
from tests import module_world
from tests.hostile_files import html_page, pdf_with_javascript, real_pdf

from .factories import EVENT_WORLD, alice_certified, event_world

pytestmark = pytest.mark.django_db


def _surveilled() -> dict:
    """Alice's certificate of a scheme surveilled yearly."""
    w = event_world()
    Scheme.objects.filter(pk=w["scheme"].pk).update(surveillance=Scheme.Surveillance.YEARLY)
    return alice_certified(w)


globals().update(module_world.shared(_surveilled, *EVENT_WORLD, "cert", language="en"))  # once a module


def back_date(cert: Certificate, days: int) -> None:
    """The certificate was issued ``days`` ago (its validity moves with it)."""
    cert.issued_on = cert.issued_on - datetime.timedelta(days=days)
    cert.expires_on = add_years(cert.issued_on, 3)
    cert.save(update_fields=["issued_on", "expires_on"])  # saved, as the portal saves: the kept queue follows


def overdue_count(lina) -> int:
    return next(i.count for i in work_for("lsp_admin", lina) if i.key == "surveillance-overdue")


def test_missing_evidence_after_the_grace_period_is_in_the_admin_queue(cert, lina, login, settings):
    settings.ASSESSMENT_SURVEILLANCE_GRACE_DAYS = 30
    back_date(cert, 365 + 29)
    assert overdue_count(lina) == 0  # within the grace period
    back_date(cert, 2)
    assert overdue_count(lina) == 1
    page = login(lina).get(reverse("assessments:surveillance")).content.decode()
    assert cert.number in page and reverse("assessments:certificate", args=[cert.pk]) in page


def test_the_holder_submits_evidence_the_admin_reviews_it_and_the_certificate_leaves_the_queue(
        cert, alice, lina, login):
    back_date(cert, 400)
    holder_page = reverse("assessments:holder-certificate", args=[cert.pk])
    client = login(alice)
    assert 'id="surveillance-form"' in client.get(holder_page).content.decode()
    client.post(holder_page, {"action": "surveillance", "statement": "Melayani 120 pemohon izin tahun ini.",
                              "files": [SimpleUploadedFile("sk.pdf", real_pdf("SK"), "application/pdf")]})
    report = SurveillanceReport.objects.get(certificate=cert)
    assert report.due_on == add_years(cert.issued_on, 1) and report.files.count() == 1
    assert overdue_count(lina) == 0
    admin = login(lina)
    page = admin.get(reverse("assessments:certificate", args=[cert.pk])).content.decode()
    assert "Melayani 120 pemohon" in page
    file_url = reverse("assessments:surveillance-file", args=[report.files.get().pk])
    assert admin.get(file_url).status_code == 200 and client.get(file_url).status_code == 200
    admin.post(reverse("assessments:surveillance-review", args=[report.pk]), {"reason": "Bukti cukup."})
    report.refresh_from_db()
    assert report.status == SurveillanceReport.Status.REVIEWED
    assert "Bukti cukup." in client.get(holder_page).content.decode()


@pytest.mark.parametrize("name,data", [("sk.pdf", html_page("x")), ("sk.pdf", pdf_with_javascript("x"))])
def test_a_forged_or_hostile_document_is_refused_and_nothing_is_stored(cert, alice, login, name, data):
    back_date(cert, 400)
    page = reverse("assessments:holder-certificate", args=[cert.pk])
    response = login(alice).post(page, {"action": "surveillance", "statement": "Tetap berpraktik.",
                                        "files": [SimpleUploadedFile(name, data, "application/pdf")]}, follow=True)
    assert "alert-danger" in response.content.decode()
    assert not SurveillanceReport.objects.exists()


def test_surveillance_pages_and_files_are_kept_from_others(client, cert, alice, bob, lina, victor, login):
    back_date(cert, 400)
    login(alice).post(reverse("assessments:holder-certificate", args=[cert.pk]),
                      {"action": "surveillance", "statement": "Tetap berpraktik.",
                       "files": [SimpleUploadedFile("a.pdf", real_pdf("A"), "application/pdf")]})
    report = SurveillanceReport.objects.get()
    file_url = reverse("assessments:surveillance-file", args=[report.files.get().pk])
    assert login(bob).get(file_url).status_code == 403  # another holder
    assert login(victor).get(file_url).status_code == 403  # another role
    assert client.get(file_url).status_code == 302
    queue = reverse("assessments:surveillance")
    assert login(victor).get(queue).status_code == 403 and login(alice).get(queue).status_code == 403
    assert client.get(queue).status_code == 302
    review = reverse("assessments:surveillance-review", args=[report.pk])
    assert login(alice).post(review, {"reason": "ok"}).status_code == 403
    report.refresh_from_db()
    assert report.status == SurveillanceReport.Status.SUBMITTED


def test_a_scheme_without_surveillance_asks_for_none(cert, alice, login, scheme):
    Scheme.objects.filter(pk=scheme.pk).update(surveillance=Scheme.Surveillance.NONE)
    back_date(cert, 400)
    assert 'id="surveillance"' not in login(alice).get(
        reverse("assessments:holder-certificate", args=[cert.pk])).content.decode()
