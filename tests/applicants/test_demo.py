import pytest
from django.core.management import call_command

from applicants.models import Application, DocumentFile, Status
from certportal.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_applications_in_every_state_and_is_idempotent():
    call_command("load_reference")
    call_command("load_demo")
    states = set(Application.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    siti = User.objects.get(email="pemohon@demo.go.id")
    assert {Status.DRAFT, Status.RETURNED, Status.PARTICIPANT} <= set(
        siti.applications.values_list("status", flat=True))
    file = DocumentFile.objects.first()
    assert file.file.open("rb").read(5) in (b"%PDF-", b"\x89PNG\r")
    counts = (Application.objects.count(), DocumentFile.objects.count())
    call_command("load_demo")
    assert (Application.objects.count(), DocumentFile.objects.count()) == counts
