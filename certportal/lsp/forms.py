from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from certportal.files import validate_upload

from . import services

LOGO_KINDS = ("png", "jpeg")


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name of the certification body (LSP)"), max_length=200)
    licence_number = forms.CharField(label=_("BNSP licence number"), max_length=100, required=False,
                                     help_text=_("As on the BNSP licence, e.g. BNSP-LSP-1234-ID."))
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    city = forms.CharField(label=_("City"), max_length=100,
                           help_text=_("Printed before the date of signing: “Jakarta, 23 November 2026”."))
    signatory_name = forms.CharField(label=_("Signatory's name"), max_length=200, required=False,
                                     help_text=_("With titles, as it is to be printed under the signature."))
    signatory_position = forms.CharField(label=_("Signatory's position"), max_length=200, required=False)
    signatory_nip = forms.CharField(label=_("Signatory's NIP"), max_length=30, required=False)
    logo = forms.FileField(label=_("Logo"), required=False,
                           help_text=_("A PNG or JPEG image; leave empty to keep the current logo."))

    def clean_signatory_nip(self) -> str:
        nip = self.cleaned_data["signatory_nip"].replace(" ", "")
        if nip and (problems := services.nip_problems(nip)):
            raise ValidationError(problems)
        return nip

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo:
            self.logo_kind = validate_upload(logo, LOGO_KINDS)
        return logo
