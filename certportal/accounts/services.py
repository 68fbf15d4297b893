"""Account services: registration, e-mail confirmation, staff accounts, roles, deactivation."""

from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal.audit.services import audit_record
from certportal.errors import PortalError
from certportal.notifications.services import absolute_url, notify
from certportal.ratelimit import over_limit

from . import extensions
from .models import Role, User, UserRole
from .signals import account_deactivated

CONFIRM_SALT = "accounts.confirm-email"


class AccountError(PortalError):
    """A refused account operation, with a message for the user."""


def email_confirmation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=CONFIRM_SALT)


def send_email_confirmation(user: User) -> None:
    url = reverse("accounts:confirm-email", kwargs={"token": email_confirmation_token(user)})
    notify(user, template="accounts/email/confirm", url=url, in_portal=False)


@transaction.atomic
def applicant_register(*, email: str, full_name: str, password: str, phone: str = "", language: str = "id") -> User:
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, phone=phone,
        preferred_language=language, data_consent_at=timezone.now(),
    )
    UserRole.objects.create(user=user, role=Role.APPLICANT)
    audit_record(actor=user, obj=user, action="registered", to_state="unconfirmed",
                 note="consent to personal data processing (UU 27/2022) given")
    send_email_confirmation(user)
    return user


def registration_submit(*, email: str, full_name: str, password: str, phone: str = "", language: str = "id") -> None:
    """Register a new applicant, or, when the address already has an account, tell its owner and change nothing.

    The caller answers both alike (OWASP ASVS: no account enumeration); hashing the password on both paths keeps
    them about as slow as each other."""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        applicant_register(email=email, full_name=full_name, password=password, phone=phone, language=language)
    else:
        make_password(password)
        registration_attempted_on_existing(user=existing)


def registration_attempted_on_existing(*, user: User) -> None:
    """Someone registered with an address that already has an account: tell its owner, change nothing.

    At most one such e-mail per address per hour, so the form cannot be used to flood someone's inbox."""
    if over_limit("register-existing", str(user.pk), limit=1, seconds=3600):
        return
    notify(user, template="accounts/email/register_existing", url=reverse("accounts:login"), in_portal=False,
           context={"reset_url": absolute_url(reverse("accounts:password-reset"))})


@transaction.atomic
def user_confirm_email(*, token: str, max_age: int) -> User:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise AccountError(_("This confirmation link has expired. Log in and ask for a new one."))
    except signing.BadSignature:
        raise AccountError(_("This confirmation link is not valid."))
    user = User.objects.select_for_update().filter(pk=data["u"], email=data["e"]).first()
    if user is None:
        raise AccountError(_("This confirmation link is not valid."))
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit_record(actor=user, obj=user, action="email confirmed", from_state="unconfirmed", to_state="confirmed")
    return user


@transaction.atomic
def staff_create(*, actor: User, email: str, full_name: str, phone: str, roles: list[str], language: str,
                 extra: dict | None = None) -> User:
    """A staff account; ``extra`` holds the values of the fields other apps add to the form (extensions)."""
    user = User.objects.create_user(
        email=email, password=None, full_name=full_name, phone=phone, preferred_language=language,
        email_verified_at=timezone.now(),
    )
    for role in roles:
        UserRole.objects.create(user=user, role=role)
    audit_record(actor=actor, obj=user, action="staff account created", to_state="active",
                 note=", ".join(roles))
    extensions.save_all(user=user, data={**(extra or {}), "roles": roles}, actor=actor)
    send_set_password_link(user)
    return user


def send_set_password_link(user: User) -> None:
    """A new staff member chooses their own password through a one-time link."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    url = reverse("accounts:password-reset-confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    })
    notify(user, template="accounts/email/welcome_staff", url=url, in_portal=False)


@transaction.atomic
def staff_update(*, actor: User, user: User, full_name: str, phone: str, roles: list[str], language: str,
                 extra: dict | None = None) -> User:
    before = sorted(user.role_links.values_list("role", flat=True))
    user.full_name, user.phone, user.preferred_language = full_name, phone, language
    user.save(update_fields=["full_name", "phone", "preferred_language"])
    user.role_links.exclude(role__in=roles).delete()
    for role in roles:
        UserRole.objects.get_or_create(user=user, role=role)
    after = sorted(roles)
    if before != after:
        audit_record(actor=actor, obj=user, action="roles changed", from_state=",".join(before),
                     to_state=",".join(after))
    user.__dict__.pop("roles", None)
    extensions.save_all(user=user, data={**(extra or {}), "roles": roles}, actor=actor)
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool, reason: str) -> User:
    """Deactivate or reactivate an account. Accounts are never deleted: history keeps the name."""
    if user.pk == actor.pk and not active:
        raise AccountError(_("You cannot deactivate your own account."))
    if not reason.strip():
        raise AccountError(_("Please give a reason."))
    if user.is_active == active:
        raise AccountError(_("The account is already in that state."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, obj=user, action="account activated" if active else "account deactivated",
                 from_state="inactive" if active else "active", to_state="active" if active else "inactive",
                 note=reason)
    if not active:
        account_deactivated(user, actor=actor, reason=reason)
    return user


def user_set_language(*, user: User, language: str) -> None:
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
