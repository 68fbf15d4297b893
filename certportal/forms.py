"""Bounds on what a person may type, shared by every app's forms (OWASP ASVS 5.1.4).

Every free-text field fed by a form has a maximum length, checked by the form with a clear message, so a huge
value is a form error and never a 500 or a row nobody can read:

- ``NAME_MAX_LENGTH`` (200) for names and one-line values, ``TEXT_MAX_LENGTH`` (5,000) for descriptions, notes,
  reasons and answers, ``LIST_MAX_LENGTH`` (20,000) for the few text areas that take a list (units of a scheme);
- ModelForms set ``formfield_callback = capped_formfield`` in their Meta: a model ``TextField`` (which has no
  length of its own) then gets ``TEXT_MAX_LENGTH`` on the form;
- searches take at most ``SEARCH_MAX_LENGTH`` (100) characters: a longer one is not run and the page says why
  (SQLite refuses LIKE patterns over 50,000 bytes, and no real search is that long).
"""

from django import forms
from django.contrib import messages
from django.db import models
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 5000
LIST_MAX_LENGTH = 20000
PASSWORD_MAX_LENGTH = 128
SEARCH_MAX_LENGTH = 100

SEARCH_TOO_LONG = _("A search can be at most %(limit_value)d characters long; this one has %(show_value)d "
                    "and was not run. Please shorten it.")


def capped_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """ModelForm ``formfield_callback``: a TextField without a max_length gets TEXT_MAX_LENGTH on the form; a
    required choice shown as radio buttons offers only its real choices (no empty "---------" button)."""
    if isinstance(db_field, models.TextField) and db_field.max_length is None and not db_field.choices:
        kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
    field = db_field.formfield(**kwargs)
    return without_empty_radio(field) if field is not None else None


def without_empty_radio(field: forms.Field) -> forms.Field:
    """Drop the empty choice Django adds to a required choice field when it is drawn as radio buttons: a person
    picks one of the real answers, and leaving the group unanswered says "this field is required"."""
    if field.required and isinstance(field.widget, forms.RadioSelect) and hasattr(field, "choices"):
        field.choices = [(value, label) for value, label in field.choices if value not in ("", None)]
    return field


def search_field_kwargs() -> dict:
    """Keyword arguments for a search CharField (forms or django-filter's CharFilter)."""
    return {"max_length": SEARCH_MAX_LENGTH, "error_messages": {"max_length": SEARCH_TOO_LONG}}


def search_terms(request, name: str = "q") -> str:
    """The search typed in a hand-written list view, or "" (with a message) when it is too long to run."""
    value = request.GET.get(name, "").strip()
    if len(value) > SEARCH_MAX_LENGTH:
        messages.error(request, SEARCH_TOO_LONG % {"limit_value": SEARCH_MAX_LENGTH, "show_value": len(value)})
        return ""
    return value


def report_form_errors(request, form: forms.Form) -> None:
    """Show a filter form's errors (a search too long to run) as messages, for list pages whose search bar is a
    plain row of inputs rather than a rendered form."""
    if form.is_bound:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class CheckedFilesField(forms.FileField):
    """Several files in one input (optional), each checked like a dossier upload (content, size, no active parts:
    :func:`certportal.files.validate_upload`); the form lists every refused file's reason."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        from django.core.exceptions import ValidationError

        from certportal.files import validate_upload

        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        errors = []
        for upload in files:
            try:
                validate_upload(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return list(files)
