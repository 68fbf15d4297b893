"""Complaint attachments from the public form, the staff entry form and the service go through the same check."""


import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import Attachment, Complaint
from tests import hostile_files as hostile

pytestmark = pytest.mark.django_db

BEACON = "http://127.0.0.1:9/"


def _staff_entry(**extra):
    return {"channel": "whatsapp", "received_on": timezone.localdate().isoformat(), "name": "Budi",
            "phone": "0811111111", "object_text": "Jadwal", "message": "Lewat WA", "email": "", "reference": "",
            "service_date": "", "scheme_code": "", **extra}


def test_staff_entry_refuses_an_svg_and_keeps_what_was_typed(login, karin):
    response = login(karin).post(reverse("complaints:staff-new"), _staff_entry(
        attachments=[SimpleUploadedFile("bukti.png", hostile.svg_with_script(BEACON))]))
    page = response.content.decode()
    assert response.status_code == 200 and "“bukti.png”" in page and "isinya yang diperiksa" in page
    assert "Lewat WA" in page
    assert not Complaint.objects.exists()


def test_staff_entry_stores_a_real_image_under_its_real_kind(login, karin):
    login(karin).post(reverse("complaints:staff-new"), _staff_entry(
        attachments=[SimpleUploadedFile("bukti.svg", hostile.real_png())]))
    attachment = Attachment.objects.get()
    assert attachment.kind == "png" and attachment.original_name == "bukti.svg"
    assert attachment.file.name.endswith(".png")
    response = login(karin).get(reverse("complaints:attachment", args=[attachment.complaint_id, attachment.pk]))
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="bukti.png"'


def test_the_service_itself_refuses_a_hostile_file(karin):
    with pytest.raises(ValidationError):
        services.complaint_file(data={"name": "X", "email": "x@example.go.id", "object_text": "Y",
                                      "message": "Z"},
                                files=[SimpleUploadedFile("a.pdf", hostile.pdf_with_launch())], actor=karin)
    assert not Complaint.objects.exists()
