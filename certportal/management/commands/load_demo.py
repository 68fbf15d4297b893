"""Load demo data: one account per role, then each app's own demo (``<app>/demo.py``, function ``load``, after
every app's optional ``prepare``: what the other demos need before they run).

Idempotent: running it twice changes nothing the second time. Each app's ``demo.load(stdout)`` must be
idempotent too, and is called in INSTALLED_APPS order (schemes before applicants before assessments...).
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from certportal.accounts import demo as demo_accounts

DEMO_PASSWORD = demo_accounts.PASSWORD  # printed on purpose: demo accounts for a local portal

DEMO_ACCOUNTS = [
    ("pemohon@demo.go.id", "Siti Rahmawati, S.Sos.", ["applicant"]),
    ("verifikator@demo.go.id", "Budi Santoso, S.H.", ["verifier"]),
    ("asesor@demo.go.id", "Dr. Ahmad Fauzi, M.Pd.", ["assessor"]),
    ("admin.lsp@demo.go.id", "Rina Kartika, S.Kom.", ["lsp_admin"]),
    ("kepala.tuk@demo.go.id", "Hendra Wijaya, S.T.", ["tuk_head"]),
    ("mutu@demo.go.id", "Dewi Lestari, M.M.", ["quality"]),
    ("pengaduan@demo.go.id", "Agus Prasetyo, S.AP.", ["complaint_officer"]),
    ("pimpinan@demo.go.id", "Ir. Bambang Sutrisno, M.Si.", ["supervisor"]),
    # the agencies' roles (issue 29); agencies/demo.py links the officer and the head to Dinas Kesehatan
    ("pengelola.dinkes@demo.go.id", "Nurul Hidayah, S.KM.", ["agency_officer"]),
    ("kepala.dinkes@demo.go.id", "dr. Hartono Wibisono, M.Kes.", ["agency_head"]),
    ("sekda@demo.go.id", "Drs. Syamsul Bahri, M.Si.", ["regional_secretary"]),
]


def ensure_user(email: str, full_name: str, roles: list[str]):
    from certportal.accounts.models import User, UserRole

    user, created = User.objects.get_or_create(
        email=email,
        defaults={"full_name": full_name, "email_verified_at": timezone.now(), "data_consent_at": timezone.now()},
    )
    if created:
        demo_accounts.set_password(user)
        user.save(update_fields=["password"])
    for role in roles:
        UserRole.objects.get_or_create(user=user, role=role)
    return user


class Command(BaseCommand):
    help = "Load demo data (one account per role and each app's demo records). Safe to run again."

    def handle(self, *args, **options):
        from certportal.accounts.models import User

        # Demo records pass through the real services, which e-mail people; keep those out of the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
            for email, name, roles in DEMO_ACCOUNTS:
                ensure_user(email, name, roles)
            modules = list(_demo_modules())
            for module in modules:  # what the other demos need first (e.g. declarations of interest, issue 30)
                if hasattr(module, "prepare"):
                    module.prepare(self.stdout)
            for module in modules:
                module.load(self.stdout)
            logins = demo_logins()
            # the demo is described in Indonesian, the portal's default: a language chosen while trying it (saved on
            # the account) does not outlive the next `make run`
            User.objects.filter(email__in=[email for email, _roles in logins]).exclude(
                preferred_language=settings.LANGUAGE_CODE).update(preferred_language=settings.LANGUAGE_CODE)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Log in at {settings.SITE_URL}/akun/masuk/ with "
                                             f"password {DEMO_PASSWORD} as:"))
        for email, roles in logins:
            self.stdout.write(f"  {', '.join(roles):<20} {email}")


def _demo_modules():
    """Each app's ``demo`` module, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        try:
            yield import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise


def demo_logins() -> list[tuple[str, list[str]]]:
    """Every demo account one can log in with, (e-mail, roles): the role accounts first, then the others the apps'
    demos made (the validating assessor, the applicants, the participants of the demo events), by e-mail."""
    from certportal.accounts.models import User

    users = (User.objects.filter(email__endswith="@demo.go.id", is_active=True)
             .prefetch_related("role_links").order_by("email"))
    logins = {u.email: sorted(link.role for link in u.role_links.all()) for u in users if u.has_usable_password()}
    first = [email for email, _name, _roles in DEMO_ACCOUNTS if email in logins]
    rest = sorted((e for e in logins if e not in first), key=lambda e: (logins[e] == ["applicant"], e))
    return [(email, logins[email]) for email in first + rest]
