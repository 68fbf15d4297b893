"""The participant's feedback on the assessment (FR.AK.03)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from certportal.forms import TEXT_MAX_LENGTH


class FeedbackForm(forms.Form):
    """FR.AK.03: Yes/No and an optional comment per statement (fields ``answer_<n>``, ``comment_<n>``), an overall
    comment, the name typed as the signature."""

    def __init__(self, *args, **kwargs):
        from assessments.instruments.models.feedback import COMMENT_MAX_LENGTH, FEEDBACK_STATEMENTS

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
        from assessments.instruments.models.feedback import FEEDBACK_STATEMENTS

        return [(n, s, self[f"answer_{n}"], self[f"comment_{n}"])
                for n, s in enumerate(FEEDBACK_STATEMENTS, start=1)]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        numbers = [int(k.split("_")[1]) for k in data if k.startswith("answer_")]
        return {"answers": {n: data[f"answer_{n}"] for n in numbers},
                "comments": {n: data[f"comment_{n}"] for n in numbers},
                "overall_comment": data["overall_comment"], "signed_name": data["signed_name"]}

