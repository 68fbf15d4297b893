from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certportal.accounts.models import Role, User
from certportal.forms import TEXT_MAX_LENGTH
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


class AssessorFieldsForm(forms.Form):
    """What the LSP admin keeps about an assessor; ``assessor`` is the one being edited (None when new)."""

    registration_number = forms.CharField(label=_("Registration number"), max_length=60)
    licence_valid_until = forms.DateField(label=_("Licence valid until"),
                                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    schemes = forms.ModelMultipleChoiceField(Scheme.objects.filter(is_current=True), label=_("Schemes in scope"),
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, assessor: Assessor | None = None, **kwargs):
        self.assessor = assessor
        super().__init__(*args, **kwargs)

    def clean_registration_number(self):
        value = self.cleaned_data["registration_number"].strip()
        others = Assessor.objects.filter(registration_number=value)
        if self.assessor is not None:
            others = others.exclude(pk=self.assessor.pk)
        if others.exists():
            raise forms.ValidationError(_("This registration number is already used."))
        return value

    def clean_licence_valid_until(self):
        """A date in the past is refused unless it is the one already stored (editing an expired assessor's
        schemes must still work); a licence that ends early is recorded by deactivating the assessor."""
        value = self.cleaned_data["licence_valid_until"]
        stored = self.assessor.licence_valid_until if self.assessor else None
        if value < timezone.localdate() and value != stored:
            raise forms.ValidationError(_("The licence valid-until date is in the past."))
        return value


class AssessorForm(AssessorFieldsForm):
    user = forms.ModelChoiceField(User.objects.none(), label=_("User (with the assessor role)"))
    field_order = ["user", "registration_number", "licence_valid_until", "schemes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.with_role(Role.ASSESSOR).filter(assessor__isnull=True)


class AssessorEditForm(AssessorFieldsForm):
    """The user is fixed. Deactivating (``is_active`` unticked) is a change like the others. A reason is needed
    when something changes; ``confirm`` is shown only when the change leaves the assessor unqualified for events
    they are on."""

    is_active = forms.BooleanField(
        label=_("Active"), required=False,
        help_text=_("Only an active assessor can be added to events and given participants. Untick to record a "
                    "revoked licence or an assessor who no longer works for the LSP."))
    reason = forms.CharField(label=_("Reason for the change"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX_LENGTH)
    confirm = forms.BooleanField(label=_("I have read the affected events and want to save the change anyway"),
                                 required=False)

    def __init__(self, *args, assessor: Assessor, **kwargs):
        current = Scheme.objects.filter(is_current=True, code__in=[s.code for s in assessor.schemes.all()])
        kwargs.setdefault("initial", {
            "registration_number": assessor.registration_number,
            "licence_valid_until": assessor.licence_valid_until, "schemes": list(current),
            "is_active": assessor.is_active})
        super().__init__(*args, assessor=assessor, **kwargs)

    @property
    def changes(self) -> list[str]:
        return [name for name in self.changed_data if name not in ("reason", "confirm")]

    def clean(self):
        data = super().clean()
        if self.changes and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the assessor's data changes."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=TEXT_MAX_LENGTH)


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Why is there a conflict of interest?"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=TEXT_MAX_LENGTH)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Certification decision"), choices=Result.choices,
                                 widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note (required when it differs from the recommendation)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX_LENGTH)


class CorrectionForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices, widget=forms.RadioSelect)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}),
                               max_length=TEXT_MAX_LENGTH)
    explanation = forms.CharField(label=_("Explanation for the participant (for BK)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX_LENGTH)
    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=TEXT_MAX_LENGTH)


class AppealForm(forms.Form):
    grounds = forms.CharField(label=_("Why do you appeal?"), widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=TEXT_MAX_LENGTH)
    discussed_with_assessor = forms.BooleanField(label=_("The assessor explained the appeal process to me"),
                                                 required=False)


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Appeal.Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Reasons for the outcome"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=TEXT_MAX_LENGTH)
    units = forms.MultipleChoiceField(label=_("BK units to re-assess"), required=False,
                                      widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, bk_units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(u.pk, f"{u.code} {u.title}") for u in bk_units]


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=TEXT_MAX_LENGTH)
    until = forms.DateField(label=_("Suspended until"), widget=forms.DateInput(attrs={"type": "date"}))


