from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Event
from certportal.accounts.models import LSP_PERSONNEL, STAFF_ROLES, User
from certportal.files import validate_upload
from certportal.forms import NAME_MAX_LENGTH, TEXT_MAX_LENGTH

from . import review_inputs, selectors
from .models import ControlledDocument, Finding, SystemReview


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _text(label, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=TEXT_MAX_LENGTH, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}))


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name or obj.email} ({obj.email})"


def active_staff(roles=STAFF_ROLES):
    return User.objects.filter(is_active=True, role_links__role__in=roles).distinct().order_by("full_name", "email")


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SystemReview.Kind.choices, widget=forms.RadioSelect)
    held_on = forms.DateField(label=_("Date held"), widget=DateInput())
    scope = _text(_("Scope or agenda"))
    participants = _text(_("Participants (name and function, one a line)"))
    auditor = StaffChoice(label=_("Internal auditor (an internal audit only)"), queryset=User.objects.none(),
                          required=False,
                          help_text=_("Someone who took no part in the records audited: refused otherwise."))
    audited_events = forms.ModelMultipleChoiceField(
        label=_("Test events whose records were audited (an internal audit only)"), queryset=Event.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, figures: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = active_staff(LSP_PERSONNEL)
        self.fields["audited_events"].queryset = selectors.audited_events()
        for code, label in review_inputs.INPUTS:  # a management review's inputs, drafted from the portal's figures
            self.fields[f"input_{code}"] = _text(label, rows=2, required=False)
            self.fields[f"input_{code}"].initial = (figures or {}).get(code, "")

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Record an audit or a review once it has been held."))
        return day

    def clean(self):
        data = super().clean()
        internal = data.get("kind") == SystemReview.Kind.INTERNAL_AUDIT
        if internal and not data.get("auditor"):
            self.add_error("auditor", _("Name the internal auditor."))
        if not internal and (data.get("auditor") or data.get("audited_events")):
            self.add_error("auditor", _("A management review has no auditor and audits no test event."))
        data["inputs"] = {code: (data.pop(f"input_{code}", "") or "").strip() for code in review_inputs.INPUT_CODES}
        if data.get("kind") == SystemReview.Kind.MANAGEMENT_REVIEW:
            for code, text in data["inputs"].items():
                if not text:
                    self.add_error(f"input_{code}", _("A management review records this input (ISO/IEC 17024 "
                                                      "10.2.5)."))
        return data


class ConcludeForm(forms.Form):
    conclusions = _text(_("Conclusions"), rows=4)


class FindingForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Finding.Severity.choices)
    clause = forms.CharField(label=_("Clause or requirement (e.g. ISO/IEC 17024 9.2)"), max_length=100,
                             required=False)
    description = _text(_("Finding"))
    action = _text(_("Corrective action to take"))
    owner = StaffChoice(label=_("Owner of the corrective action"), queryset=User.objects.none())

    def __init__(self, *args, review: SystemReview | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_staff()
        decision = Finding.Severity.DECISION
        if review is not None and review.kind == SystemReview.Kind.MANAGEMENT_REVIEW:  # its outputs
            self.fields["severity"].choices = [(decision.value, decision.label)]
            self.fields["description"].label = _("Decision of the review")
        else:
            self.fields["severity"].choices = [c for c in Finding.Severity.choices if c[0] != decision]


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence (PDF, JPEG or PNG)"))
    note = forms.CharField(label=_("What it shows"), max_length=500, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload)
        return upload


class ReasonForm(forms.Form):
    reason = _text(_("Reason"), rows=2)


class EffectivenessForm(forms.Form):
    reason = _text(_("Effectiveness check"), rows=2)


class AnalysisForm(forms.Form):
    correction = _text(_("Correction done at once"), rows=2)
    cause = _text(_("Cause found"), rows=2)


class DocumentForm(forms.Form):
    code = forms.CharField(label=_("Document code"), max_length=50)
    title = forms.CharField(label=_("Title"), max_length=NAME_MAX_LENGTH)
    kind = forms.ChoiceField(label=_("Kind"), choices=ControlledDocument.Kind.choices)


class VersionForm(forms.Form):
    label = forms.CharField(label=_("Version (e.g. Rev. 2)"), max_length=30)
    effective_on = forms.DateField(label=_("Effective from"), widget=DateInput())
    summary = forms.CharField(label=_("What changed"), max_length=500, required=False)
    file = forms.FileField(label=_("The document (PDF)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, kinds=("pdf",))
        return upload


class OnDateForm(forms.Form):
    on = forms.DateField(label=_("In force on"), widget=DateInput(), required=False)
