"""The lines on a complaint's tracking page that the portal writes (received, classified, analysed, routed, closed)
are stored as a code and its parameters and read in the reader's language: an English reader of a complaint filed
in Indonesian, the officer included, reads English; what an officer wrote stays as written. Lines stored as text
before are given their codes by the migration."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from complaints import services
from complaints.models import Update
from tests.complaints.factories import file_complaint

pytestmark = pytest.mark.django_db

migration = importlib.import_module("complaints.migrations.0004_update_codes")


def walked(karin):
    """A complaint filed in Indonesian, classified, analysed, routed, answered and closed without a note."""
    c = file_complaint(language="id")
    c = services.complaint_classify(complaint=c, actor=karin, service="application", component="time")
    c = services.complaint_start_analysis(complaint=c, actor=karin)
    c = services.complaint_record_analysis(complaint=c, actor=karin, core_problem="Berkas dikembalikan tanpa alasan",
                                           standard_concerned="Standar pelayanan butir 3",
                                           planned_handling="Klarifikasi ke verifikator",
                                           findings="Alasan pengembalian tidak dicatat verifikator")
    c = services.complaint_route(complaint=c, actor=karin, route="internal")
    c = services.complaint_answer(complaint=c, actor=karin, answer="Berkas Anda sudah kami periksa ulang.",
                                  superior_report="Sudah dijawab.")
    return services.complaint_close(complaint=c, actor=karin)


def page(client, url: str, language: str) -> str:
    client.cookies["django_language"] = language
    return " ".join(client.get(url).content.decode().split())


def test_an_english_reader_reads_the_portals_lines_in_english_and_the_officers_words_as_written(client, karin,
                                                                                                 login):
    c = walked(karin)
    english = page(client, c.tracking_url(), "en")
    assert f"We received your report as complaint {c.tracking_number}." in english
    assert "Your report has been examined and classified (Completion time)." in english
    assert "We are analysing your complaint." in english
    assert "Your complaint is being resolved: Inside the office (level by level up to the head)." in english
    assert "Your report has been formally closed. Thank you." in english
    assert "Berkas Anda sudah kami periksa ulang." in english  # the answer, as the officer wrote it
    assert "Kami telah menerima" not in english and "sedang kami telaah" not in english
    indonesian = page(client, c.tracking_url(), "id")
    assert f"Laporan Anda telah kami terima sebagai pengaduan dengan nomor {c.tracking_number}." in indonesian
    assert "We are analysing" not in indonesian
    karin.preferred_language = "en"
    karin.save(update_fields=["preferred_language"])
    staff = " ".join(login(karin).get(reverse("complaints:detail", args=[c.pk])).content.decode().split())
    assert "We are analysing your complaint." in staff and "sedang kami telaah" not in staff
    assert not Update.objects.filter(complaint=c, code="").exclude(kind__in=["answer"]).exists()


def _historical_apps():
    return MigrationExecutor(connection).loader.project_state(("complaints", "0004_update_codes")).apps


def test_lines_stored_as_text_before_get_their_codes_and_officers_words_stay(karin):
    c = file_complaint(language="id")
    Update.objects.filter(complaint=c).delete()
    with translation.override("id"):
        old_id = [
            translation.gettext("We received your report as %(kind)s %(number)s. We will follow it up within 3 working "
                                "days and answer within 14 working days.") % {
                "kind": translation.gettext("Suggestion").lower(), "number": c.tracking_number},
            translation.gettext("Your report has been examined and classified (%(component)s).") % {
                "component": translation.gettext("Staff conduct")},
            translation.gettext("We are analysing your complaint."),
        ]
    with translation.override("en"):
        old_en = ["Your complaint is being resolved: Technical team or another agency.",
                  "Your report has been formally closed. Thank you."]
    officer = ["Kami menunggu jawaban dari Dinas Kesehatan.", "Your report has been formally closed. Thanks!"]
    rows = [Update.objects.create(complaint=c, kind="progress", text=text) for text in old_id + old_en + officer]
    migration.codes_from_text(_historical_apps(), None)
    got = [(u.code, u.params) for u in Update.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk")]
    assert got == [("acknowledged", {"kind": "suggestion", "number": c.tracking_number}),
                   ("classified", {"component": "conduct"}), ("analysing", {}), ("routed", {"route": "technical"}),
                   ("closed", {}), ("", {}), ("", {})]
    with translation.override("en"):
        messages = [u.message for u in Update.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk")]
    assert messages[0].startswith(f"We received your report as suggestion {c.tracking_number}.")
    assert messages[1] == "Your report has been examined and classified (Staff conduct)."
    assert messages[5:] == officer  # unchanged, readable as written
    assert [u.text for u in Update.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk")] == (
        old_id + old_en + officer)
