"""Hostile lengths (OWASP ASVS 5.1.4): every free-text form field has a maximum length and a huge value is a form
error with a clear message; a search of any length gives a page with a message, never a 500 (SQLite refuses LIKE
patterns over 50,000 bytes)."""

import importlib
import importlib.util

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse

from applicants.models import Application
from assessments.certificates.models import Certificate
from certportal.audit.models import AuditEntry
from certportal.forms import SEARCH_MAX_LENGTH, TEXT_MAX_LENGTH
from complaints.models import Complaint
from schemes.models import Decree, Qualification, Scheme
from tests.assessments.factories import SiteFactory, scheme_with_units
from tests.assessments.test_lists import _certificates
from tests.complaints.factories import file_complaint

pytestmark = pytest.mark.django_db

HUGE = "x" * 100_000
OUR_APPS = ("certportal", "schemes", "applicants", "assessments", "complaints", "agencies", "quality")


def _our_form_classes():
    for config in apps.get_app_configs():
        if config.name.split(".")[0] in OUR_APPS and importlib.util.find_spec(f"{config.name}.forms"):
            importlib.import_module(f"{config.name}.forms")

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    return {c for c in walk(forms.BaseForm) if c.__module__.split(".")[0] in OUR_APPS}


def test_every_text_field_of_every_form_has_a_maximum_length():
    classes = _our_form_classes()
    assert len(classes) > 40  # the walk really found the portal's forms
    unbounded = [f"{c.__module__}.{c.__name__}.{name}" for c in classes for name, field in c.base_fields.items()
                 if isinstance(field, forms.CharField) and field.max_length is None]
    assert unbounded == []


def test_model_text_fields_get_the_text_limit_on_their_forms():
    from complaints.forms import AnalysisForm, PublicComplaintForm

    assert PublicComplaintForm.base_fields["message"].max_length == TEXT_MAX_LENGTH
    assert AnalysisForm.base_fields["findings"].max_length == TEXT_MAX_LENGTH
    assert 'maxlength="5000"' in str(PublicComplaintForm()["message"])


def test_a_huge_complaint_is_a_clear_form_error_and_nothing_typed_is_lost(client):
    response = client.post(reverse("complaints:public-new"), {
        "name": "Citra", "email": "citra@example.go.id", "object_text": "Verifikasi", "message": HUGE})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["message"])
    assert "5000" in errors and "100000" in errors
    assert 'value="Citra"' in response.content.decode()
    assert Complaint.objects.count() == 0


def test_a_huge_name_at_registration_is_a_clear_form_error(client):
    response = client.post(reverse("accounts:register"), {
        "full_name": HUGE, "email": "citra@example.go.id", "password1": "Kopi-Tubruk-Pagi-77",
        "password2": "Kopi-Tubruk-Pagi-77", "consent": "on"})
    assert response.status_code == 200
    assert "200" in " ".join(response.context["form"].errors["full_name"])


def test_a_huge_answer_from_the_officer_is_a_clear_form_error(login, karin):
    complaint = file_complaint()
    c = login(karin)
    response = c.post(reverse("complaints:answer", args=[complaint.pk]),
                      {"answer": HUGE, "superior_report": "Laporan"}, follow=True)
    assert response.status_code == 200
    assert "5000" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status != "answered"


@pytest.fixture
def rows(lina, tono):
    """At least one row in every searched list, so the search really runs against the database."""
    scheme = scheme_with_units(1)
    decree = Decree.objects.create(kind=Decree.Kind.KKNI, number="1", year=2020, title="Kepmen")
    Qualification.objects.create(decree=decree, letter="A", title="Instruktur", level=3, total_required=1,
                                 core_required=1, elective_required=0)
    _certificates(1, scheme, SiteFactory(head=tono))
    file_complaint()
    assert Scheme.objects.exists() and Application.objects.exists() and Certificate.objects.exists()
    assert AuditEntry.objects.exists()


# (url name, persona, search parameters): every list or search page of the portal
SEARCH_PAGES = [
    ("schemes:catalogue", None, ["q"]),
    ("schemes:qualifications", None, ["q"]),
    ("schemes:manage-schemes", "lina", ["q"]),
    ("schemes:manage-units", "lina", ["q"]),
    ("assessments:certificates", "lina", ["q"]),
    ("accounts:staff-list", "lina", ["q"]),
    ("audit:search", "lina", ["person", "obj"]),
    ("applicants:queue", "victor", ["q", "unit"]),
    ("complaints:list", "karin", ["q"]),
]


@pytest.mark.parametrize("url_name,persona,params", SEARCH_PAGES)
def test_a_search_of_100000_characters_gives_a_page_with_a_message(request, client, login, rows, url_name, persona,
                                                                  params):
    c = login(request.getfixturevalue(persona)) if persona else client
    for param in params:
        response = c.get(reverse(url_name), {param: HUGE})
        assert response.status_code == 200, (url_name, param)
        body = response.content.decode()
        assert f"paling panjang {SEARCH_MAX_LENGTH} karakter" in body, (url_name, param)
        just_long_enough = c.get(reverse(url_name), {param: "x" * SEARCH_MAX_LENGTH})
        assert just_long_enough.status_code == 200
        assert "paling panjang" not in just_long_enough.content.decode()
