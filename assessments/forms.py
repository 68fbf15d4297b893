from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certportal.accounts.models import Role, User
from schemes.models import Scheme, TestSite

from .models import Appeal, Assessor, Result


class EventForm(forms.Form):
    scheme = forms.ModelChoiceField(Scheme.objects.filter(is_current=True), label=_("Scheme"))
    test_site = forms.ModelChoiceField(TestSite.objects.filter(is_active=True), label=_("Test site (TUK)"))
    starts_at = forms.DateTimeField(label=_("Date and time"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"])
    place_note = forms.CharField(label=_("Room / notes on the place"), required=False, max_length=300)

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if value < timezone.now() - timezone.timedelta(days=1):
            raise forms.ValidationError(_("The date is in the past."))
        return value


class AssessorForm(forms.Form):
    user = forms.ModelChoiceField(User.objects.none(), label=_("User (with the assessor role)"))
    registration_number = forms.CharField(label=_("Registration number"), max_length=60)
    licence_valid_until = forms.DateField(label=_("Licence valid until"),
                                          widget=forms.DateInput(attrs={"type": "date"}))
    schemes = forms.ModelMultipleChoiceField(Scheme.objects.filter(is_current=True), label=_("Schemes in scope"),
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.with_role(Role.ASSESSOR).filter(assessor__isnull=True)

    def clean_registration_number(self):
        value = self.cleaned_data["registration_number"].strip()
        if Assessor.objects.filter(registration_number=value).exists():
            raise forms.ValidationError(_("This registration number is already used."))
        return value


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Why is there a conflict of interest?"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Certification decision"), choices=Result.choices,
                                 widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note (required when it differs from the recommendation)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices, widget=forms.RadioSelect)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}))
    explanation = forms.CharField(label=_("Explanation for the participant (for BK)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}))


class AppealForm(forms.Form):
    grounds = forms.CharField(label=_("Why do you appeal?"), widget=forms.Textarea(attrs={"rows": 4}))
    discussed_with_assessor = forms.BooleanField(label=_("The assessor explained the appeal process to me"),
                                                 required=False)


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Appeal.Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Reasons for the outcome"), widget=forms.Textarea(attrs={"rows": 3}))
    units = forms.MultipleChoiceField(label=_("BK units to re-assess"), required=False,
                                      widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, bk_units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(u.pk, f"{u.code} {u.title}") for u in bk_units]


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    until = forms.DateField(label=_("Suspended until"), widget=forms.DateInput(attrs={"type": "date"}))


class HandoverForm(forms.Form):
    received_by = forms.CharField(label=_("Received by (name)"), max_length=200)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(forms.Form):
    kode = forms.CharField(label=_("Verification code"), max_length=40)
