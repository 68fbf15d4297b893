import copy

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from certportal.forms import PASSWORD_MAX_LENGTH

from .models import STAFF_ROLES, Role, User


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True}))
    password = forms.CharField(label=_("Password"), strip=False, max_length=PASSWORD_MAX_LENGTH,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    error_messages = {
        "invalid_login": _("The e-mail address or password is wrong. Both are case-sensitive for the password."),
        "inactive": _("This account has been deactivated. Please contact the LSP administrator."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()

    def clean(self):
        """An address that failed too many logins across accounts is refused before any password is checked."""
        from certportal.net import client_ip

        from .spraying import blocked_until, login_refused

        ip = client_ip(self.request) if self.request is not None else None
        until = blocked_until(ip)
        if until is not None:
            login_refused(ip)
            minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
            raise ValidationError(
                _("Too many failed log-ins came from your network address, for several accounts. For everyone's "
                  "security, logging in from this address is paused for %(minutes)s more minutes, whatever the "
                  "account. Try again later or from another network; if you share this network, tell your IT "
                  "staff."), code="address_blocked", params={"minutes": minutes})
        return super().clean()


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name (with academic titles)"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput,
                                help_text=password_validation.password_validators_help_text_html(),
                                max_length=PASSWORD_MAX_LENGTH)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput,
                                max_length=PASSWORD_MAX_LENGTH)
    consent = forms.BooleanField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The consent cites the notice: link it (opens beside the form, so nothing typed is lost).
        notice = format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', reverse("privacy"),
                             _("privacy notice"))
        self.fields["consent"].label = format_html(
            _("I agree that my personal data is processed for competency certification, as explained in the "
              "{notice} (Law 27/2022 on Personal Data Protection)."), notice=notice)

    def clean_email(self):
        # Whether the address already has an account is not said here (that would tell anyone who holds an
        # account): the view answers both alike and e-mails the owner instead.
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        if p1:
            try:
                password_validation.validate_password(
                    p1, User(email=data.get("email", ""), full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class PortalSetPasswordForm(SetPasswordForm):
    pass


class PortalPasswordChangeForm(PasswordChangeForm):
    pass


def _bound_passwords(form_class: type[forms.Form]) -> None:
    """Django's own password forms take any length; ours stop at PASSWORD_MAX_LENGTH with a form error. The fields
    are copied first: Django's forms share theirs with every subclass."""
    for name in ("old_password", "new_password1", "new_password2"):
        if name in form_class.base_fields:
            field = form_class.base_fields[name] = copy.deepcopy(form_class.base_fields[name])
            field.max_length = PASSWORD_MAX_LENGTH
            field.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
            field.widget.attrs["maxlength"] = str(PASSWORD_MAX_LENGTH)


_bound_passwords(PortalSetPasswordForm)
_bound_passwords(PortalPasswordChangeForm)


class StaffForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    roles = forms.MultipleChoiceField(
        label=_("Roles"), widget=forms.CheckboxSelectMultiple,
        choices=[(r.value, r.label) for r in STAFF_ROLES],
    )

    def __init__(self, *args, instance: User | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", {
                "full_name": instance.full_name, "email": instance.email, "phone": instance.phone,
                "preferred_language": instance.preferred_language,
                "roles": [r for r in instance.roles if r != Role.APPLICANT],
            })
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["email"].disabled = True
        from .extensions import extensions

        for extension in extensions():  # e.g. the agency of an agency officer (agencies.staff)
            self.fields.update(extension.fields(instance))

    def clean(self):
        from .extensions import extensions

        data = super().clean()
        data.setdefault("roles", [])
        for extension in extensions():
            for name, message in extension.clean(data).items():
                self.add_error(name if name in self.fields else None, message)
        return data

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        qs = User.objects.filter(email__iexact=email)
        if self.instance is not None:
            qs = qs.exclude(pk=self.instance.pk)
        if qs.exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
