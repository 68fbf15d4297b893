"""Users log in with their e-mail address; one person may hold several roles."""

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certportal.roles import LSP_PERSONNEL, STAFF_ROLES, Role  # noqa: F401 - the accounts' names for them


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        fields.setdefault("email_verified_at", timezone.now())
        return self._create(email, password, **fields)

    def with_role(self, role: str):
        return self.filter(role_links__role=role, is_active=True).distinct()


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the Django admin"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    email_verified_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    data_consent_at = models.DateTimeField(_("personal data consent given at"), null=True, blank=True)
    # Staff who receive work by e-mail (the verifiers' new dossiers) get one digest a day; they may switch it off.
    daily_digest = models.BooleanField(_("daily e-mail digest"), default=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        """The first given name, skipping academic or religious titles such as "Dr.", "Ir." or "H."."""
        for word in self.full_name.replace(",", " ").split():
            if not word.endswith("."):
                return word
        return self.full_name or self.email

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @cached_property
    def roles(self) -> list[str]:
        """Role codes held by this user, in the order of :class:`Role` (one query, cached per instance)."""
        held = set(self.role_links.values_list("role", flat=True))
        return [r.value for r in Role if r.value in held]

    def has_role(self, *roles: str) -> bool:
        return self.is_active and any(r in self.roles for r in roles)

    @property
    def is_staff_member(self) -> bool:
        return any(r != Role.APPLICANT for r in self.roles)


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_links")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class LoginSpray(models.Model):
    """Failed logins from one address across accounts past ``LOGIN_ADDRESS_FAILURE_LIMIT`` within the lockout
    window (password spraying): shown on the supervisor's dashboard. One row per episode: a new one starts when the
    address comes back after a quiet window (``certportal.accounts.spraying``)."""

    ip_address = models.GenericIPAddressField(_("address"), db_index=True)
    started_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_at = models.DateTimeField(_("last seen"), default=timezone.now)
    failures = models.PositiveIntegerField(_("failed logins"), default=0)
    accounts = models.JSONField(_("accounts tried"), default=list, blank=True)  # at most ACCOUNTS_KEPT
    refused = models.PositiveIntegerField(_("logins refused while blocked"), default=0)

    ACCOUNTS_KEPT = 100

    class Meta:
        verbose_name = _("password-spraying attempt")
        verbose_name_plural = _("password-spraying attempts")
        ordering = ["-last_at"]

    def __str__(self) -> str:
        return f"{self.ip_address} · {self.failures}"
