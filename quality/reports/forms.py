from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PARTS, PeriodKind


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, initial=PeriodKind.QUARTER)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    part = forms.IntegerField(label=_("Quarter or semester"), min_value=1, max_value=4, initial=1,
                              help_text=_("1–4 for a quarter, 1–2 for a semester, 1 for a year."))
    letter_number = forms.CharField(label=_("Letter number"), max_length=80)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        kind, part = data.get("kind"), data.get("part")
        if kind and part and part > PARTS[PeriodKind(kind)]:
            self.add_error("part", _("A year has %(n)s of these periods.") % {"n": PARTS[PeriodKind(kind)]})
        return data


class SendForm(forms.Form):
    reference = forms.CharField(label=_("Delivery reference"), max_length=120)
