from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from applicants.models import Agency
from schemes.constants import EDUCATION_CHOICES, RANK_CHOICES
from schemes.models import Scheme
from schemes.selectors import open_schemes

from .models import FundedRound

MAX_PLACES = 10_000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    fiscal_year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2100)
    schemes = forms.ModelMultipleChoiceField(
        label=_("Schemes the round pays for"), widget=forms.CheckboxSelectMultiple,
        queryset=Scheme.objects.none())
    opens_on = forms.DateField(label=_("Proposals open on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Proposals close on"), widget=DateInput())

    def __init__(self, *args, instance: FundedRound | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {"name": instance.name, "fiscal_year": instance.fiscal_year,
                                          "schemes": list(instance.schemes.all()), "opens_on": instance.opens_on,
                                          "closes_on": instance.closes_on})
        super().__init__(*args, **kwargs)
        self.fields["schemes"].queryset = open_schemes().order_by("code")  # not outside the licensed scope

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The round cannot close before it opens."))
        return data


class QuotaForm(forms.Form):
    """One number per active agency: its funded places in the round (0 or empty: none)."""

    def __init__(self, *args, funded_round: FundedRound, **kwargs):
        super().__init__(*args, **kwargs)
        current = {q.agency_id: q.places for q in funded_round.quotas.all()}
        self.agencies = list(Agency.objects.filter(is_active=True))
        for agency in self.agencies:
            self.fields[f"agency_{agency.pk}"] = forms.IntegerField(
                label=agency.name, min_value=0, max_value=MAX_PLACES, required=False,
                initial=current.get(agency.pk, 0))

    def places(self) -> dict:
        return {a: self.cleaned_data.get(f"agency_{a.pk}") or 0 for a in self.agencies}


class RoundSchemeForm(forms.Form):
    """Which open round and scheme the officer proposes for (the choices are the rounds open to the agency)."""

    choice = forms.ChoiceField(label=_("Round and scheme"))

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [
            (f"{r.pk}:{s.pk}", f"{r} — {s.code} {s.name}") for r in rounds for s in r.schemes.all()]

    def chosen(self) -> tuple[int, int]:
        round_pk, scheme_pk = self.cleaned_data["choice"].split(":")
        return int(round_pk), int(scheme_pk)


class PersonForm(RoundSchemeForm):
    nip = forms.CharField(label=_("NIP"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    education = forms.ChoiceField(label=_("Education"), required=False,
                                  choices=[("", "—"), *EDUCATION_CHOICES],
                                  help_text=_("Needed when the person has no profile in the portal yet."))
    rank = forms.ChoiceField(label=_("Rank (golongan)"), required=False, choices=[("", "—"), *RANK_CHOICES],
                             help_text=_("Needed when the person has no profile in the portal yet."))


class UploadForm(RoundSchemeForm):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RosterUploadForm(forms.Form):
    """The province's roster as SIASN exports it (XLSX or CSV): checked by a worker before anything is written."""

    file = forms.FileField(label=_("Roster file (XLSX or CSV, SIASN's “data utama” columns)"))
    whole = forms.BooleanField(
        label=_("This file is the whole province's roster: whoever is on the portal's roster but not in the file "
                "has left"), required=False)

    def clean_file(self):
        from .roster_import import max_bytes

        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(_("The file is %(size).1f MB; the limit is %(limit).0f MB.") % {
                "size": upload.size / 1024 / 1024, "limit": max_bytes() / 1024 / 1024})
        return upload
