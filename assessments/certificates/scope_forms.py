"""Forms of a scope reduction (the LSP admin's decision), a misuse report (the public form) and its handling."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from assessments.certificates.scope_models import ScopeReduction
from certportal.accounts.models import STAFF_ROLES
from certportal.forms import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, CheckedFilesField


class ReductionForm(forms.Form):
    """The decision: the units still held (the others are removed), its ground, decree, day, members, reason."""

    kept = forms.MultipleChoiceField(label=_("Units the holder still holds"), widget=forms.CheckboxSelectMultiple,
                                     help_text=_("Untick the units removed from the scope; at least one stays."))
    ground = forms.ChoiceField(label=_("The reduction follows"), choices=ScopeReduction.Ground.choices)
    ground_reference = forms.CharField(label=_("Reference (report or complaint number)"), max_length=120,
                                       required=False)
    decree_number = forms.CharField(label=_("Decree number"), max_length=80)
    decided_on = forms.DateField(label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"}),
                                 input_formats=["%Y-%m-%d", "%d-%m-%Y"])
    members = forms.ModelMultipleChoiceField(
        get_user_model().objects.none(), label=_("Members who took the decision"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one member who took the decision.")})
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX_LENGTH)

    def __init__(self, *args, units: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kept"].choices = [(u["code"], f"{u['code']} — {u['title']}") for u in units]
        self.fields["members"].queryset = (get_user_model().objects.filter(
            is_active=True, role_links__role__in=STAFF_ROLES).distinct().order_by("full_name"))
        self.fields["members"].label_from_instance = lambda u: u.full_name
        if not self.is_bound:
            self.initial.setdefault("kept", [u["code"] for u in units])


class MisuseReportForm(forms.Form):
    what = forms.CharField(label=_("What is misused, and how?"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=TEXT_MAX_LENGTH,
                           help_text=_("For example: the certificate shown for work it does not cover, a changed "
                                       "copy, the LSP's or BNSP's logo on an advertisement."))
    where = forms.CharField(label=_("Where? (web address or place)"), max_length=500)
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=NAME_MAX_LENGTH, required=False)
    reporter_contact = forms.CharField(label=_("Your e-mail or phone (optional)"), max_length=200, required=False,
                                       help_text=_("Only if you want the LSP to be able to ask you more."))
    evidence = CheckedFilesField(label=_("Evidence (optional)"),
                             help_text=_("Screenshots or documents: PDF, JPEG or PNG, at most 3 files."))
    # Honeypot: people never see this field (it is hidden); bots fill every field they find.
    website = forms.CharField(required=False, label=_("Leave this field empty"), max_length=NAME_MAX_LENGTH,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))


class MisuseHandleForm(forms.Form):
    reason = forms.CharField(label=_("What the review found"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=TEXT_MAX_LENGTH)
    until = forms.DateField(label=_("Suspended until (only for a suspension)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
