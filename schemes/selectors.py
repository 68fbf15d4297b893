"""Reads for schemes: what the catalogue, the applicants app and the admin screens show."""

from django.db.models import Prefetch, QuerySet

from .models import Qualification, QualificationUnit, Scheme, SchemeUnit, Unit


def current_schemes() -> QuerySet[Scheme]:
    """Published schemes, each in its current version only (what an applicant may apply for)."""
    return Scheme.objects.filter(is_current=True, is_published=True).order_by("name", "code")


def scheme_detail_queryset() -> QuerySet[Scheme]:
    return Scheme.objects.select_related("qualification__decree").prefetch_related(
        Prefetch("scheme_units", queryset=SchemeUnit.objects.select_related("unit").order_by("position")),
        "requirements", "required_documents", "test_sites",
    )


def qualification_queryset() -> QuerySet[Qualification]:
    return Qualification.objects.select_related("decree")


def qualification_with_listings() -> QuerySet[Qualification]:
    return qualification_queryset().prefetch_related(
        Prefetch("listings", queryset=QualificationUnit.objects.select_related("unit").order_by("kind", "position")),
    )


def units_queryset() -> QuerySet[Unit]:
    return Unit.objects.select_related("decree")


def scheme_versions(scheme: Scheme) -> QuerySet[Scheme]:
    return Scheme.objects.filter(code=scheme.code).order_by("-version")


def qualification_by_name(name: str) -> Qualification | None:
    """``3/2021-C`` = decree number 3, year 2021, section C (KKNI decrees only)."""
    import re

    m = re.fullmatch(r"\s*([\w.-]+)/(\d{4})-([A-Za-z]{1,3})\s*", name or "")
    if not m:
        return None
    return qualification_with_listings().filter(decree__kind="kkni", decree__number=m.group(1),
                                                decree__year=int(m.group(2)), letter=m.group(3).upper()).first()


def licence_scope_choices() -> list[tuple[str, str]]:
    """What the LSP's licensed scope may name: each scheme code once, with its current name."""
    rows = Scheme.objects.filter(is_current=True).order_by("code").values_list("code", "name")
    return [(code, f"{code} — {name}") for code, name in rows]
