from django import forms
from django.utils.translation import gettext_lazy as _

from certportal.forms import NAME_MAX_LENGTH, capped_formfield

from .models import CalendarDay, SlaPolicy

WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices,
                             initial=CalendarDay.Kind.JOINT_LEAVE)
    name = forms.CharField(label=_("Description"), max_length=200,
                           help_text=_("For example: joint leave announced by the government, office closure."))


class WorkWeekForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(label=_("Working weekdays"), choices=WEEKDAYS, coerce=int,
                                              widget=forms.CheckboxSelectMultiple)


class PolicyForm(forms.ModelForm):
    pause_states = forms.CharField(
        label=_("States that pause the clock"), required=False,
        help_text=_("State codes separated by commas, for example: waiting_applicant. Leave empty for none."),
        max_length=NAME_MAX_LENGTH)

    class Meta:
        formfield_callback = capped_formfield
        model = SlaPolicy
        fields = ["name", "target_days", "limit_days", "warn_days", "pause_states"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["pause_states"] = ", ".join(self.instance.pause_states or [])

    def clean_pause_states(self) -> list[str]:
        raw = self.cleaned_data.get("pause_states") or ""
        return [part.strip() for part in raw.split(",") if part.strip()]

    def clean(self):
        data = super().clean() or {}
        target, limit = data.get("target_days"), data.get("limit_days")
        if target is not None and target < 1:
            self.add_error("target_days", _("The target must be at least one working day."))
        if target is not None and limit is not None and limit < target:
            self.add_error("limit_days", _("The limit cannot be shorter than the target."))
        return data
