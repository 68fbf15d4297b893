"""The demo data: an event with participants in several states, certificates valid / suspended / expired, one
replaced by a correcting certificate, a result letter, an appeal and a deactivated assessor; loading it twice
changes nothing."""

import pytest
from django.core.management import call_command

from assessments.models import Appeal, Assessor, Certificate, Event, ResultLetter
from certportal.audit.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_shows_every_state_and_loads_twice_without_duplicates():
    call_command("load_reference")
    call_command("load_demo")
    counts = (Event.objects.count(), Certificate.objects.count(), ResultLetter.objects.count(), Appeal.objects.count())
    states = sorted(c.state() for c in Certificate.objects.all())
    assert states == ["expired", "suspended", "valid", "valid", "withdrawn"]
    corrected = Certificate.objects.get(replaces__isnull=False)
    assert corrected.holder_name == "Dewi Kartika Sari, S.Sos." and corrected.replaces.holder_name.endswith("Sary, S.Sos.")
    assert corrected.replaces.state() == "withdrawn" and corrected.handovers.exists()
    assert ResultLetter.objects.filter(outcome="BK").exists() and Appeal.objects.exists()
    assert Event.objects.filter(status="archived").exists() and Event.objects.filter(status="schedule_sent").exists()
    [inactive] = Assessor.objects.filter(is_active=False)
    assert AuditEntry.objects.for_object(inactive).filter(action="assessor deactivated",
                                                          note__contains="Lisensi dicabut").exists()
    registered = Certificate.objects.exclude(bnsp_registration_number=None).get()  # BNSP answered for one
    assert registered.blanko_number and registered.state() == "valid"
    from applicants.models import ApplicantProfile
    from applicants.nik import nik_problems

    for profile in ApplicantProfile.objects.all():  # every demo applicant has a valid NIK
        assert nik_problems(profile.nik, birth_date=profile.birth_date, gender=profile.gender) == []
    valid = Certificate.objects.filter(replaces__isnull=False).get()
    lsp = valid.snapshot["lsp"]
    assert lsp["licence_number"] and lsp["signatory_name"] and lsp["signatory_nip"] and lsp["logo"]
    assert valid.snapshot["photo_file"]  # the holder's accepted dossier photo is printed
    from assessments.demo import DEMO_DECREE
    from assessments.models import Pleno

    pleno = Pleno.objects.get()  # the finished event was decided in a closed pleno; its certificates cite it
    assert pleno.decree_number.startswith(DEMO_DECREE) and pleno.status == "closed" and len(pleno.decisions) == 6
    assert valid.snapshot["decree_number"] == pleno.decree_number
    from assessments.models import AssessmentFeedback

    [feedback] = AssessmentFeedback.objects.all()  # Andi gave his feedback on the assessment (FR.AK.03)
    assert feedback.participant.application.applicant.email == "asesi.andi@demo.go.id" and feedback.yes_count == 9
    assert feedback.submitted_at > feedback.participant.event.starts_at
    call_command("load_demo")
    assert AssessmentFeedback.objects.count() == 1
    assert (Event.objects.count(), Certificate.objects.count(), ResultLetter.objects.count(),
            Appeal.objects.count(), Assessor.objects.count(), Pleno.objects.count()) == (*counts, 2, 1)
