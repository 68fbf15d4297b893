"""Factories for schemes tests (the applicants app has its own minimal ones)."""

import factory

from schemes.models import Scheme, TestSite, Unit


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TestSite

    registration_number = factory.Sequence(lambda n: f"TUK-{n:03d}")
    name = factory.Sequence(lambda n: f"TUK Uji {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"O.84ADM00.{n:03d}.1")
    sector = "O"
    field = "84ADM00"
    number = factory.Sequence(lambda n: f"{n:03d}")
    version = 1
    title = factory.Sequence(lambda n: f"Melayani Pelanggan {n}")


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    code = factory.Sequence(lambda n: f"SS-{n:02d}/LSP-UJI/2026")
    name = factory.Sequence(lambda n: f"Skema Katalog {n}")
    kind = Scheme.Kind.OCCUPATION
