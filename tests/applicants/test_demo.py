import pytest
from django.core.management import call_command

from applicants.models import Application, DocumentFile, Status
from certportal.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_applications_in_every_state_and_is_idempotent(demo_data):
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


def test_every_demo_profile_saves_as_it_stands(demo_data):
    """Years of service, birth date, gender and NIK follow from each demo NIP and today: the profile form, sent back
    unchanged, finds nothing to correct."""
    from django.forms.models import model_to_dict

    from applicants.forms import ProfileForm
    from applicants.models import ApplicantProfile

    profiles = ApplicantProfile.objects.filter(user__email__endswith="@demo.go.id")
    assert profiles.count() >= 15
    for profile in profiles:
        data = {k: v for k, v in model_to_dict(profile, fields=ProfileForm.Meta.fields).items() if v is not None}
        data["birth_date"] = profile.birth_date.isoformat()
        form = ProfileForm(data, instance=profile)
        assert form.is_valid(), (profile.user.email, form.errors)
        assert profile.years_in_government == profile.years_of_service