class ReplaceCertificateForm(forms.Form):
    """The holder data a correcting certificate prints (pre-filled from the certificate it replaces)."""

    holder_name = forms.CharField(label=_("Holder's name (as printed)"), max_length=200)
    holder_nip = forms.CharField(label=_("NIP"), max_length=24, required=False)
    holder_unit = forms.CharField(label=_("Unit (perangkat daerah)"), max_length=200, required=False)
    holder_position = forms.CharField(label=_("Position"), max_length=200, required=False)
    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=TEXT_MAX_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="replace", **kwargs)
        self.fields["holder_nip"].widget.attrs.update(inputmode="numeric", autocomplete="off")

    @classmethod
    def for_certificate(cls, cert):
        return cls(initial={"holder_name": cert.holder_name, "holder_nip": cert.holder_nip,
                            "holder_unit": cert.holder_unit,
                            "holder_position": (cert.snapshot.get("holder") or {}).get("position", "")})

    def clean_holder_nip(self):
        from applicants.nip import nip_problems

        nip = self.cleaned_data["holder_nip"].replace(" ", "")
        if nip and (problems := nip_problems(nip)):
            raise forms.ValidationError(problems)
        return nip


class HandoverForm(forms.Form):
    received_by = forms.CharField(label=_("Received by (name)"), max_length=200)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=TEXT_MAX_LENGTH)


class VerifyForm(forms.Form):
    kode = forms.CharField(label=_("Verification code"), max_length=40)


class VerifyDocumentForm(forms.Form):
    """A PDF someone received, checked like every upload (``certportal.files``: size, content, no active parts)."""

    berkas = forms.FileField(label=_("The PDF document"),
                             help_text=_("A certificate, result letter or berita acara downloaded from this portal."))

    def clean_berkas(self):
        from certportal.files import validate_upload

        upload = self.cleaned_data["berkas"]
        validate_upload(upload, ("pdf",))
        return upload


class HolderReportForm(forms.Form):
    text = forms.CharField(label=_("What has changed that affects your competence?"),
                           help_text=_("For example: you no longer work in this field, a health condition, a "
                                       "disciplinary sanction. The LSP reviews every report."),
                           widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX_LENGTH)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Employer (who gets the token)"), max_length=200)


class SurveillanceForm(forms.Form):
    statement = forms.CharField(label=_("Statement of continued practice"),
                                help_text=_("Where and how you used the competence this year. Attach documents "
                                            "that show it (PDF, JPEG or PNG; at most 5)."),
                                widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX_LENGTH)


class PlenoForm(forms.Form):
    """The pleno as recorded by the LSP admin; the members list is drawn by the template with each person's
    eligibility (see ``assessments.services.pleno.member_options``): the service decides."""

    decree_number = forms.CharField(label=_("Decree number"), max_length=80)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}),
                              input_formats=["%Y-%m-%d", "%d-%m-%Y"])
    members = forms.ModelMultipleChoiceField(
        User.objects.filter(is_active=True).exclude(role_links=None), label=_("Members of the pleno"),
        error_messages={"required": _("Choose at least one member of the pleno.")})
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            max_length=TEXT_MAX_LENGTH)


class FeedbackForm(forms.Form):
    """FR.AK.03: Yes/No and an optional comment per statement (fields ``answer_<n>``, ``comment_<n>``), an overall
    comment, the name typed as the signature."""

    def __init__(self, *args, **kwargs):
        from .feedback_models import COMMENT_MAX_LENGTH, FEEDBACK_STATEMENTS

        super().__init__(*args, **kwargs)
        self.statements = []
        for n, statement in enumerate(FEEDBACK_STATEMENTS, start=1):
            self.fields[f"answer_{n}"] = forms.ChoiceField(
                label=statement, choices=[("ya", _("Yes")), ("tidak", _("No"))], widget=forms.RadioSelect,
                error_messages={"required": _("Answer statement %(number)s with Yes or No.") % {"number": n}})
            self.fields[f"comment_{n}"] = forms.CharField(label=_("Comment"), required=False,
                                                          max_length=COMMENT_MAX_LENGTH)
        self.fields["overall_comment"] = forms.CharField(
            label=_("Overall comment"), required=False, max_length=TEXT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 3}))
        self.fields["signed_name"] = forms.CharField(
            label=_("Your full name (your signature)"), max_length=200,
            help_text=_("Typing your name signs this form electronically."))

    def rows(self):
        """(number, statement, answer field, comment field) per statement, for the template."""
        from .feedback_models import FEEDBACK_STATEMENTS

        return [(n, s, self[f"answer_{n}"], self[f"comment_{n}"])
                for n, s in enumerate(FEEDBACK_STATEMENTS, start=1)]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        numbers = [int(k.split("_")[1]) for k in data if k.startswith("answer_")]
        return {"answers": {n: data[f"answer_{n}"] for n in numbers},
                "comments": {n: data[f"comment_{n}"] for n in numbers},
                "overall_comment": data["overall_comment"], "signed_name": data["signed_name"]}
