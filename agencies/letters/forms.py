from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class SignForm(forms.Form):
    """Signing a letter for the cohort: the office's own letter number, the place, and the signer's typed name."""

    number = forms.CharField(label=_("Letter number"), max_length=100,
                             help_text=_("The number of your office's register, e.g. 800/1234/Dinkes/2026."))
    place = forms.CharField(label=_("Place of signing"), max_length=100, initial="Jakarta")
    signer_nip = forms.CharField(label=_("Your NIP (printed under the signature)"), max_length=18, required=False,
                                 validators=[RegexValidator(r"^\d{18}$", _("A NIP has 18 digits."))])
    typed_name = forms.CharField(label=_("Type your full name to sign"), max_length=200,
                                 help_text=_("Your typed name is your signature; the time is recorded with it."))
