"""Load demo data: one account per role, then each app's own demo (``<app>/demo.py``, function ``load``).

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

DEMO_PASSWORD = "Demo-Portal-2026"  # noqa: S105 - printed on purpose: demo accounts for a local portal

DEMO_ACCOUNTS = [
    ("pemohon@demo.go.id", "Siti Rahmawati, S.Sos.", ["applicant"]),
    ("verifikator@demo.go.id", "Budi Santoso, S.H.", ["verifier"]),
    ("asesor@demo.go.id", "Dr. Ahmad Fauzi, M.Pd.", ["assessor"]),
    ("admin.lsp@demo.go.id", "Rina Kartika, S.Kom.", ["lsp_admin"]),
    ("kepala.tuk@demo.go.id", "Hendra Wijaya, S.T.", ["tuk_head"]),
    ("mutu@demo.go.id", "Dewi Lestari, M.M.", ["quality"]),
    ("pengaduan@demo.go.id", "Agus Prasetyo, S.AP.", ["complaint_officer"]),
    ("pimpinan@demo.go.id", "Ir. Bambang Sutrisno, M.Si.", ["supervisor"]),
]


def ensure_user(email: str, full_name: str, roles: list[str], password: str = DEMO_PASSWORD):
    from certportal.accounts.models import User, UserRole

    user, created = User.objects.get_or_create(
        email=email,
        defaults={"full_name": full_name, "email_verified_at": timezone.now(), "data_consent_at": timezone.now()},
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    for role in roles:
        UserRole.objects.get_or_create(user=user, role=role)
    return user


class Command(BaseCommand):
    help = "Load demo data (one account per role and each app's demo records). Safe to run again."

    def handle(self, *args, **options):
        # Demo records pass through the real services, which e-mail people; keep those out of the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
            for email, name, roles in DEMO_ACCOUNTS:
                ensure_user(email, name, roles)
            for config in apps.get_app_configs():
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Log in at {settings.SITE_URL}/akun/masuk/ with:"))
        for email, _name, roles in DEMO_ACCOUNTS:
            self.stdout.write(f"  {', '.join(roles):<20} {email:<28} {DEMO_PASSWORD}")
