"""Re-certification: from their certificate a holder applies again, pre-filled from the previous application
(documents accepted then reused, portfolio route), and the new certificate renews the old one at its expiry date;
the public verification page shows the chain."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from applicants.models import Application, ApplicationDocument, DocumentFile, SelfAssessment, Status
from assessments.certificates import services as certs
from assessments.certificates.models import Renewal
from assessments.certificates.services.renewal import add_years
from certportal.files import private_storage
from schemes.models import RequiredDocument
from tests.applicants.factories import ProfileFactory

from .factories import decide_event, planned_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def cert(event, lina, tono, asa, alice, scheme, alice_app):
    photo_req = RequiredDocument.objects.create(scheme=scheme, category="basic", name="Pas foto 3x4",
                                                accepted_kinds=["jpeg"], position=1)
    RequiredDocument.objects.create(scheme=scheme, category="administrative", name="SK pangkat terakhir",
                                    accepted_kinds=["pdf"], position=2)
    ProfileFactory(user=alice, full_name="Alice Applicant, S.Sos.", nip="198503142010012001", gender="2")
    doc = ApplicationDocument.objects.create(application=alice_app, requirement=photo_req,
                                             review=ApplicationDocument.Review.ACCEPTED)
    name = private_storage.save("applicants/foto-alice.jpg", ContentFile(b"\xff\xd8\xff\xe0 photo"))
    DocumentFile.objects.create(document=doc, file=name, original_name="foto.jpg", kind="jpeg", size=12)
    unit = scheme.scheme_units.first().unit
    SelfAssessment.objects.create(application=alice_app, unit=unit, answer="K", evidence="SK penugasan 2024")
    decided = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K",
                           accept_obligations=True)
    return certs.certificate_issue(decided.participants.get(application__applicant=alice), actor=lina)


def test_the_holder_applies_again_pre_filled_from_the_previous_application(cert, alice, login):
    client = login(alice)
    page = client.get(reverse("assessments:holder-certificate", args=[cert.pk])).content.decode()
    assert 'id="recertify"' in page
    response = client.post(reverse("assessments:recertify", args=[cert.pk]))
    new = Application.objects.exclude(pk=cert.application_id).get(applicant=alice)
    assert response["Location"] == reverse("applicants:step-data", args=[new.pk])
    assert new.purpose == Application.Purpose.RECERTIFICATION and new.experienced is True  # portfolio route
    photo = new.documents.get(requirement__name="Pas foto 3x4").files.get()
    assert photo.original_name == "foto.jpg" and photo.file.name == "applicants/foto-alice.jpg"
    assert not new.documents.get(requirement__name="SK pangkat terakhir").files.exists()  # not accepted before
    assert new.self_assessments.get().evidence == "SK penugasan 2024"
    assert Renewal.objects.get(application=new).previous == cert
    # a second click continues the same application
    client.post(reverse("assessments:recertify", args=[cert.pk]))
    assert Application.objects.filter(applicant=alice).count() == 2


def test_the_new_certificate_renews_the_old_one_at_its_expiry_and_the_public_page_shows_the_chain(
        cert, alice, lina, tono, asa, scheme, site, assessor, login, client):
    login(alice).post(reverse("assessments:recertify", args=[cert.pk]))
    new_app = Application.objects.get(renewal__previous=cert)
    Application.objects.filter(pk=new_app.pk).update(status=Status.PARTICIPANT)  # verified and named (applicants' part)
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[new_app])
    event = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K", accept_obligations=True)
    new = certs.certificate_issue(event.participants.get(), actor=lina)
    assert new.renews == cert
    assert new.expires_on == add_years(cert.expires_on, scheme.validity_years)
    old_page = client.get(reverse("assessments:verify-code", args=[cert.verification_code])).content.decode()
    assert new.number in old_page and 'id="verify-renewed-by"' in old_page
    new_page = client.get(reverse("assessments:verify-code", args=[new.verification_code])).content.decode()
    assert cert.number in new_page and 'id="verify-renews"' in new_page
    holder_page = login(alice).get(reverse("assessments:holder-certificate", args=[cert.pk])).content.decode()
    assert 'id="renewed-by"' in holder_page and 'id="recertify"' not in holder_page


def test_only_the_holder_re_certifies_and_never_a_withdrawn_certificate(cert, alice, bob, lina, login, client):
    url = reverse("assessments:recertify", args=[cert.pk])
    assert login(bob).post(url).status_code == 403
    assert login(lina).post(url).status_code == 403
    assert client.post(url).status_code == 302 and not Renewal.objects.exists()
    certs.certificate_withdraw(cert, actor=lina, reason="Terbukti melanggar.")
    login(alice).post(url)
    assert not Renewal.objects.exists()
