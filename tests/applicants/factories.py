"""Factories for applicants (and the bits of schemes they need, kept minimal so tests do not depend on
the reference data being loaded)."""

import datetime

import factory

from applicants.models import ApplicantProfile, Application, ApplicationDocument, Status
from certportal.accounts.models import Role
from schemes.models import RequiredDocument, Scheme, SchemeRequirement, SchemeUnit, Unit, UnitElement
from tests.factories import UserFactory


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    code = factory.Sequence(lambda n: f"SS-{n:02d}/LSP-TEST/2026")
    name = factory.Sequence(lambda n: f"Skema Uji {n}")
    kind = Scheme.Kind.CLUSTER
    methods_experienced = "Portofolio dan wawancara"
    methods_inexperienced = "Observasi demonstrasi dan pertanyaan lisan"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"O.84ADM00.{n:03d}.1")
    sector = "O"
    field = "84ADM00"
    number = factory.Sequence(lambda n: f"{n:03d}")
    version = 1
    title = factory.Sequence(lambda n: f"Melayani Pelanggan {n}")


def scheme_with_parts(*, units: int = 2, elements: int = 2, documents: int = 2, requirements: bool = True) -> Scheme:
    scheme = SchemeFactory()
    for i in range(units):
        unit = UnitFactory()
        SchemeUnit.objects.create(scheme=scheme, unit=unit, position=i + 1)
        for j in range(elements):
            UnitElement.objects.create(unit=unit, position=j + 1, title=f"Elemen {j + 1} unit {unit.number}")
    for i in range(documents):
        RequiredDocument.objects.create(
            scheme=scheme, category=RequiredDocument.Category.BASIC, name=f"Dokumen {i + 1}",
            accepted_kinds=["pdf", "jpeg", "png"], position=i + 1,
        )
    if requirements:
        for pos, (kind, value, text) in enumerate([
            ("employment", "pns", "PNS"), ("min_education", "S1", "Pendidikan minimal S1"),
            ("min_rank", "III/b", "Pangkat minimal III/b"), ("min_years", "4", "Masa kerja minimal 4 tahun"),
        ]):
            SchemeRequirement.objects.create(scheme=scheme, kind=kind, value=value, text=text, position=pos)
    return scheme


NIP_SEQ = iter(range(1, 10**6))


def make_nip(birth=datetime.date(1985, 3, 14), appointed="201001", gender="1", serial=None) -> str:
    serial = serial if serial is not None else next(NIP_SEQ) % 1000
    return f"{birth:%Y%m%d}{appointed}{gender}{serial:03d}"


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicantProfile

    user = factory.SubFactory(UserFactory, roles=[Role.APPLICANT])
    nip = factory.LazyFunction(make_nip)
    full_name = factory.LazyAttribute(lambda o: o.user.full_name)
    birth_place = "Jakarta"
    birth_date = datetime.date(1985, 3, 14)
    gender = "1"
    employment_status = "pns"
    org_unit = "Badan Kepegawaian Daerah"
    position = "Analis Kepegawaian"
    rank = "III/c"
    education = "S1"
    years_of_service = 10
    employer_government = "31"  # Pemerintah Provinsi DKI Jakarta, as seed 000 asks
    years_in_government = 10
    phone = "081234567890"
    email = factory.LazyAttribute(lambda o: o.user.email)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    applicant = factory.SubFactory(UserFactory, roles=[Role.APPLICANT])
    scheme = factory.SubFactory(SchemeFactory)
    status = Status.DRAFT
    experienced = True
    applicant_name = factory.LazyAttribute(lambda o: o.applicant.full_name)
    nip = factory.LazyFunction(make_nip)
    org_unit = "Badan Kepegawaian Daerah"


def add_documents(application: Application) -> list[ApplicationDocument]:
    return [ApplicationDocument.objects.get_or_create(application=application, requirement=r)[0]
            for r in application.scheme.required_documents.all()]
