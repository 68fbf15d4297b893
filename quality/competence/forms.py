"""The competence forms: a criterion of a role, and a record of a person (the fields its kind needs, with an
optional evidence file checked by its content)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from assessments.models import Event
from certportal.accounts.models import STAFF_ROLES, Role
from certportal.files import validate_upload
from certportal.forms import NAME_MAX_LENGTH
from schemes.models import Scheme

from . import rules
from .models import HOURS_MAX, TEXT_MAX, CompetenceCriterion, CriterionKind, Outcome, RecordKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _role_choices():
    return [(r.value, r.label) for r in rules.COMPETENCE_ROLES]


class CriterionForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=_role_choices)
    kind = forms.ChoiceField(label=_("Kind of requirement"), choices=CriterionKind.choices)
    requirement = forms.CharField(label=_("Requirement"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("E.g. at least D3 in any field; the BNSP assessor training (MET); two "
                                              "years in personnel administration."))
    is_active = forms.BooleanField(label=_("Required"), required=False, initial=True,
                                   help_text=_("Untick to retire a criterion no longer required (it stays on the "
                                               "records that met it)."))

    def __init__(self, *args, instance: CompetenceCriterion | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {"role": instance.role, "kind": instance.kind,
                                          "requirement": instance.requirement, "is_active": instance.is_active})
        super().__init__(*args, **kwargs)


# the fields each kind of record asks for (the others are left out of its form)
FIELDS = {
    RecordKind.EDUCATION: ["title", "done_on", "criterion", "note", "file"],
    RecordKind.TRAINING: ["title", "done_on", "hours", "criterion", "note", "file"],
    RecordKind.EXPERIENCE: ["title", "done_on", "criterion", "note", "file"],
    RecordKind.EVALUATION: ["title", "done_on", "role", "by_user", "by_name", "outcome", "criterion", "note", "file"],
    RecordKind.AUTHORISATION: ["role", "done_on", "by_user", "by_name", "valid_until", "note", "file"],
    RecordKind.WITNESSING: ["done_on", "by_user", "by_name", "event", "scheme", "outcome", "note", "file"],
    RecordKind.MONITORING: ["done_on", "by_user", "by_name", "outcome", "note", "file"],
    RecordKind.CPD: ["title", "done_on", "hours", "note", "file"],
}
TITLES = {RecordKind.TRAINING: _("Training (name, organiser)"), RecordKind.EDUCATION: _("Degree and field"),
          RecordKind.EXPERIENCE: _("Position, employer and period"), RecordKind.CPD: _("Topic and activity"),
          RecordKind.EVALUATION: _("What was evaluated")}


class RecordForm(forms.Form):
    title = forms.CharField(label=_("Title or topic"), max_length=NAME_MAX_LENGTH)
    done_on = forms.DateField(label=_("Date"), widget=DateInput())
    role = forms.ChoiceField(label=_("Role"), choices=_role_choices)
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=HOURS_MAX)
    criterion = forms.ModelChoiceField(label=_("Criterion it meets (optional)"), required=False,
                                       queryset=CompetenceCriterion.objects.none())
    by_user = forms.ModelChoiceField(label=_("By (an account of the portal)"), required=False,
                                     queryset=get_user_model().objects.none())
    by_name = forms.CharField(label=_("Or by (name, when not in the portal)"), max_length=NAME_MAX_LENGTH,
                              required=False)
    event = forms.ModelChoiceField(label=_("Test event (optional)"), required=False, queryset=Event.objects.none())
    scheme = forms.ModelChoiceField(label=_("Scheme (optional)"), required=False, queryset=Scheme.objects.none())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    valid_until = forms.DateField(label=_("Valid until (optional)"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=TEXT_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Evidence (PDF, JPEG or PNG; optional)"), required=False,
                           help_text=_("The certificate, the decree, the observation form signed."))

    def __init__(self, *args, kind: str, person, **kwargs):
        super().__init__(*args, **kwargs)
        keep = FIELDS[kind]
        for name in [n for n in self.fields if n not in keep]:
            self.fields.pop(name)
        if kind in TITLES and "title" in self.fields:
            self.fields["title"].label = TITLES[kind]
        if "criterion" in self.fields:
            self.fields["criterion"].queryset = CompetenceCriterion.objects.filter(
                is_active=True, role__in=person.roles).order_by("role", "kind", "pk")
        if "by_user" in self.fields:
            self.fields["by_user"].queryset = (get_user_model().objects.filter(
                is_active=True, role_links__role__in=STAFF_ROLES).exclude(pk=person.pk).distinct()
                .order_by("full_name"))
        if "event" in self.fields:
            self.fields["event"].queryset = (Event.objects.filter(event_assessors__assessor__user=person)
                                             .select_related("scheme", "test_site").distinct())
        if "scheme" in self.fields:
            self.fields["scheme"].queryset = Scheme.objects.order_by("code", "pk")
        if kind == RecordKind.AUTHORISATION:
            self.fields["role"].choices = [(r, Role(r).label) for r in person.roles if r in rules.COMPETENCE_ROLES]
            self.fields["by_user"].label = _("Authorised by (an account of the portal)")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_upload(upload)
        return upload
