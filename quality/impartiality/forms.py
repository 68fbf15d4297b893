from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certportal.accounts.models import STAFF_ROLES
from certportal.forms import NAME_MAX_LENGTH

from .models import TEXT_MAX, CommitteeMember, Threat, ThreatAnalysis


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Account in the portal (optional)"), required=False, queryset=None)
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH, required=False,
                           help_text=_("Needed for a member without an account; else the account's name is used."))
    position = forms.CharField(label=_("Position"), max_length=NAME_MAX_LENGTH)
    interest = forms.CharField(label=_("Interest represented"), max_length=NAME_MAX_LENGTH,
                               help_text=_("E.g. the regional government, a professional association, the "
                                           "employers of certified civil servants."))
    term_from = forms.DateField(label=_("Term from"), widget=DateInput())
    term_to = forms.DateField(label=_("Term to"), widget=DateInput())

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {"user": instance.user_id, "name": instance.name,
                                          "position": instance.position, "interest": instance.interest,
                                          "term_from": instance.term_from, "term_to": instance.term_to})
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (get_user_model().objects.filter(is_active=True, role_links__role__in=STAFF_ROLES)
                                        .distinct().order_by("full_name"))


class AnalysisForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100,
                              initial=lambda: timezone.localdate().year)
    review_on = forms.DateField(label=_("Review date"), widget=DateInput())


class ThreatForm(forms.Form):
    source = forms.ChoiceField(label=_("Source of the threat"), choices=Threat.Source.choices)
    threat = forms.CharField(label=_("Threat"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    level = forms.ChoiceField(label=_("Threat level"), choices=Threat.Level.choices)
    measure = forms.CharField(label=_("Measure"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class DeclarationForm(forms.Form):
    interests = forms.CharField(
        label=_("Interests to declare"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Relationships or interests that could affect your impartiality (e.g. a relative among the "
                    "participants, training you gave them). Leave empty if there are none."))
    signed_name = forms.CharField(label=_("Type your full name to sign"), max_length=NAME_MAX_LENGTH,
                                  help_text=_("Type your full name as it is on your account."))


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Meeting date"), widget=DateInput())
    attendees = forms.ModelMultipleChoiceField(label=_("Members present"), queryset=CommitteeMember.objects.none(),
                                               widget=forms.CheckboxSelectMultiple)
    agenda = forms.CharField(label=_("Agenda"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label=_("Minutes"), max_length=TEXT_MAX * 5, widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("What was discussed and decided, as the minutes signed by the chair say."))
    endorsed = forms.ModelChoiceField(label=_("Threat analysis endorsed (optional)"), required=False,
                                      queryset=ThreatAnalysis.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = CommitteeMember.objects.order_by("name")
        self.fields["endorsed"].queryset = ThreatAnalysis.objects.filter(status=ThreatAnalysis.Status.APPROVED)


class EvidenceForm(forms.Form):
    threat = forms.ModelChoiceField(label=_("Threat"), queryset=Threat.objects.none())
    evidence = forms.CharField(label=_("Evidence that the measure works"), max_length=TEXT_MAX,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("E.g. the assignment letters showing assessors from other agencies, the "
                                           "check of trainers against participants, with their dates."))

    def __init__(self, *args, analysis=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["threat"].queryset = analysis.threats.all() if analysis is not None else Threat.objects.none()
