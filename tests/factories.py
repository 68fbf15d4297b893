"""Factories for the core. Each app adds its own in ``tests/<app>/factories.py``."""

import factory
from django.utils import timezone

from certportal.accounts.models import User, UserRole

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


def id_day(value) -> str:
    """A date as the Indonesian documents print it ("23 November 2026", "17 Agustus 2026")."""
    from django.utils import translation

    from certportal import dates

    with translation.override("id"):
        return dates.day(value)
