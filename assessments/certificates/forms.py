"""Forms about certificates: suspension, replacement, handover, public verification, holder reports, API tokens
and surveillance."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from certportal.forms import TEXT_MAX_LENGTH


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=TEXT_MAX_LENGTH)



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



CODE_DASHES = re.compile(r"[\s\-\u2010-\u2015\u2212]+")  # spaces and any dash people (or word processors) type


class VerifyForm(forms.Form):
    """What a person has in hand: the code printed beside the QR code (any case, spaces and dashes ignored), or the
    printed number (with its slashes) together with the holder's name or NIP. Cleaned into ``code`` or ``number``."""

    kode = forms.CharField(label=_("Verification code or certificate number"), max_length=80,
                           help_text=_("The verification code is the 16 letters and digits printed beside the QR "
                                       "code on the front of the certificate (Kode verifikasi); spaces and dashes "
                                       "do not matter."))
    nama = forms.CharField(label=_("Holder's name or NIP (only with the certificate number)"), max_length=200,
                           required=False,
                           help_text=_("The name as printed on the certificate (titles may be left out) or the "
                                       "holder's NIP."))

    def clean(self):
        data = super().clean()
        typed = data.get("kode")
        if not typed:
            return data
        if "/" in typed:
            data["number"] = typed
            if not data.get("nama", "").strip():
                self.add_error("nama", _("This is the certificate number, and a number alone does not show a "
                                         "certificate. Enter the holder's name or NIP with it, or enter the "
                                         "verification code printed beside the QR code instead."))
            return data
        code = CODE_DASHES.sub("", typed).upper()
        if not re.fullmatch(r"[A-Z0-9]{1,64}", code):
            self.add_error("kode", _("A verification code has only letters and digits. A certificate number has "
                                     "slashes: enter it as printed, with the holder's name or NIP."))
        data["code"] = code
        return data



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

