"""Issue 16: seed 003 (complaint procedure) and seed 001 item 6 (complaint channels) clause by clause.

* seed 003 item 6 point 5a/5b: "identitas pelapor" — a letter carrying only a postal address identifies its sender;
* seed 001 item 6 point 3: "Helpdesk/petugas layanan" is a channel;
* a paper-survey file already imported is refused (same file, or the same rows again).
"""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.forms import PublicComplaintForm, StaffComplaintForm
from complaints.models import Channel, Complaint, PaperSurveyImport, SurveyResponse

pytestmark = pytest.mark.django_db

LETTER = {"name": "Bapak Sutrisno", "email": "", "phone": "",
          "postal_address": "Jl. Kebon Sirih No. 18, Gambir, Jakarta Pusat 10110",
          "object_text": "Penyerahan sertifikat oleh petugas BKPSDM", "reference": "", "service_date": "",
          "message": "Sertifikat saya belum diserahkan.", "scheme_code": ""}


def test_a_letter_with_only_a_postal_address_is_a_complaint_not_a_suggestion(login, karin):
    today = timezone.localdate().isoformat()
    login(karin).post(reverse("complaints:staff-new"), {"channel": "letter", "received_on": today, **LETTER})
    c = Complaint.objects.get()
    assert (c.channel, c.kind, c.rule) == ("letter", "complaint", "complaint")
    assert c.postal_address.startswith("Jl. Kebon Sirih")
    page = login(karin).get(c.get_absolute_url()).content.decode()
    assert "Jl. Kebon Sirih No. 18" in page


def test_without_the_address_the_same_letter_is_a_suggestion():
    c = services.complaint_file(data={**LETTER, "postal_address": "", "service_date": None}, channel=Channel.LETTER)
    assert (c.kind, c.rule) == ("suggestion", "no_identity")


def test_the_public_and_staff_forms_have_the_address_field(client):
    assert "postal_address" in PublicComplaintForm().fields and "postal_address" in StaffComplaintForm().fields
    assert 'name="postal_address"' in client.get(reverse("complaints:public-new")).content.decode()


def test_helpdesk_is_a_channel_of_seed_001_item_6(login, karin):
    """Seed 001 item 6: "1. Datang langsung … 2. Email resmi unit layanan 3. Helpdesk/petugas layanan 4. SP4N-LAPOR!"."""
    for channel in ("in_person", "email", "helpdesk", "lapor"):
        assert channel in dict(StaffComplaintForm().fields["channel"].choices)
    today = timezone.localdate().isoformat()
    login(karin).post(reverse("complaints:staff-new"), {
        **LETTER, "channel": "helpdesk", "received_on": today, "phone": "0811111111", "postal_address": ""})
    assert Complaint.objects.get().get_channel_display() in ("Helpdesk / service officer", "Helpdesk/petugas layanan")


PAPER = ("date,scheme,u1,u2,u3,u4,u5,u6,u7,u8,u9,comment\n"
         "2026-02-02,,3,3,2,4,3,4,4,3,3,\n"
         "2026-02-03,SS-02,3,2,3,4,4,3,3,2,3,\"Ruang tunggu, kurang nyaman\"\n")


def test_the_same_paper_file_imported_twice_is_refused_and_the_index_does_not_move(karin):
    assert services.survey_import_paper(text=PAPER, actor=karin, file_name="skm-feb.csv") == (2, [])
    count, errors = services.survey_import_paper(text=PAPER, actor=karin, file_name="skm-feb.csv")
    assert count == 0 and len(errors) == 1 and "skm-feb.csv" in errors[0]
    assert SurveyResponse.objects.filter(source="paper").count() == 2
    assert PaperSurveyImport.objects.get().rows == 2


def test_the_same_rows_in_another_file_are_refused_too(karin):
    services.survey_import_paper(text=PAPER, actor=karin, file_name="a.csv")
    header, first, second = PAPER.strip().split("\n")
    reordered = "\r\n".join([header, second, first]) + "\r\n"  # re-saved on another computer, rows sorted otherwise
    count, errors = services.survey_import_paper(text=reordered, actor=karin, file_name="b.csv")
    assert count == 0 and "a.csv" in errors[0]
    assert SurveyResponse.objects.count() == 2
    more = PAPER + "2026-02-04,,4,4,4,4,4,4,4,4,4,\n"  # a new file with a new respondent is imported
    assert services.survey_import_paper(text=more, actor=karin, file_name="c.csv")[0] == 3


def test_the_browser_import_says_why_a_second_import_is_refused(login, karin):
    c = login(karin)
    c.post(reverse("complaints:skm-import"), {"file": SimpleUploadedFile("skm.csv", PAPER.encode())})
    r = c.post(reverse("complaints:skm-import"), {"file": SimpleUploadedFile("skm.csv", PAPER.encode())})
    assert r.status_code == 200 and "skm.csv" in r.content.decode()
    assert SurveyResponse.objects.count() == 2
