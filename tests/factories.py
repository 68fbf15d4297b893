"""Factories for the core. Each app adds its own in ``tests/<app>/factories.py``."""

import factory
from django.utils import timezone

from certportal.accounts.models import Role, User, UserRole

PASSWORD = "Rahasia-Uji-12345"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.go.id")
    full_name = factory.Faker("name", locale="id_ID")
    preferred_language = "id"
    email_verified_at = factory.LazyFunction(timezone.now)
    data_consent_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for role in extracted or []:
            UserRole.objects.create(user=self, role=role)
        self.__dict__.pop("roles", None)

    @factory.post_generation
    def declared(self, create, extracted, **kwargs):
        """Whoever may assess, review, sit in a pleno or decide has a current declaration of interest (ISO/IEC
        17024 4.3) unless ``declared=False``: the flows of the tests are not refused for want of one. It covers
        the years around today, so a test that moves the clock is not refused either."""
        if extracted is False or not create:
            return
        declare(self)


# The tests' people (tests/conftest.py's fixtures of these names; tests/module_world.py's worlds make them too).
PEOPLE = {
    "alice": ("Alice Applicant", "alice@example.go.id", Role.APPLICANT),
    "bob": ("Bob Applicant", "bob@example.go.id", Role.APPLICANT),
    "victor": ("Victor Verifier", "victor@example.go.id", Role.VERIFIER),
    "asa": ("Asa Assessor", "asa@example.go.id", Role.ASSESSOR),
    "lina": ("Lina LSP Admin", "lina@example.go.id", Role.LSP_ADMIN),
    "tono": ("Tono Kepala TUK", "tono@example.go.id", Role.TUK_HEAD),
    "quinn": ("Quinn Quality", "quinn@example.go.id", Role.QUALITY),
    "karin": ("Karin Complaints", "karin@example.go.id", Role.COMPLAINT_OFFICER),
    "sofia": ("Sofia Supervisor", "sofia@example.go.id", Role.SUPERVISOR),
}


def person(name: str) -> User:
    """One of :data:`PEOPLE`, made with its name, address and role."""
    full_name, email, role = PEOPLE[name]
    return UserFactory(full_name=full_name, email=email, roles=[role])


def declare(user, *, valid_from=None, valid_until=None):
    """A current declaration of interest and confidentiality for ``user`` when they hold a role that signs one."""
    import datetime

    from quality.impartiality.models import Declaration
    from quality.impartiality.rules import SIGNERS

    if not UserRole.objects.filter(user=user, role__in=SIGNERS).exists():
        return None
    today = timezone.localdate()
    return Declaration.objects.create(
        user=user, statement="(test)", signed_name=user.full_name, signed_at=timezone.now(),
        valid_from=valid_from or today - datetime.timedelta(days=3 * 365),
        valid_until=valid_until or today + datetime.timedelta(days=3 * 365))


def id_day(value) -> str:
    """A date as the Indonesian documents print it ("23 November 2026", "17 Agustus 2026")."""
    from django.utils import translation

    from certportal import dates

    with translation.override("id"):
        return dates.day(value)
