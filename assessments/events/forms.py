"""Forms of the test event: planning an event, assessors, conflicts of interest, decisions, corrections, the pleno
and appeals."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.events.models import Appeal, Assessor, Result
from certportal.accounts.models import Role, User
from certportal.forms import TEXT_MAX_LENGTH
from schemes.models import Scheme, TestSite


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
    evidence_gap_reason = forms.CharField(
        label=_("Why the evidence suffices all the same (needed for K)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX_LENGTH,
        help_text=_("On an event with an assessment plan: a K whose planned records are not all signed and "
                    "sufficient is decided only with this reason."))
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



class PlenoForm(forms.Form):
    """The pleno as recorded by the LSP admin; the members list is drawn by the template with each person's
    eligibility (see ``assessments.events.services.pleno.member_options``): the service decides."""

    decree_number = forms.CharField(label=_("Decree number"), max_length=80)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}),
                              input_formats=["%Y-%m-%d", "%d-%m-%Y"])
    members = forms.ModelMultipleChoiceField(
        User.objects.filter(is_active=True).exclude(role_links=None), label=_("Members of the pleno"),
        error_messages={"required": _("Choose at least one member of the pleno.")})
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            max_length=TEXT_MAX_LENGTH)



class PlanningForm(forms.Form):
    """Seed 002 step 2: the assessor's planning of the test (each part required, each at most TEXT_MAX_LENGTH)."""

    units_methods = forms.CharField(label=_("Units and assessment methods"), max_length=TEXT_MAX_LENGTH,
                                    widget=forms.Textarea(attrs={"rows": 6}),
                                    help_text=_("Each unit you will assess and the methods and instruments you "
                                                "will use, following the event's assessment plan (FR.MAPA.01)."))
    schedule = forms.CharField(label=_("Schedule of the day"), max_length=TEXT_MAX_LENGTH,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("From the briefing to the feedback: what happens when."))
    tools_materials = forms.CharField(label=_("Tools and materials needed"), max_length=TEXT_MAX_LENGTH,
                                      widget=forms.Textarea(attrs={"rows": 3}),
                                      help_text=_("What the test site prepares for you (the Kepala TUK reads it)."))
    coordination = forms.CharField(
        label=_("Coordination with the technical operations field (Bidang Teknis Operasional)"),
        max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("With whom you agreed what, and when."))
