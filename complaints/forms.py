from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certportal.forms import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, CheckedFilesField, capped_formfield

from . import skm
from .models import Channel, Complaint, Component, Route, Service

COMMON_FIELDS = ["name", "email", "phone", "postal_address", "object_text", "reference", "service_date", "message"]


class ComplaintForm(forms.ModelForm):
    attachments = CheckedFilesField(
        label=_("Attachments"),
        help_text=_("Optional. PDF, JPEG or PNG. If a file is refused, the rest of what you wrote is kept: "
                    "just choose the files again."))

    class Meta:
        formfield_callback = capped_formfield
        model = Complaint
        fields = COMMON_FIELDS
        widgets = {
            "service_date": forms.DateInput(attrs={"type": "date"}),
            "message": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "name": _("Optional. Without your name and a way to reach you, we record your report as a suggestion."),
            "postal_address": _("Optional. For an answer by post: an address is enough to reach you, like an "
                                "e-mail or a phone number."),
            "object_text": _("Which service, document, place or staff member is it about? Without an object we "
                             "record your report as a suggestion."),
            "reference": _("Optional: an application, certificate or letter number."),
            "service_date": _("Complaints are accepted up to 30 calendar days after the service; later reports "
                              "are recorded as suggestions."),
        }

    def clean_service_date(self):
        value = self.cleaned_data.get("service_date")
        if value and value > timezone.localdate():
            raise ValidationError(_("The date of the service cannot be in the future."))
        return value


class PublicComplaintForm(ComplaintForm):
    # Honeypot: people never see this field (it is hidden); bots fill every field they find.
    website = forms.CharField(required=False, label=_("Leave this field empty"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
                              max_length=NAME_MAX_LENGTH)


class StaffComplaintForm(ComplaintForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=[c for c in Channel.choices if c[0] != Channel.WEB])
    received_on = forms.DateField(label=_("Date received"), initial=timezone.localdate,
                                  widget=forms.DateInput(attrs={"type": "date"}))

    class Meta(ComplaintForm.Meta):
        fields = ["channel", "received_on", *COMMON_FIELDS, "scheme_code"]

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date received cannot be in the future."))
        return value


class TrackLookupForm(forms.Form):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=20)
    contact = forms.CharField(label=_("E-mail or phone given with the report"), max_length=200)


class ClassifyForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    component = forms.ChoiceField(label=_("Component of the service standard"), choices=Component.choices)


class AnalysisForm(forms.ModelForm):
    class Meta:
        formfield_callback = capped_formfield
        model = Complaint
        fields = ["core_problem", "standard_concerned", "earlier_records", "planned_handling", "findings"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in fields}
        help_texts = {
            "planned_handling": _("For example clarification, confirmation, examination or investigation."),
            "earlier_records": _("What the earlier records listed on this page tell about the matter."),
        }


class RouteForm(forms.Form):
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices, widget=forms.RadioSelect)
    detail = forms.CharField(label=_("Team, agency or auditor"), max_length=200, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=TEXT_MAX_LENGTH)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer to the complainant"), widget=forms.Textarea(attrs={"rows": 5}),
                             max_length=TEXT_MAX_LENGTH)
    superior_report = forms.CharField(label=_("Report to the superior"), widget=forms.Textarea(attrs={"rows": 3}),
                                      max_length=TEXT_MAX_LENGTH)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Closing note for the complainant"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX_LENGTH)


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=pgettext_lazy("date range", "To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(_("The start of the period must come before its end."))
        return data


class SurveyForm(forms.Form):
    """The nine questions, each with the regulation's four answers, plus an open comment."""

    comment = forms.CharField(label=_("Comments and suggestions"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        comment = self.fields.pop("comment")
        for i, (code, element, question, answers) in enumerate(skm.ELEMENTS, start=1):
            self.fields[code] = forms.TypedChoiceField(
                label=f"U{i}. {element}: {question}", coerce=int, widget=forms.RadioSelect,
                choices=[(n, f"{n} — {text}") for n, text in enumerate(answers, start=1)],
                error_messages={"required": _("Please answer this question.")})
        self.fields["comment"] = comment

    def scores(self) -> list[int]:
        return [self.cleaned_data[code] for code in skm.CODES]


class PaperImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_(
        "Header: date,scheme,u1,u2,u3,u4,u5,u6,u7,u8,u9,comment — one row per respondent, ISO dates, "
        "answers 1–4."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 5 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file must be a UTF-8 CSV file.")) from None
