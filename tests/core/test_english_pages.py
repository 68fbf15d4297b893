"""Issue 15: with English selected nothing stays Indonesian or leaks an internal word: the recap per agency and
its exports, the queue export, the service standard's headings, the appeal's label ("Appeal #", not "Banding #"),
the system actor in histories ("system", not "sistem"), the event's SOP steps, and no "seed" reference."""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from certportal.audit.services import audit_record
from schemes import reference
from tests.applicants.factories import ProfileFactory, scheme_with_parts
from tests.applicants.helpers import submitted_application
from tests.assessments.factories import (
    SiteFactory,
    decide_event,
    make_application,
    make_assessor,
    planned_event,
    scheme_with_units,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _english(user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return client_for(user)


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def dossier(victor):
    app = submitted_application(ProfileFactory(), scheme_with_parts(units=1, documents=1))
    return app


def test_the_recap_per_agency_and_its_exports_read_english(victor, dossier):
    client = _english(victor)
    page = client.get(reverse("applicants:unit-recap")).content.decode()
    assert "Recap per agency" in page and "<th>Agency</th>" in page and "In verification" in page
    for indonesian in ("perangkat daerah", "Perangkat daerah", "Jumlah", "Dalam verifikasi"):
        assert indonesian not in page
    header = _csv(client.get(reverse("applicants:unit-recap") + "?format=csv"))[0]
    assert header[:3] == ["Agency", "Total", "In verification"]
    xlsx = client.get(reverse("applicants:unit-recap") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [c.value for c in sheet[1]][:3] == ["Agency", "Total", "In verification"]


def test_the_queue_export_headers_read_english(victor, dossier):
    header = _csv(_english(victor).get(reverse("applicants:queue-export", args=["csv"])))[0]
    assert header[3] == "Agency" and not any("perangkat" in h.lower() for h in header)


def test_the_service_standard_names_its_components_in_english_and_keeps_the_indonesian_text(client):
    reference.load(None)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("schemes:service-standard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for english in ("<td>Requirements</td>", "<td>System, mechanism and procedure</td>", "<td>Legal basis</td>",
                    "<td>Completion time</td>", "<td>Number of staff</td>"):
        assert english in page
    for indonesian in ("<td>Persyaratan</td>", "<td>Dasar Hukum</td>", "<td>Jumlah Pelaksana</td>"):
        assert indonesian not in page
    assert "published in Indonesian" in page
    client.cookies["django_language"] = "id"
    page = client.get(reverse("schemes:service-standard"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "<td>Persyaratan</td>" in page and "<td>Requirements</td>" not in page


def test_the_system_actor_reads_system_in_english_and_sistem_in_indonesian(sofia, lina):
    audit_record(actor=None, obj=lina, action="sla.pause", to_state="returned", note="2026-12-11")
    page = _english(sofia).get(reverse("audit:search")).content.decode()
    assert "<td>system</td>" in page and "<td>sistem</td>" not in page
    assert "11 December 2026" in page and "2026-12-11" not in page  # the stored ISO note, read as a day
    sofia.preferred_language = "id"
    sofia.save(update_fields=["preferred_language"])
    assert "<td>sistem</td>" in client_for(sofia).get(reverse("audit:search")).content.decode()


def test_an_appeal_is_labelled_appeal_and_the_event_page_has_no_internal_words(lina, tono, asa, bob, sofia):
    from certportal.sla.models import SlaPolicy
    from certportal.sla.reference import seed_policies

    seed_policies(SlaPolicy)
    scheme = scheme_with_units(2)
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(head=tono),
                          assessor=make_assessor(asa, schemes=[scheme]),
                          applications=[make_application(scheme, bob)], days_ahead=7)
    first = scheme.scheme_units.order_by("position").first().unit.code
    event = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, results_for=lambda p: {first: "BK"})
    participant = event.participants.get()
    appeal = assessment_services.appeal_file(participant, user=bob, grounds="Portofolio belum diperiksa lengkap")

    event_page = _english(lina).get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert "SOP steps" in event_page and "Langkah SOP" not in event_page and "seed 00" not in event_page
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        dashboard = _english(sofia).get(reverse("sla:dashboard")).content.decode()
    assert f"Appeal #{appeal.pk}" in dashboard and "Banding #" not in dashboard


def test_the_evaluation_form_names_no_seed(lina):
    reference.load(None)
    page = _english(lina).get(reverse("schemes:manage-evaluation-create")).content.decode()
    assert "evaluated at least once a year" in page and "seed" not in page
