"""The uploaded credential: a bounded JSON file (size first, then strict parsing: UTF-8, no NaN, bounded nesting,
no control character or lone surrogate in any string: nothing the database refuses reaches the look-up)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from certportal.inputguard import json_problem

from .check import parse


class CredentialUploadForm(forms.Form):
    berkas = forms.FileField(label=_("The credential (JSON file)"),
                             help_text=_("The Open Badges credential the certificate holder gave you (.json)."))

    def clean_berkas(self):
        upload = self.cleaned_data["berkas"]
        limit = settings.CREDENTIAL_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(_("“%(name)s” is %(size)d KB; a credential is at most %(limit)d KB."),
                                  code="too_large", params={"name": upload.name, "size": upload.size // 1024,
                                                            "limit": limit // 1024})
        upload.seek(0)
        doc = parse(upload.read(limit + 1))
        if doc is None:
            raise ValidationError(_("“%(name)s” is not a credential: a JSON object was expected (its content was "
                                    "checked, not its name)."), code="bad_type", params={"name": upload.name})
        if json_problem(doc):
            raise ValidationError(_("“%(name)s” is not a credential the LSP issued: it holds a control character "
                                    "(such as NUL) or a broken character."), code="bad_character",
                                  params={"name": upload.name})
        return doc
