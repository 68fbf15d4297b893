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
    complaint_office = forms.CharField(
        label=_("Complaints in person: office and address"), max_length=300, required=False,
        help_text=_("Shown on the public complaint page (service standard item 6.1), e.g. Bidang Pengembangan Sumber "
                    "Daya ASN, with its address."))
    complaint_email = forms.EmailField(label=_("Complaints e-mail"), max_length=200, required=False,
                                       help_text=_("The service unit's official e-mail (item 6.2)."))
    helpdesk = forms.CharField(label=_("Helpdesk"), max_length=200, required=False,
                               help_text=_("Telephone or WhatsApp and hours of the service officers (item 6.3)."))
    lapor_url = forms.URLField(label=_("SP4N-LAPOR! address"), max_length=200, required=False, assume_scheme="https",
                               help_text=_("Item 6.4; usually https://www.lapor.go.id/."))
    signatory_name = forms.CharField(label=_("Signatory's name"), max_length=200, required=False,
                                     help_text=_("With titles, as it is to be printed under the signature."))
    signatory_position = forms.CharField(label=_("Signatory's position"), max_length=200, required=False)
    signatory_nip = forms.CharField(label=_("Signatory's NIP"), max_length=30, required=False)
    licence_date = forms.DateField(label=_("BNSP licence date"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    licence_valid_until = forms.DateField(
        label=_("BNSP licence valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Once recorded, no event is planned, no decision taken and no certificate issued after this "
                    "date or outside the licensed scope."))
    licence_document = forms.FileField(label=_("BNSP licence document"), required=False,
                                       help_text=_("The licence as a PDF; leave empty to keep the current one."))
    licence_scope = forms.MultipleChoiceField(label=_("Licensed scope"), required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              help_text=_("The schemes the BNSP licence lets the LSP certify."))
    logo = forms.FileField(label=_("Logo"), required=False,
                           help_text=_("A PNG or JPEG image; leave empty to keep the current logo."))

    def __init__(self, *args, **kwargs):
        from .licence import scope_choices

        super().__init__(*args, **kwargs)
        choices = scope_choices()
        known = {code for code, _label in choices}
        # a code in the scope whose scheme is gone stays tickable (it is on the licence)
        kept = [(c, c) for c in (self.initial.get("licence_scope") or []) if c not in known]
        self.fields["licence_scope"].choices = [*choices, *kept]

    def clean(self):
        data = super().clean()
        start, until = data.get("licence_date"), data.get("licence_valid_until")
        if start and until and until < start:
            self.add_error("licence_valid_until", _("The licence is valid until a date after the date it was "
                                                    "granted."))
        return data

    def clean_licence_document(self):
        document = self.cleaned_data.get("licence_document")
        if document:
            validate_upload(document, ("pdf",))
        return document

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
